"""`civic`: the operators' command line."""
from __future__ import annotations

import json
import logging
import signal
import sys
import time

import click

from services.settings import SERVICES, get_settings, load_platform_env

SERVICE = click.Choice(SERVICES)


def _logging(level: str | None = None, service: str | None = None) -> None:
    """Plain lines for the interactive commands; JSON lines (services.logs) for a service's process."""
    if service:
        from services import logs

        logs.configure(service, level or get_settings().log_level)
        return
    logging.basicConfig(level=level or get_settings().log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("kafka").setLevel(logging.WARNING)


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Operate the civic participation platform.

    With no CIVIC_* variable set, every command but `run` takes its settings from the
    var/platform.env a running `civic run` leaves (or from the file $CIVIC_PLATFORM_ENV names)."""
    if ctx.invoked_subcommand != "run":
        _, note = load_platform_env()
        if note:
            click.echo(note, err=True)


def _dlq_topic(topic: str) -> str:
    """`voting`, `civic.voting` and `civic.voting.dlq` all name voting's dead-letter topic."""
    if topic.endswith(".dlq"):
        return topic
    return f"{topic}.dlq" if "." in topic else f"{get_settings().topic(topic)}.dlq"


@main.command()
@click.option("--port", default=8080, show_default=True, help="Gateway port.")
@click.option("--var", "var_dir", default="var", show_default=True, help="Data and logs folder.")
@click.option("--keep-data", is_flag=True, help="Keep the database from the last run.")
@click.option("--no-story", is_flag=True, help="Do not fill Idrija's process with the demo story.")
def run(port: int, var_dir: str, keep_data: bool, no_story: bool) -> None:
    """Run everything on the embedded default (broker, database, SMTP, institution, services); tell the demo story."""
    from services.demo import tell_story_safely
    from services.local.kafka import described
    from services.local.platform import Platform
    from services.local.supervise import Supervisor

    _logging()

    def interrupt(*_):  # SIGTERM/SIGHUP stop the platform as cleanly as Ctrl-C does
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGHUP, interrupt)
    platform = Platform(var_dir, gateway_port=port, fresh=not keep_data)
    click.echo(f"Starting {described(platform.broker, platform.var)}, the database, SMTP, the institution and 5 services")
    started = time.monotonic()
    try:
        platform.start()
    except KeyboardInterrupt:
        click.echo("Stopped while starting.")
        return
    except Exception as exc:  # noqa: BLE001 - say what failed and where its log is
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Ready in {time.monotonic() - started:.1f}s.")
    click.echo(f"  Platform:      {platform.gateway_url}")
    click.echo(f"  API docs:      {platform.gateway_url}/api/docs")
    click.echo(f"  Mail received: {platform.maildir}\n  Logs:          {platform.var / 'log'}")
    click.echo("  Demo sign-in:  staff@idrija.si / ana.resident@example.org, password demo-password-1")
    click.echo("Press Ctrl-C to stop.")
    try:
        if not no_story:  # while the platform already serves: a Ctrl-C stops the story and the platform
            tell_story_safely(platform.gateway_url, open_demo_accounts, say=click.echo)
        Supervisor(platform, say=lambda line: click.echo(line, err=True)).run()  # a part that exits starts again
    except KeyboardInterrupt:
        click.echo("Stopping...")
    finally:
        platform.stop()


def open_demo_accounts(people: list[tuple[str, str, str]]) -> None:
    """The demo story's residents of Idrija, (e-mail, password, language) each, opened as `civic user create`
    opens accounts, several at once (hashing passwords is slow); existing ones are kept."""
    from concurrent.futures import ThreadPoolExecutor
    from contextlib import suppress

    from gateway import handlers
    from services import db
    from services.errors import Conflict

    def one(email: str, password: str, language: str) -> None:
        with suppress(Conflict):
            handlers.register({"email": email, "password": password, "municipality": "idrija",
                               "language": language}, role="resident")

    db.connect("gateway")  # its indexes exist: seeding made them
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda person: one(*person), people))


@main.command()
@click.option("--story", is_flag=True, help="Then tell the demo story to the running platform's gateway.")
def seed(story: bool) -> None:
    """Load the demo municipality, process, institutions and accounts; --story: also the demo story (idempotent)."""
    _logging()
    from services.demo import tell_story_safely
    from services.seed import seed_all

    seed_all()
    click.echo("Seeded Idrija: process, institutions directory, demo accounts.")
    if story and not tell_story_safely(get_settings().service_url("gateway"), open_demo_accounts, say=click.echo):
        sys.exit(1)


@main.command()
@click.argument("service", type=SERVICE)
@click.option("--port", type=int, help="Port (default: from the service's URL setting).")
def serve(service: str, port: int | None) -> None:
    """Serve one service's API under gunicorn."""
    import os

    bind_port = port or int(get_settings().service_url(service).rsplit(":", 1)[1])
    os.execvp(sys.executable, [sys.executable, "-m", "gunicorn", "--config", "python:services.gunicorn_conf",
                               "--bind", f"0.0.0.0:{bind_port}", f"{service}.app:create_app()"])


@main.command()
@click.argument("service", type=SERVICE)
def worker(service: str) -> None:
    """Run one service's worker: outbox relay, event consumer and periodic jobs."""
    _logging(service=service)
    from services.worker import run_worker

    run_worker(service)


@main.group()
def dlq() -> None:
    """Inspect and replay dead letters."""


@dlq.command("list")
@click.argument("topic")
def dlq_list(topic: str) -> None:
    """Show what consumers parked on TOPIC.dlq, with the error each met."""
    from services.dlq import read_dead_letters

    letters = read_dead_letters(_dlq_topic(topic))
    if not letters:
        click.echo("No dead letters.")
    for letter in letters:
        key = letter.key.decode(errors="replace") if letter.key else "-"
        click.echo(f"{letter.partition}@{letter.offset} key {key} from {letter.source} by {letter.consumer}: "
                   f"{letter.error}")
        click.echo(f"    {letter.value[:200]!r}")
        if letter.truncated:
            click.echo(f"    {letter.size} bytes, sha256 {letter.sha256}; only the first {len(letter.value)} "
                       f"were kept, so it cannot be replayed")


@dlq.command("replay")
@click.argument("topic")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def dlq_replay(topic: str, yes: bool) -> None:
    """Publish TOPIC.dlq's messages back to their topic (consumers skip what they already applied)."""
    from services.dlq import read_dead_letters, replay

    letters = read_dead_letters(_dlq_topic(topic))
    skipped = [letter for letter in letters if not letter.replayable]
    if skipped:
        click.echo(f"Skipping {len(skipped)} oversize message(s) kept only in part (see civic dlq list).", err=True)
        letters = [letter for letter in letters if letter.replayable]
    if not letters:
        click.echo("No dead letters to replay.")
        return
    if not yes:
        click.confirm(f"Replay {len(letters)} message(s)?", abort=True)
    with click.progressbar(length=len(letters), label="Replaying") as bar:
        count = replay(letters)
        bar.update(count)
    click.echo(f"Replayed {count} message(s).")


@main.group()
def outbox() -> None:
    """Events a service's outbox relay set aside because the broker cannot take them."""


@outbox.command("parked")
@click.argument("service", type=SERVICE)
def outbox_parked(service: str) -> None:
    """List SERVICE's parked outbox events (too large to publish), oldest first."""
    from services import db

    db.connect(service)
    rows = list(db.OutboxEvent._get_collection().database["outbox_parked"].find(
        {}, {"event": 0}).sort("parked_at", 1))
    if not rows:
        click.echo("No parked events.")
    for row in rows:
        click.echo(f"{row['parked_at']:%Y-%m-%d %H:%M:%S} {row['_id']} key {row['key']} {row['size']} bytes, "
                   f"{row['reason']}: {row['error']}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status documents as JSON.")
def status(as_json: bool) -> None:
    """Every part's health, consumer lag per topic, outbox backlogs, dead letters, failing dispatches
    and open breakers (exit code 1 when a part is down)."""
    from gateway.inner import call
    from services.auth import Caller
    from services.status import gather, over_http, render_text

    found = gather(over_http(call, Caller("civic-status", "operator", "-")))
    click.echo(json.dumps(found, indent=2, ensure_ascii=False) if as_json else render_text(found))
    if not found["ok"]:
        sys.exit(1)


@main.group()
def user() -> None:
    """Manage accounts."""


@user.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True)
@click.option("--role", type=click.Choice(("resident", "staff", "institution", "operator")), required=True)
@click.option("--municipality", default=None, help="Required for residents and staff; operators and institutions are national.")
@click.option("--language", default="sl", show_default=True)
@click.option("--institution", "institution_code", default=None,
              help="For --role institution: the directory entry (e.g. mddsz) the account acts for.")
def user_create(email: str, password: str, role: str, municipality: str | None, language: str,
                institution_code: str | None) -> None:
    """Create an account with any role (staff, institutions and operators are created only here)."""
    from gateway import handlers
    from gateway.store import MODELS
    from services import db
    from services.errors import DomainError

    if municipality is None and role in ("resident", "staff"):
        raise click.UsageError("--municipality is required for residents and staff.")
    if (institution_code is not None) != (role == "institution"):
        raise click.UsageError("--institution goes with --role institution, and only with it.")
    if institution_code:
        from forwarding.cli import check_institution, link_account

        check_institution(institution_code)  # before the account exists, so a typo leaves nothing behind
    db.connect("gateway")
    db.ensure_indexes(*MODELS)
    try:
        account = handlers.register({"email": email, "password": password, "municipality": municipality,
                                     "language": language}, role=role)
    except DomainError as exc:
        raise click.ClickException(f"{exc.message} {json.dumps(exc.errors or {}, ensure_ascii=False)}")
    click.echo(f"Created {account.role} {account.email} ({account.municipality}), id {account.id}.")
    if institution_code:
        link_account(institution_code, account.id)
        click.echo(f"{account.email} acts for {institution_code}.")


@main.group()
def eligibility() -> None:
    """The registers of eligible residents (voting)."""


@eligibility.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--municipality", required=True, help="Whose register this is, e.g. idrija.")
@click.option("--replace", is_flag=True, help="Take residents absent from FILE off the register.")
def eligibility_import(file: str, municipality: str, replace: bool) -> None:
    """Import FILE (CSV with the columns reference,date_of_birth) into a municipality's register."""
    from voting.cli import import_file

    import_file(file, municipality, replace)


from forwarding.cli import institution  # noqa: E402  (each group's commands live with their service)
from forwarding.keys_cli import signing_key  # noqa: E402
from gateway.cli import municipality  # noqa: E402
from services.backup_cli import backup, restore  # noqa: E402
for command in (institution, municipality, signing_key, backup, restore):
    main.add_command(command)

if __name__ == "__main__":
    main()
