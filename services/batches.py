"""Events of one kind applied together (services.bus.EventConsumer with batch handlers).

A consumer that reads a run of events of a kind with a batch handler (forwarding's conclusions in
a burst) applies them in one call, and so in one transaction, instead of one transaction each. The
run is made of consecutive events of one partition, so their order is kept. If the batch fails for
any reason (one of them was applied before, a conflict, a bad event, the database away), nothing
of it was written, and the consumer applies its events one by one, as it does any other event:
that path says precisely which event failed and why, parks it or waits for the database."""
from __future__ import annotations

import logging

from services import logs
from services.events import parse_event

log = logging.getLogger(__name__)
applied_log = logging.getLogger("services.bus")  # the line every applied event gets, batch or not
LONGEST_RUN = 100  # events per batch at most


def run_at(consumer, messages: list, start: int) -> list[tuple[object, dict]]:
    """The (message, event) pairs of the run that begins at `start`: consecutive readable events of
    one kind that has a batch handler; empty unless there are two at least."""
    if not consumer.batch_handlers:
        return []
    run: list[tuple[object, dict]] = []
    for message in messages[start:start + LONGEST_RUN]:
        if len(message.value or b"") > consumer.settings.max_message_bytes:
            break
        try:
            event = parse_event(message.value)
        except Exception:  # noqa: BLE001 - the one-by-one path parks it with the reason
            break
        if event["event_type"] not in consumer.batch_handlers or (run and event["event_type"] != run[0][1]["event_type"]):
            break
        run.append((message, event))
    return run if len(run) > 1 else []


def apply_run(consumer, run: list[tuple[object, dict]]) -> bool:
    """Apply the run in one call; False if it failed (then nothing of it was written)."""
    kind = run[0][1]["event_type"]
    try:
        consumer.batch_handlers[kind]([event for _, event in run])
    except Exception as exc:  # noqa: BLE001 - whatever it was, one by one says which event and why
        log.info("%s applies %d %s one at a time (%s: %s)", consumer.service, len(run), kind, type(exc).__name__, exc)
        return False
    for message, event in run:
        consumer.count(event, "applied")
        consumer.deferrals.done(message)
        with logs.event_context(event):
            applied_log.info("%s applied %s from %s[%d]@%d (a batch of %d)", consumer.service, kind, message.topic,
                     message.partition, message.offset, len(run))
    return True
