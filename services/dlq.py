"""Dead letters: read what consumers parked on `<topic>.dlq`, and replay it to its topic."""
from __future__ import annotations

import time
from dataclasses import dataclass

from kafka import KafkaConsumer, TopicPartition

from services.bus import make_producer
from services.settings import get_settings


@dataclass
class DeadLetter:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    error: str
    consumer: str
    source: str
    size: int = 0  # of the original value
    sha256: str = ""  # of the original value
    truncated: bool = False  # the value is only a prefix: it cannot be replayed

    @property
    def replayable(self) -> bool:
        return not self.truncated


def read_dead_letters(topic: str, deadline: float = 20.0) -> list[DeadLetter]:
    """Everything on `topic` (a .dlq topic), from the beginning, without joining a group.

    Reads until every partition's position reaches its high-water mark (Tansu's
    end_offsets() is unreliable; the fetched high-water mark is right)."""
    consumer = KafkaConsumer(bootstrap_servers=get_settings().kafka_bootstrap, enable_auto_commit=False,
                             group_id=None)
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(partitions)
        consumer.seek_to_beginning()
        letters, end = [], time.monotonic() + deadline
        while time.monotonic() < end:
            batch = consumer.poll(timeout_ms=300)
            for message in (m for messages in batch.values() for m in messages):
                headers = {k: v.decode(errors="replace") for k, v in (message.headers or [])}
                letters.append(DeadLetter(message.topic, message.partition, message.offset, message.key,
                                          message.value, headers.get("dlq.error", ""),
                                          headers.get("dlq.consumer", ""), headers.get("dlq.source", ""),
                                          int(headers.get("dlq.size") or len(message.value or b"")),
                                          headers.get("dlq.sha256", ""), headers.get("dlq.truncated") == "1"))
            if not batch and all(consumer.highwater(tp) is not None
                                 and consumer.position(tp) >= consumer.highwater(tp) for tp in partitions):
                break
        return letters
    finally:
        consumer.close()


def replay(letters: list[DeadLetter]) -> int:
    """Publish parked messages back to their source topic (after the cause was fixed).

    Letters that keep only a prefix of an oversize value are skipped: the value is gone."""
    producer = make_producer()
    letters = [letter for letter in letters if letter.replayable]
    for letter in letters:
        source_topic = letter.source.split(":", 1)[0] or letter.topic.removesuffix(".dlq")
        producer.send(source_topic, key=letter.key, value=letter.value)
    producer.flush()
    producer.close()
    return len(letters)
