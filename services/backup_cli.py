"""`civic backup TARGET` and `civic restore SOURCE`: every service's database, outboxes included,
as a directory or a .tar.gz archive (services/backup.py has the format and the guarantee)."""
from __future__ import annotations

import sys
import tarfile
import tempfile
from pathlib import Path

import click

ARCHIVE = (".tar.gz", ".tgz")


def _archive(path: str) -> bool:
    return path.endswith(ARCHIVE)


def _figures(what: str, found: dict) -> str:
    return (f"{what} {found['documents']} documents, {found['bytes']} bytes of BSON "
            f"in {found['seconds']:.2f} s")


@click.command()
@click.argument("target", type=click.Path(file_okay=True, dir_okay=True))
def backup(target: str) -> None:
    """Back up every service's database to TARGET: a new directory, or an archive named *.tar.gz.
    One consistent snapshot of all databases (outboxes and consumers' markers included)."""
    from services import backup as work

    where = Path(target)
    if where.exists() and (not where.is_dir() or any(where.iterdir())):
        raise click.UsageError(f"{target} exists: choose a new directory or archive name.")
    total = sum(sum(names.values()) for names in work.plan().values())
    with tempfile.TemporaryDirectory(prefix="civic-backup-") as scratch:
        into = Path(scratch) / "backup" if _archive(target) else Path(target)
        with click.progressbar(length=max(total, 1), label="Backing up", file=sys.stderr) as bar:
            try:
                manifest = work.backup(into, progress=bar.update)
            except work.BackupError as exc:
                raise click.ClickException(str(exc)) from exc
        if _archive(target):
            with tarfile.open(target, "w:gz") as tar:
                tar.add(into, arcname=".")
    click.echo(_figures("Backed up", manifest) + f" to {target}.")
    for service, entry in manifest["services"].items():
        counts = ", ".join(f"{name} {c['count']}" for name, c in entry["collections"].items() if c["count"])
        click.echo(f"  {service}: {counts or 'empty'}")


@click.command()
@click.argument("source", type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--replace", is_flag=True, help="Replace databases that hold data already (e.g. a fresh "
                                               "platform's seed).")
def restore(source: str, replace: bool) -> None:
    """Restore every service's database from SOURCE (a backup directory or *.tar.gz), indexes included.
    Stop the services' APIs and workers first; start them again after. Restored outbox events are
    published again and the consumers skip those they had handled."""
    from services import backup as work

    with tempfile.TemporaryDirectory(prefix="civic-restore-") as scratch:
        where = Path(source)
        if where.is_file():
            with tarfile.open(where, "r:*") as tar:
                tar.extractall(scratch, filter="data")
            where = Path(scratch)
        try:
            manifest = work.read_manifest(where)
            work.check(where, manifest)
            there = work.occupied(manifest)
            if there and not replace:
                raise click.ClickException(f"{len(there)} collection(s) hold data already ({', '.join(there[:5])}"
                                           f"{', ...' if len(there) > 5 else ''}): give --replace to replace them.")
            with click.progressbar(length=max(manifest["documents"], 1), label="Restoring",
                                   file=sys.stderr) as bar:
                found = work.restore(where, progress=bar.update)
        except work.BackupError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(_figures("Restored", found) + f" from {source} (taken {manifest['created_at']}); "
               f"the outbox relays publish the restored events again.")
