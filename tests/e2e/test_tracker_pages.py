"""The public tracker on the web, driven as a browser without JavaScript: a forwarded conclusion appears
with its institution and due date, the filters narrow the list, the overdue flag shows once the
forwarding clock passes the due date, the per-institution figures (share in time, median days) with
their chart and table, and the cross-municipality group when three municipalities adopt similar
conclusions (on the tracker, its own page and the institution portal's dossier)."""
from __future__ import annotations

import pytest

import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import requests

from forwarding.domain import link_token
from services.settings import get_settings
from tests import support
from tests.e2e.test_pages import browser
from tests.support import adopted, advance_clock, forwarded_to, operator_of, poll, staff_of, wait_status

DAY = 86400.0


def _institution(staff, platform, deadline_days: int = 30) -> str:
    """A fresh institution at the stand-in intake (which acknowledges what it receives)."""
    code = f"t-{uuid.uuid4().hex[:8]}"
    answer = operator_of(staff).post("/institutions", json={
        "id": code, "name": {"sl": f"Urad {code}", "en": f"Office {code}"}, "themes": [], "channel": "webhook",
        "webhook_url": f"{platform.url('institution')}/intake/{code}", "secret": "dev-institution-secret",
        "deadline_days": deadline_days})
    assert answer.status_code == 201, answer.text
    return code


def _page(path: str, gateway: str, **params) -> str:
    answer = browser().get(f"{gateway}{path}", params={"lang": "en", **params}, timeout=30)
    assert answer.status_code == 200, (path, params, answer.status_code)
    return answer.text


def _entry(html: str, pid: str) -> str | None:
    """The tracker entry (article) of one conclusion, or None when it is not listed."""
    match = re.search(rf'<article class="tracker-item" aria-labelledby="c-{pid}">.*?</article>', html, re.S)
    return match.group(0) if match else None


def _local_iso(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(ZoneInfo("Europe/Ljubljana")).isoformat()


def test_a_forwarded_conclusion_appears_with_its_institution_and_due_date_and_the_filters_narrow(platform,
                                                                                               gateway):
    staff = staff_of(gateway)
    code = _institution(staff, platform)
    title = f"Tolmači v zdravstvenih domovih {uuid.uuid4().hex[:6]}"
    _author, pid, _ = forwarded_to(gateway, staff, [code], title=title, theme="health")
    dossier = wait_status(staff, pid, code, "acknowledged")

    entry = _entry(_page("/tracker", gateway, institution=code), pid)
    assert entry and title in entry and f"Office {code}" in entry and "Idrija" in entry, entry
    assert f'<time datetime="{_local_iso(dossier["due_at"])}">' in entry  # the reply's due date
    assert f'href="/m/idrija/proposals/{pid}"' in entry and "Awaiting reply" in entry and "Overdue" not in entry

    shown = lambda **params: _entry(_page("/tracker", gateway, institution=code, **params), pid) is not None  # noqa: E731
    assert shown(status="awaiting_reply") and shown(theme="health") and shown(municipality="idrija")
    assert not shown(status="replied") and not shown(status="overdue") and not shown(theme="housing")
    assert not shown(municipality="litija")
    empty = _page("/tracker", gateway, institution=code, status="replied")
    assert "No forwarded conclusion matches these filters." in empty and "Clear all filters" in empty
    assert _entry(_page("/m/idrija/tracker", gateway, institution=code), pid)
    assert _entry(_page("/m/litija/tracker", gateway), pid) is None  # another municipality's tracker

    # The operation behind it: filtered and paged, with the count of each phase.
    api = support.Client(gateway).get("/tracker", params={"institution_id": code, "per_page": 1}).json()
    assert (api["total"], api["page"], api["per_page"]) == (1, 1, 1)
    assert api["counts"]["awaiting_reply"] == 1 and api["conclusions"][0]["municipality"] == "idrija"
    assert api["conclusions"][0]["dossiers"][0]["phase"] == "awaiting_reply"


@pytest.mark.moves_clock
def test_overdue_after_the_clock_passes_and_the_figures_per_institution(platform, gateway):
    staff = staff_of(gateway)
    code = _institution(staff, platform, deadline_days=10)
    _a, answered, _ = forwarded_to(gateway, staff, [code], title=f"Odgovorjeni predlog {uuid.uuid4().hex[:6]}")
    _b, waiting, _ = forwarded_to(gateway, staff, [code], title=f"Čakajoči predlog {uuid.uuid4().hex[:6]}")
    first = wait_status(staff, answered, code, "acknowledged")
    wait_status(staff, waiting, code, "acknowledged")
    replied = staff.post(f"/dossiers/{first['id']}/replies", json={"status": "accepted", "text": "Sprejeto."})
    assert replied.status_code == 201, replied.text
    advance_clock(staff, 11 * DAY)

    def overdue_entry():
        found = _entry(_page("/tracker", gateway, institution=code, status="overdue"), waiting)
        return found if found and "Overdue" in found else None

    entry = poll(overdue_entry, 60, "the overdue flag on the tracker")
    assert '<strong class="badge badge-overdue">Overdue</strong>' in entry
    overdue_list = _page("/tracker", gateway, institution=code, status="overdue")
    assert _entry(overdue_list, answered) is None
    replied_entry = _entry(_page("/tracker", gateway, institution=code, status="replied"), answered)
    assert replied_entry and "Accepted" in replied_entry and f"#dossier-{first['id']}" in replied_entry

    figures = _page("/tracker/institutions", gateway)
    row = next(tr for tr in figures.split("<tr>") if f"institution={code}" in tr)
    numbers = re.findall(r'<td class="number">(.*?)</td>', row, re.S)
    assert [n.strip() for n in numbers[:3]] == ["2", "1", "1"]  # received, replied, overdue
    assert "50 %" in numbers[3] and "1 of 2" in numbers[3]  # one in time of the two decided
    assert numbers[4].strip() == "0.0"  # answered the same (clock) day
    desc = re.search(r'<desc id="share-desc">(.*?)</desc>', figures, re.S).group(1)
    assert f"Office {code}: 50 %" in desc  # the chart says the same as the table
    api = next(i for i in support.Client(gateway).get("/tracker").json()["institutions"] if i["institution_id"] == code)
    assert (api["in_time"], api["decided"], api["in_time_share"], api["median_days_to_reply"]) == (1, 2, 0.5, 0.0)


ASKS = {  # three wordings of the same ask, one per municipality
    "idrija": ("Brezplačni tečaji slovenščine za odrasle priseljence {tag}",
               "Država naj financira brezplačne večerne tečaje slovenskega jezika za odrasle priseljence."),
    "litija": ("Brezplačen tečaj slovenščine za priseljene odrasle {tag}",
               "Večerni tečaji slovenskega jezika za odrasle priseljence naj bodo brezplačni."),
    "ljubljana": ("Več brezplačnih tečajev slovenščine za odrasle priseljence {tag}",
                  "Brezplačni večerni tečaji slovenskega jezika za vse odrasle priseljence."),
}


def test_the_group_appears_when_three_municipalities_adopt_similar_conclusions(platform, gateway):
    tag = uuid.uuid4().hex[:6]
    pids = {}
    for municipality, (title, summary) in ASKS.items():
        staff = staff_of(gateway, municipality)
        _author, pids[municipality] = adopted(gateway, staff, "education", title=title.format(tag=tag),
                                              summary=summary, language="sl")
        assert staff.post(f"/proposals/{pids[municipality]}/voting/close").status_code == 200
    reader = support.Client(gateway)

    def grouped():
        found = reader.get("/tracker", params={"theme": "education"}).json()["conclusions"]
        ours = [c for c in found if c["proposal_id"] in pids.values()]
        return len(ours) == 3 and all(c["group"] and c["group"]["municipality_count"] == 3 for c in ours) and ours

    ours = poll(grouped, 60, "the three conclusions grouped")
    group = ours[0]["group"]
    assert {c["group"]["group_id"] for c in ours} == {pids["idrija"]}  # the first one adopted starts the group
    assert (group["municipalities"], group["conclusions"], group["ballots"]) == (
        ["idrija", "litija", "ljubljana"], 3, 3)
    assert [m["proposal_id"] for m in group["members"]] == [pids[m] for m in ASKS]

    entry = _entry(_page("/tracker", gateway, theme="education"), pids["litija"])
    assert "Asked for by 3 municipalities" in entry and "3 residents voted in all" in entry
    assert f'href="/tracker/groups/{pids["idrija"]}"' in entry
    page = _page(f"/tracker/groups/{pids['idrija']}", gateway)
    assert "<h1>Asked for by 3 municipalities</h1>" in page
    for municipality, (title, _summary) in ASKS.items():
        assert _entry(page, pids[municipality]) and title.format(tag=tag) in page
    assert "Litija" in page and "Ljubljana" in page
    assert browser().get(f"{gateway}/tracker/groups/{uuid.uuid4().hex[:12]}", timeout=30).status_code == 404

    # The institution portal's dossier carries the group too.
    staff = staff_of(gateway, "litija")
    dossier = poll(lambda: next((d for d in staff.get(f"/proposals/{pids['litija']}/forwarding").json()["dossiers"]
                                 if d["status"] in ("sent", "acknowledged")), None), 60, "the Litija dossier sent")
    token = link_token(get_settings().service_secret, dossier["id"])
    portal = requests.get(f"{gateway}/api/v1/portal/dossiers/{dossier['id']}", params={"token": token}, timeout=30)
    assert portal.status_code == 200, portal.text
    assert portal.json()["group"]["group_id"] == pids["idrija"] and portal.json()["group"]["ballots"] == 3
