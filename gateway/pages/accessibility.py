"""The accessibility statement (/accessibility), as the EU Web Accessibility Directive (2016/2102)
and Slovenia's ZDSMA require of a public body's site: how far the platform conforms to
EN 301 549 / WCAG 2.1 AA, what is not yet accessible, how to report a problem, and where to turn
if the answer does not satisfy."""
from __future__ import annotations

from gateway.pages.blueprint import bp
from gateway.pages.render import render
from services.settings import get_settings

PREPARED = "2026-12-04"  # when the statement was last reviewed against the tests and a reading


@bp.get("/accessibility")
def accessibility():
    return render("accessibility.html", contact=get_settings().accessibility_contact, prepared=PREPARED)
