"""The platform's front door: every municipality on it, each with its own pages under /m/<code>/,
the municipality's colours as a small stylesheet, and old addresses sent on."""
from __future__ import annotations

from flask import Response, redirect, url_for

from gateway.municipalities import all_municipalities, get
from gateway.pages.blueprint import bp
from gateway.pages.render import render
from gateway.pages.session import home_municipality


@bp.get("/")
def landing():
    return render("landing.html", choices=list(all_municipalities().values()), home=home_municipality())


@bp.get("/m/<municipality>/theme.css")
def theme():
    """The municipality's accent (checked for 4.5:1 against white) as the brand colour; a stylesheet
    rather than inline style, so the pages' Content-Security-Policy needs no 'unsafe-inline'."""
    found = get(home_municipality())
    return Response(f":root {{ --brand: {found.accent_colour}; }}\n", mimetype="text/css",
                    headers={"Cache-Control": "public, max-age=300"})


@bp.get("/proposals/<path:rest>")
def old_address(rest: str):
    """Addresses from before municipalities had their own (/proposals/<id>): the visitor's municipality."""
    return redirect(url_for("pages.index") + f"proposals/{rest}", code=301)
