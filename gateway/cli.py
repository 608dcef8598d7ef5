"""`civic municipality ...`: operators add municipalities and change their settings."""
from __future__ import annotations

import json
from pathlib import Path

import click

from services import db
from services.auth import Caller
from services.errors import DomainError

OPERATOR = Caller("cli", "operator", "*")


def _connect() -> None:
    from gateway.store import MODELS

    db.connect("gateway")
    db.ensure_indexes(*MODELS)


def _data(options: dict) -> dict:
    data = {key: value for key, value in options.items() if value is not None and key != "coat_of_arms"}
    if data.get("languages"):
        data["languages"] = [code.strip() for code in data["languages"].split(",") if code.strip()]
    if options.get("coat_of_arms"):
        data["coat_of_arms"] = Path(options["coat_of_arms"]).read_bytes()
    return data


def _show(item) -> str:
    return (f"{item.id:12} {item.name:20} languages {','.join(item.languages)} (default {item.default_language}), "
            f"{item.timezone}, accent {item.accent_colour}, coat of arms {'yes' if item.coat_of_arms else 'no'}")


@click.group()
def municipality() -> None:
    """The municipalities on this platform (platform operators)."""


COMMON = [
    click.option("--name", help="The municipality's name, e.g. Idrija."),
    click.option("--languages", help="Interface languages, comma-separated; the first is the default "
                                     "unless --default-language says otherwise, e.g. sl,en,uk."),
    click.option("--default-language"),
    click.option("--timezone", help="e.g. Europe/Ljubljana"),
    click.option("--accent-colour", help="#rrggbb with at least 4.5:1 contrast against white."),
    click.option("--coat-of-arms", type=click.Path(exists=True, dir_okay=False), help="A PNG or JPEG, at most 200 KiB."),
]


def _common(command):
    for option in reversed(COMMON):
        command = option(command)
    return command


@municipality.command("create")
@click.option("--code", required=True, help="As it stands in addresses: /m/CODE/.")
@_common
def create(**options) -> None:
    """Add a municipality; every service learns of it (forwarding makes its signing key)."""
    from gateway import municipalities

    if not options.get("name") or not options.get("languages"):
        raise click.UsageError("--name and --languages are required.")
    _connect()
    try:
        item = municipalities.create(OPERATOR, _data(options))
    except DomainError as exc:
        raise click.ClickException(f"{exc.message} {json.dumps(exc.errors or {}, ensure_ascii=False)}") from exc
    click.echo(f"Created {_show(item)}")


@municipality.command("update")
@click.argument("code")
@_common
def update(code: str, **options) -> None:
    """Change a municipality's settings."""
    from gateway import municipalities

    _connect()
    try:
        item = municipalities.update(OPERATOR, code, _data(options))
    except DomainError as exc:
        raise click.ClickException(f"{exc.message} {json.dumps(exc.errors or {}, ensure_ascii=False)}") from exc
    click.echo(f"Updated {_show(item)}")


@municipality.command("list")
def list_() -> None:
    """Every municipality with its settings."""
    from gateway import municipalities

    _connect()
    for item in municipalities.all_municipalities().values():
        click.echo(_show(item))
