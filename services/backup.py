"""Backup and restore of every service's database, outboxes included (`civic backup`, `civic restore`).

A backup is one snapshot of all the services' databases: every collection is read inside one
multi-document transaction with readConcern "snapshot" (the services share one MongoDB server or
replica set, and a transaction may read several databases), so the files hold the platform as it
was at one instant, each state change together with its outbox events and each consumer's
effects together with its processed-event markers. The format is mongodump's: per collection,
`<service>/<collection>.bson` (the raw BSON documents one after the other) and
`<service>/<collection>.metadata.json` (its indexes, as extended JSON), with `manifest.json`
listing services, collections, counts, bytes and SHA-256 digests.

Restore writes each database back as it was (replacing what is there), recreates the indexes, and
marks every restored outbox event unsent: the relays publish them again, so events that were on
the old broker but not yet consumed everywhere are not lost, and the consumers, whose processed-event
markers came back with their databases, skip those they had handled (docs/operations.md)."""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pymongo
from bson import decode_file_iter, json_util
from bson.codec_options import CodecOptions
from bson.raw_bson import RawBSONDocument
from pymongo.read_concern import ReadConcern

from services.settings import SERVICES, get_settings

FORMAT = "civic-backup/1"
RAW = CodecOptions(document_class=RawBSONDocument)
BATCH = 1000
# Bookkeeping of the running processes, not data: a restored platform's processes write their own.
RUNTIME = {"owned_sessions", "worker_heartbeats"}
Progress = Callable[[int], None]


class BackupError(Exception):
    """A backup that cannot be taken or restored as asked; the message says why."""


def _client() -> pymongo.MongoClient:
    return pymongo.MongoClient(get_settings().mongo_uri, serverSelectionTimeoutMS=5000)


def plan() -> dict[str, dict[str, int]]:
    """{service: {collection: estimated count}} of what a backup would take now."""
    settings = get_settings()
    with _client() as client:
        found = {}
        for service in SERVICES:
            database = client[settings.database(service)]
            found[service] = {name: database[name].estimated_document_count()
                              for name in sorted(database.list_collection_names())
                              if not name.startswith("system.") and name not in RUNTIME}
        return found


def backup(target: Path, progress: Progress = lambda n: None) -> dict:
    """Write every service's database to `target` (a new or empty directory); return the manifest."""
    settings = get_settings()
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty: choose a new directory")
    collections = plan()
    started = time.monotonic()
    manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "consistency": "one snapshot (readConcern snapshot, one transaction) across every database",
                "services": {}}
    with _client() as client, client.start_session() as session:
        with session.start_transaction(read_concern=ReadConcern("snapshot")):
            for service, names in collections.items():
                database = client[settings.database(service)]
                entry = manifest["services"][service] = {"database": database.name, "collections": {}}
                (target / service).mkdir()
                for name in names:
                    indexes = list(database[name].list_indexes())  # outside: not allowed in a transaction
                    entry["collections"][name] = _dump(database.get_collection(name, codec_options=RAW),
                                                       target / service, session, indexes, progress)
    manifest["documents"] = sum(c["count"] for s in manifest["services"].values() for c in s["collections"].values())
    manifest["bytes"] = sum(c["bytes"] for s in manifest["services"].values() for c in s["collections"].values())
    manifest["seconds"] = round(time.monotonic() - started, 3)
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _dump(collection, directory: Path, session, indexes: list, progress: Progress) -> dict:
    digest, count, size = hashlib.sha256(), 0, 0
    path = directory / f"{collection.name}.bson"
    with path.open("wb") as out:
        for document in collection.find({}, session=session, batch_size=BATCH):
            raw = document.raw
            out.write(raw)
            digest.update(raw)
            count, size = count + 1, size + len(raw)
            if count % BATCH == 0:
                progress(BATCH)
    progress(count % BATCH)
    (directory / f"{collection.name}.metadata.json").write_text(
        json_util.dumps({"indexes": indexes}, json_options=json_util.CANONICAL_JSON_OPTIONS) + "\n")
    return {"file": f"{directory.name}/{path.name}", "count": count, "bytes": size, "sha256": digest.hexdigest()}


def read_manifest(source: Path) -> dict:
    path = source / "manifest.json"
    if not path.is_file():
        raise BackupError(f"{source} holds no manifest.json: not a civic backup")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: format {manifest.get('format')!r}, this version reads {FORMAT}")
    return manifest


def check(source: Path, manifest: dict) -> None:
    """Every file is there with its count and SHA-256, before anything is written."""
    for service in manifest["services"].values():
        for name, entry in service["collections"].items():
            path = source / entry["file"]
            if not path.is_file():
                raise BackupError(f"{entry['file']} is missing")
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest != entry["sha256"]:
                raise BackupError(f"{entry['file']} is damaged: SHA-256 {digest}, the manifest says {entry['sha256']}")


def occupied(manifest: dict) -> list[str]:
    """The target databases' collections that hold documents now ("service.collection")."""
    settings = get_settings()
    with _client() as client:
        return [f"{service}.{name}" for service in manifest["services"]
                for name in client[settings.database(service)].list_collection_names()
                if not name.startswith("system.") and name not in RUNTIME
                and client[settings.database(service)][name].find_one({}, {"_id": 1})]


def restore(source: Path, progress: Progress = lambda n: None) -> dict:
    """Replace every service's database with the backup in `source`; {documents, bytes, seconds}."""
    settings = get_settings()
    manifest = read_manifest(source)
    check(source, manifest)
    started, documents, size = time.monotonic(), 0, 0
    with _client() as client:
        for service, entry in manifest["services"].items():
            database = client[settings.database(service)]
            for name in database.list_collection_names():  # the database becomes the backup's
                if not name.startswith("system."):
                    database.drop_collection(name)
            for name, item in entry["collections"].items():
                collection = database[name]
                database.create_collection(name)
                batch = []
                with (source / item["file"]).open("rb") as raw:
                    for document in decode_file_iter(raw, codec_options=RAW):
                        batch.append(document)
                        if len(batch) == BATCH:
                            collection.insert_many(batch, ordered=True)
                            progress(len(batch))
                            batch = []
                if batch:
                    collection.insert_many(batch, ordered=True)
                    progress(len(batch))
                _indexes(collection, source / item["file"].replace(".bson", ".metadata.json"))
                documents, size = documents + item["count"], size + item["bytes"]
            if "outbox" in entry["collections"]:
                database["outbox"].update_many({"sent_at": {"$ne": None}}, {"$set": {"sent_at": None}})
    return {"documents": documents, "bytes": size, "seconds": round(time.monotonic() - started, 3)}


def _indexes(collection, metadata: Path) -> None:
    for spec in json_util.loads(metadata.read_text())["indexes"]:
        if spec["name"] == "_id_":
            continue
        options = {k: v for k, v in spec.items() if k not in ("v", "key", "ns")}
        collection.create_index(list(spec["key"].items()), **options)
