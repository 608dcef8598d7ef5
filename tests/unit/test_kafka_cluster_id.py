"""The local broker's cluster id: the storage tool reads an id that starts with '-' as an option."""
import base64
import uuid

from services.local import kafka


def test_a_cluster_id_never_starts_with_a_dash(monkeypatch):
    # the first UUID drawn encodes to an id that starts with '-' (0xf8.. -> '-'), the second does not
    dashed = uuid.UUID(bytes=bytes([0xF8]) + bytes(15))
    plain = uuid.UUID(int=1)
    assert base64.urlsafe_b64encode(dashed.bytes).decode().startswith("-")
    drawn = iter([dashed, plain])
    monkeypatch.setattr(kafka.uuid, "uuid4", lambda: next(drawn))
    found = kafka.cluster_id()
    assert not found.startswith("-")
    assert base64.urlsafe_b64decode(found + "==") == plain.bytes


def test_a_cluster_id_is_a_uuid_in_url_safe_base64_without_padding():
    found = kafka.cluster_id()
    assert len(found) == 22 and "=" not in found
    assert len(base64.urlsafe_b64decode(found + "==")) == 16
