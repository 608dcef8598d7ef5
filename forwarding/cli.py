"""`civic institution ...`: operators keep the national institutions directory (it belongs to no
municipality, so no municipality's staff edit it)."""
from __future__ import annotations

import json

import click

from services import db
from services.auth import Caller
from services.errors import DomainError

OPERATOR = Caller("cli", "operator", "*")


def _forwarding():
    from forwarding.store import MODELS

    db.connect("forwarding")
    db.ensure_indexes(*MODELS)


def _refused(exc: DomainError) -> click.ClickException:
    return click.ClickException(f"{exc.message} {json.dumps(exc.errors or {}, ensure_ascii=False)}")


@click.group()
def institution() -> None:
    """The national institutions directory (platform operators)."""


@institution.command("list")
def list_() -> None:
    """Every institution with its channel, themes and accounts."""
    from forwarding import institutions

    _forwarding()
    for item in institutions.list_institutions():
        click.echo(f"{item.id:8} {item.channel:8} {','.join(item.themes or []):40} "
                   f"accounts={len(item.account_ids or [])} api_key={'yes' if item.api_key_hash else 'no'}  "
                   f"{(item.name or {}).get('sl', '')}")


@institution.command("set")
@click.argument("code")
@click.option("--channel", type=click.Choice(("webhook", "email", "manual")))
@click.option("--webhook-url")
@click.option("--secret", help="The webhook's shared HMAC secret.")
@click.option("--email", help="The official intake address (e-mail channel).")
@click.option("--deadline-days", type=int)
def set_(code: str, **changes) -> None:
    """Change how CODE receives dossiers."""
    from forwarding import institutions

    data = {key: value for key, value in changes.items() if value is not None}
    _forwarding()
    try:
        item = institutions.update_institution(OPERATOR, code, data)
    except DomainError as exc:
        raise _refused(exc) from exc
    click.echo(f"{item.id}: channel {item.channel}, webhook {item.webhook_url or '-'}, e-mail {item.email or '-'}.")


def check_institution(code: str) -> None:
    """A usage error unless CODE is in the directory."""
    from forwarding.store import Institution

    _forwarding()
    if not Institution.objects(id=code).first():
        raise click.ClickException(f"No institution {code} in the directory: see `civic institution list`.")


def link_account(code: str, account_id: str) -> None:
    """Let the institution account `account_id` acknowledge and reply for CODE."""
    from forwarding import institutions

    _forwarding()
    item = institutions.get_institution(code)
    institutions.update_institution(OPERATOR, code, {"account_ids": sorted({*(item.account_ids or []), account_id})})


@institution.command("api-key")
@click.argument("code")
def api_key(code: str) -> None:
    """Issue a new API key for CODE's systems (the old one stops working; shown once)."""
    from forwarding import institutions

    _forwarding()
    try:
        issued = institutions.issue_api_key(OPERATOR, code)
    except DomainError as exc:
        raise _refused(exc) from exc
    click.echo(issued["api_key"])
