"""`civic signing-key ...`: operators rotate the municipalities' dossier-signing keys and keep the
private halves outside the database (CIVIC_SIGNING_KEY_DIR). Run it where forwarding runs: with a
key directory, the new private key file is written there."""
from __future__ import annotations

from pathlib import Path

import click

from forwarding.cli import _forwarding


@click.group("signing-key")
def signing_key() -> None:
    """The municipalities' Ed25519 dossier-signing keys (platform operators)."""


@signing_key.command("list")
def list_keys() -> None:
    """Every key: id, municipality, active or retired (with dates), where its private half is."""
    from forwarding import keys
    from forwarding.store import SigningKey

    _forwarding()
    for key in SigningKey.objects.order_by("municipality", "created_at"):
        state = "active" if key.active else f"retired {key.retired_at:%Y-%m-%d %H:%M}"
        kept = "database" if key.private_pem else f"file in {keys.key_dir() or '(CIVIC_SIGNING_KEY_DIR unset!)'}"
        click.echo(f"{key.id:20} {key.municipality:14} created {key.created_at:%Y-%m-%d %H:%M}  {state:24} {kept}")


@signing_key.command("rotate")
@click.argument("municipalities", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Rotate every municipality that has a key.")
def rotate(municipalities: tuple[str, ...], every: bool) -> None:
    """Give MUNICIPALITIES new signing keys; new dossiers are signed with them, the old public keys stay
    published (retired), so dossiers signed before still verify."""
    from forwarding import keys
    from forwarding.store import SigningKey

    _forwarding()
    if every == bool(municipalities):
        raise click.UsageError("Name the municipalities, or give --all.")
    known = set(SigningKey.objects.distinct("municipality"))
    codes = sorted(known) if every else list(municipalities)
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise click.UsageError(f"No signing key yet for: {', '.join(unknown)} (a municipality gets its "
                               f"first key when it is created).")
    for code in codes:
        try:
            old, new = keys.rotate(code)
        except RuntimeError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"{code}: signs with {new.id} now" + (f"; {old.id} retired (still published)" if old else ""))


@signing_key.command("move-to-dir")
@click.argument("municipalities", nargs=-1)
def move_to_dir(municipalities: tuple[str, ...]) -> None:
    """Write the private keys kept in the database (of MUNICIPALITIES, or all) to CIVIC_SIGNING_KEY_DIR
    (mode 0600) and remove them from the database, which keeps the public keys and key ids. Set the
    directory for forwarding's processes too, and restart them."""
    from forwarding import keys

    directory = keys.key_dir()
    if directory is None:
        raise click.UsageError("Set CIVIC_SIGNING_KEY_DIR (the directory forwarding reads the keys from).")
    _forwarding()
    moved = keys.move_to_dir(Path(directory), list(municipalities))
    click.echo(f"Moved {len(moved)} private key(s) to {directory}: {', '.join(moved) or 'none left in the database'}.")
