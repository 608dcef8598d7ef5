"""A watch on a consumer that holds no partitions while nobody reads them.

kafka-python's group leader has been seen to assign from metadata that did not list its topics' partitions
yet ("No partition metadata for topic ..."): the group was formed with nothing assigned, and the consumer
then spun inside the coordinator's loop without joining again, so a worker read nothing for the rest of
its life (a restored platform's proposals, a test session's notifications). A member without partitions
is normal when a group has more members than partitions; so the watch asks the broker, after a while
without partitions, whether some partition of the consumer's topics is held by no member of its group.
Then the consumer loop replaces its KafkaConsumer (services.bus.EventConsumer): a new member joins, the
group is formed again, and reading resumes from the committed offsets (nothing is lost, and what was
applied is not applied twice: the handlers are idempotent). Where the broker cannot say (Tansu, whose
DescribeGroups answer kafka-python cannot decode), the watch does nothing.

It also starts over when the group is still being rebalanced an interval after it first asked, while
the consumer holds nothing: a voting consumer gave up its partitions in a rebalance 0.2 s after it was
formed and held nothing for the 71 s that remained of a test session, the broker saying all along that
the group was being formed (it waits for its members to join again for up to five minutes). And when
the consumer itself has given up its partitions and been given none for an interval: in two CI runs a
voting consumer did so 0.2 s after it first joined and never joined again (kafka-python 3.0.12 spun in
its coordinator lookup at 90 % of a core for minutes, its assignment not empty, so the broker was never
asked; the broker had forgotten the member when it finally left)."""
from __future__ import annotations

import logging
import time

from kafka import ConsumerRebalanceListener, KafkaAdminClient
from kafka.errors import KafkaError

from services import metrics
from services.settings import get_settings

log = logging.getLogger(__name__)
UNASSIGNED_SECONDS = 8.0  # how long a consumer may hold nothing before the broker is asked


class Watch:
    def __init__(self, group: str, topics: list[str], after: float = UNASSIGNED_SECONDS):
        self.group, self.topics, self.after = group, topics, after
        self.empty_since: float | None = None
        self.rebalancing = False  # did the broker say, when last asked, that the group is being formed?

    def wedged(self, assignment, rebalancing_since: float | None = None) -> bool:
        """Called from the consumer loop with its current assignment and since when it has been in a
        rebalance (its partitions given up, none given since; `LogAssignments`): True when it should
        start over."""
        now = time.monotonic()
        # in a rebalance for an interval, it holds nothing whatever kafka-python still lists
        stalled = rebalancing_since is not None and now - rebalancing_since >= self.after
        if assignment and not stalled:
            self.empty_since, self.rebalancing = None, False
            return False
        if self.empty_since is None:
            self.empty_since = rebalancing_since if stalled else now
        if now - self.empty_since < self.after:
            return False
        self.empty_since = now  # asked at most once per interval
        unread = unread_partitions(self.group, self.topics)
        if unread is None:  # being formed; still, an interval later, while this consumer holds nothing: stuck
            stuck, self.rebalancing = self.rebalancing, not self.rebalancing
            if stuck:
                log.warning("%s holds no partitions and the group has been rebalancing for %.0f s: joining it again",
                            self.group, self.after)
            return stuck
        self.rebalancing = False
        if unread:
            log.warning("%s holds no partitions and nobody reads %s: joining the group again", self.group,
                        ", ".join(f"{t}[{p}]" for t, p in sorted(unread)))
        return bool(unread)


def unread_partitions(group: str, topics: list[str]) -> set[tuple[str, int]] | None:
    """The partitions of `topics` that no member of `group` holds (empty if the broker cannot tell;
    None while the group is being formed)."""
    try:
        admin = KafkaAdminClient(bootstrap_servers=get_settings().kafka_bootstrap, client_id=f"{group}-watch")
    except KafkaError:
        return set()
    try:
        partitions = set(leaders(admin, topics))
        described = admin.describe_groups([group]).get(group) or {}
        if described.get("group_state") in ("PreparingRebalance", "CompletingRebalance"):
            log.info("%s holds no partitions; the group is being formed (%s)", group, described["group_state"])
            return None  # ask again later
        held = {(a["topic"], p) for m in described.get("members") or []
                for a in (m.get("member_assignment") or {}).get("assigned_partitions") or []
                for p in a["partitions"]}
        if not partitions - held:  # an idle member of a larger group, or one the broker counts in and it does not
            log.info("%s holds no partitions; the group (%s, %d members) holds them all", group,
                     described.get("group_state"), len(described.get("members") or []))
        return partitions - held
    except Exception as exc:  # noqa: BLE001 - whatever the answer, the consumer loop must go on
        # (Tansu's DescribeGroups answer carries operations kafka-python cannot decode: ValueError)
        log.info("%s: the broker could not describe the group (%s)", group, type(exc).__name__)
        return set()
    finally:
        admin.close()


def leaders(admin: KafkaAdminClient, topics: list[str]) -> dict[tuple[str, int], int]:
    """Each partition of the topics that exist, with its leader's broker id (-1: none yet)."""
    return {(t["name"], p["partition_index"]): p.get("leader_id", -1) for t in admin.describe_topics(topics)
            if not t.get("error_code") for p in t.get("partitions") or []}


class LogAssignments(ConsumerRebalanceListener):
    """Logs what a consumer reads after each rebalance; zeroes the lag of what it gave up; knows since
    when a rebalance it is in has lasted (None: not in one)."""

    def __init__(self, service: str):
        self.service = service
        self.rebalancing_since: float | None = None

    def on_partitions_revoked(self, revoked):
        self.rebalancing_since = time.monotonic()
        if revoked:
            log.info("%s consumer gives up %s", self.service, _partitions(revoked))
        for tp in revoked:  # another member reports these now
            metrics.CONSUMER_LAG.labels(self.service, tp.topic, str(tp.partition)).set(0)

    def on_partitions_assigned(self, assigned):
        self.rebalancing_since = None
        log.info("%s consumer now reads %s", self.service, _partitions(assigned))


def _partitions(partitions) -> str:
    return ", ".join(f"{p.topic}[{p.partition}]" for p in sorted(partitions)) or "nothing"


def measure_lag(service: str, consumer) -> None:
    """Lag per assigned partition: the fetched high-water mark minus our position.

    (Tansu's end_offsets() is wrong; the high-water mark a fetch returns is right.)"""
    for tp in consumer.assignment():
        highwater = consumer.highwater(tp)
        if highwater is None:  # nothing fetched from it yet
            continue
        try:
            position = consumer.position(tp, timeout_ms=1000)
        except KafkaError:
            continue
        if position is not None:  # None: not known within the timeout (a rebalance, say)
            metrics.CONSUMER_LAG.labels(service, tp.topic, str(tp.partition)).set(
                max(0, highwater - position))
