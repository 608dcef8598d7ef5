"""The public tracker's figures per institution, at /tracker/institutions (all municipalities, or one
with ?municipality=): the dossiers each received, the share answered by the due date and the median
days to reply, drawn as bar charts in inline SVG on the server, with a table of the same figures."""
from __future__ import annotations

from flask import request, url_for
from flask_babel import format_decimal

from gateway.municipalities import all_municipalities
from gateway.pages.blueprint import bp
from gateway.pages.calls import fetch
from gateway.pages.labels import localised
from gateway.pages.render import render
from gateway.pages.staff_forwarding_common import needed

BAR_AREA, VALUE_WIDTH, BAR_HEIGHT, BAR_GAP = 220, 90, 22, 30


def chart(rows: list[dict], key: str, scale: float | None = None) -> dict | None:
    """Horizontal bars of `key` for the rows that have it: each bar's label, value, width and position
    (the label above its bar, so long institution names fit a phone). With a fixed `scale` (a share's
    100 %) each bar lies on a track of the whole scale."""
    shown = [r for r in rows if r.get(key) is not None]
    if not shown:
        return None
    most = scale or max(r[key] for r in shown) or 1
    bars = [{"name": r["title"], "value": r[key], "y": n * (BAR_HEIGHT + BAR_GAP) + 16,
             "width": max(2, round(BAR_AREA * r[key] / most))} for n, r in enumerate(shown)]
    return {"bars": bars, "width": BAR_AREA + VALUE_WIDTH, "height": len(bars) * (BAR_HEIGHT + BAR_GAP) + 4,
            "bar_height": BAR_HEIGHT, "track": BAR_AREA if scale else None}


def percent(share: float | None) -> str:
    return "" if share is None else f"{format_decimal(round(share * 100), format='#,##0')} %"


@bp.get("/tracker/institutions")
def tracker_institutions():
    known = all_municipalities()
    chosen = request.args.get("municipality") if request.args.get("municipality") in known else ""
    answer = needed(fetch("tracker", params={"municipality": chosen or None, "per_page": 1}))
    rows = [{**row, "title": localised(row.get("name"), row["institution_id"])} for row in answer["institutions"]]
    active = sorted((r for r in rows if r["forwarded"]), key=lambda r: (-r["forwarded"], r["title"].casefold()))
    idle = sorted((r["title"] for r in rows if not r["forwarded"]), key=str.casefold)
    return render("tracker_institutions.html", rows=active, idle=idle, chosen=chosen,
                  municipality_options=[(code, getattr(m, "name", code)) for code, m in known.items()],
                  share_chart=chart(active, "in_time_share", scale=1.0), days_chart=chart(active, "median_days_to_reply"),
                  percent=percent, days=lambda value: "" if value is None else format_decimal(value, format="#,##0.0"),
                  tracker_url=url_for("pages.tracker", **({"municipality": chosen} if chosen else {})),
                  form_url=url_for("pages.tracker_institutions"))
