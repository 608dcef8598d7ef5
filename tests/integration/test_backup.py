"""`civic backup` of a running platform (proposals, comments, a closed vote, a dossier), restored with
`civic restore` into a FRESH platform: every collection's count, the proposal, its comments and the
dossier's signature come back, and the restored outboxes drain without duplicating any effect."""
from __future__ import annotations

import json
import os
import tarfile

import pymongo
import requests
from click.testing import CliRunner

from services.backup import RUNTIME
from services.cli import main as civic
from services.local.platform import Platform
from services.settings import get_settings, reset_settings
from tests.integration.test_signing_keys import _verifies_with_the_key_set, _verify_page
from tests.support import PASSWORD, adopted, login, outboxes_drained, poll, register, staff_of

# Collections whose documents a running platform adds by itself as time passes (not data restored).
CLOCKWORK = {"processed_events"}  # an in-flight event, consumed after the restore, adds a marker


def _counts() -> dict[str, int]:
    settings = get_settings()
    with pymongo.MongoClient(settings.mongo_uri) as client:
        return {f"{service}.{name}": client[settings.database(service)][name].count_documents({})
                for service in ("proposals", "voting", "forwarding", "notifications", "gateway")
                for name in client[settings.database(service)].list_collection_names()
                if not name.startswith("system.") and name not in RUNTIME}


def _quiet() -> bool:
    """Every outbox published and every consumer group caught up (lag 0, read from the broker)."""
    if not outboxes_drained():
        return False
    status = CliRunner().invoke(civic, ["status", "--json"])
    parts = json.loads(status.output)["parts"]
    return all((part.get("consumer") or {}).get("lag", 0) == 0 for part in parts)


def _summaries_sent() -> bool:
    """No pending-moderation summary is due: the 5-second job has already mailed the staff of every
    municipality with a queue (else it mails them first in the restored platform, a legitimate new effect)."""
    settings = get_settings()
    with pymongo.MongoClient(settings.mongo_uri) as client:
        db = client[settings.database("proposals")]
        queued = set(db.proposals.distinct("municipality", {"status": "pending"}))
        sent = {s["_id"] for s in db.moderation_settings.find({"_id": {"$in": list(queued)}})
                if s.get("summary_sent_at") or s.get("summary_hours", 24.0) <= 0}
    return set(queued) <= sent


def _public(gateway: str, pid: str) -> tuple[dict, dict]:
    base = f"{gateway}/api/v1/m/idrija/proposals/{pid}"
    proposal, comments = (requests.get(url, timeout=30) for url in (base, base + "/comments"))
    assert proposal.status_code == 200 and comments.status_code == 200, proposal.text + comments.text
    return proposal.json(), comments.json()


def test_backup_then_restore_into_a_fresh_platform(platform, gateway, tmp_path):
    staff = staff_of(gateway)
    author, pid = adopted(gateway, staff, "health", "national", title="Varnostna kopija: zdravje")
    for words in ("Health cover matters for newcomers.", "The state must decide this."):
        posted = register(gateway).post(f"/proposals/{pid}/comments", json={"body": words, "alignment": "for"})
        assert posted.status_code == 201, posted.text
    assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200
    signed = poll(lambda: [c for c in requests.get(f"{platform.url('institution')}/_received", timeout=10)
                           .json()["dossiers"] if c["document"]["dossier"]["proposal"]["id"] == pid], 60,
                  "the dossier at the institution")[0]["raw_body"].encode()
    poll(lambda: _summaries_sent() and _quiet(), 60, "every outbox published and consumed, no job due")
    before = _public(gateway, pid)

    archive = tmp_path / "civic-backup.tar.gz"
    taken = CliRunner().invoke(civic, ["backup", str(archive)])
    assert taken.exit_code == 0, taken.output
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("./manifest.json"))
    expected = {f"{s}.{name}": c["count"] for s, entry in manifest["services"].items()
                for name, c in entry["collections"].items()}
    assert expected["voting.comments"] >= 2 and expected["forwarding.dossiers"] >= 1
    assert all(f"{s}.outbox" in expected for s in manifest["services"])

    saved = dict(os.environ)
    fresh = Platform(tmp_path / "fresh-var", gateway_port=0,
                     env={"CIVIC_PASSWORD_METHOD": "scrypt:1024:8:1", "CIVIC_TEST_CLOCK": "1"}).start()
    try:
        assert _counts() != expected  # a fresh platform: its seed only
        # Workers stopped in the middle of their first group join left Tansu's group stuck once (the
        # new member never got its partitions): let them settle first, as an operator's would have.
        poll(_quiet, 60, "the fresh platform's workers settled")
        fresh.stop_services()
        refused = CliRunner().invoke(civic, ["restore", str(archive)])
        assert refused.exit_code != 0 and "--replace" in refused.output
        restored = CliRunner().invoke(civic, ["restore", str(archive), "--replace"])
        assert restored.exit_code == 0, restored.output
        assert _counts() == expected
        fresh.start_services()

        assert _public(fresh.gateway_url, pid) == before
        assert login(fresh.gateway_url, author.email, PASSWORD).get(f"/proposals/{pid}").status_code == 200
        _verifies_with_the_key_set(fresh.gateway_url, signed)
        assert "The signature is valid" in _verify_page(fresh.gateway_url, signed)
        try:
            poll(_quiet, 60, "the restored outboxes published again, and consumed")
        except AssertionError:
            print(CliRunner().invoke(civic, ["status"]).output)
            raise
        again = _counts()
        assert {k: v for k, v in again.items() if k.split(".")[1] not in CLOCKWORK} == \
               {k: v for k, v in expected.items() if k.split(".")[1] not in CLOCKWORK}
        print(f"\nbackup: {manifest['documents']} documents, {manifest['bytes']} bytes, {manifest['seconds']} s "
              f"({archive.stat().st_size} bytes archived); {restored.output.strip().splitlines()[-1]}")
    finally:
        fresh.stop()
        os.environ.clear()
        os.environ.update(saved)
        reset_settings()
