"""An invalid event lands on the topic's dead-letter topic with its error; the consumer goes on."""
from __future__ import annotations

import json
import uuid

from click.testing import CliRunner

from services.bus import make_producer
from services.cli import main as civic
from services.dlq import read_dead_letters
from services.events import Actor, encode, make_event
from services.settings import get_settings
from tests.support import poll, published_for_voting, register, staff_of


def _published(marker: str, **changes) -> dict:
    event = make_event("proposals.proposal_published", municipality="idrija", aggregate_id=marker,
                       actor=Actor("staff", "s"), payload={
                           "proposal_id": marker, "process_id": "idrija-vkljucujoca", "title": "T",
                           "theme": "housing", "competence": "shared", "author_id": "a"})
    event.update(changes)
    return event


def test_malformed_events_are_parked_and_the_consumer_goes_on(gateway):
    topic = get_settings().topic("proposals")
    markers = {name: f"dlq-{name}-{uuid.uuid4().hex[:8]}" for name in ("json", "version", "payload")}
    newer = _published(markers["version"], schema_version=99)
    bad_payload = _published(markers["payload"])
    del bad_payload["payload"]["competence"]
    producer = make_producer()
    producer.send(topic, key=markers["json"].encode(), value=b"{not json " + markers["json"].encode())
    producer.send(topic, key=markers["version"].encode(), value=encode(newer))
    producer.send(topic, key=markers["payload"].encode(), value=json.dumps(bad_payload).encode())
    producer.flush()

    # The consumers go on: a proposal published after the poison is still projected into voting.
    staff, author = staff_of(gateway), register(gateway)
    published_for_voting(author, staff)

    def parked():
        letters = [d for d in read_dead_letters(f"{topic}.dlq") if d.consumer == "voting"
                   and any(m.encode() in (d.key or b"") for m in markers.values())]
        return len(letters) == 3 and letters
    letters = {letter.key.decode(): letter for letter in poll(parked, 30, "three dead letters from voting")}
    assert letters[markers["json"]].error.startswith("not JSON")
    assert "newer than 1" in letters[markers["version"]].error
    assert "competence" in letters[markers["payload"]].error
    assert all(letter.source.startswith(f"{topic}:") for letter in letters.values())
    assert letters[markers["json"]].value == b"{not json " + markers["json"].encode()  # kept verbatim

    listing = CliRunner().invoke(civic, ["dlq", "list", "proposals"])
    assert listing.exit_code == 0, listing.output
    assert markers["version"] in listing.output and "newer than 1" in listing.output
    # Unknown ids of that poison never reached the projection.
    assert staff.get(f"/proposals/{markers['payload']}/results").status_code == 404
