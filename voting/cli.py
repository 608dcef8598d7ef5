"""`civic eligibility import`: a register CSV into the voting service's database, with a progress bar."""
from __future__ import annotations

from pathlib import Path

import click

from services import db
from services.auth import Caller
from voting import eligibility
from voting.store import MODELS


def import_file(path: str, municipality: str, replace: bool) -> None:
    db.connect("voting")
    db.ensure_indexes(*MODELS)
    text = Path(path).read_text(encoding="utf-8-sig")
    rows, problems = eligibility.read_csv(text)
    if problems:
        raise click.ClickException(f"{path} is not a register CSV: {'; '.join(problems)}.")
    operator = Caller("cli", "staff", municipality)
    with click.progressbar(length=len(rows), label=f"Importing {municipality}'s register") as bar:
        report = eligibility.import_register(operator, municipality, rows, replace=replace, progress=bar.update)
    click.echo(f"Imported {report['imported']} row(s); {len(report['rejected'])} rejected; "
               f"{report['removed']} taken off the register; {report['eligible']} eligible now.")
    for row in report["rejected"]:
        click.echo(f"  line {row['line']}: {row['reason']}" + (f" ({row['reference']})" if row["reference"] else ""))
