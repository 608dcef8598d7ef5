"""Open-data exports: every dataset in both formats holds no personal data of the residents who made
it (authors, commenters, voters: their account ids, e-mails, receipt codes, register references),
validates against its documented schema, answers 304 to its ETag, and its CSV matches its JSON."""
from __future__ import annotations

import csv
import io
import uuid

import pytest
import requests

from forwarding import opendata_schemas as fo
from proposals.schemas import opendata as po
from services.opendata import LICENCE
from tests.support import operator_of, poll, published_for_voting, register, staff_of, user_id
from voting import opendata_schemas as vo

SCHEMAS = {"proposals": po.ProposalsExport, "results": vo.ResultsExport, "dossiers": fo.EXPORTS["dossiers"],
           "replies": fo.EXPORTS["replies"], "tracker": fo.EXPORTS["tracker"]}
REPLY = "Tečaje bomo razširili jeseni; odgovor ministrstva za odprte podatke."


@pytest.fixture(scope="module")
def seeded(gateway):
    """A proposal with its author, a commenter and two voters, adopted, forwarded (by hand) to an
    institution that replies by post; and what of those residents must never appear."""
    staff = staff_of(gateway)
    code = f"od-{uuid.uuid4().hex[:8]}"
    made = operator_of(staff).post("/institutions", json={
        "id": code, "name": {"sl": f"Urad {code}", "en": f"Office {code}"}, "themes": [], "channel": "manual",
        "deadline_days": 30})
    assert made.status_code == 201, made.text
    author = register(gateway)
    voters = [register(gateway, eligible=True) for _ in range(2)]
    title = f"Odprti podatki {uuid.uuid4().hex[:6]}"
    assert staff.put("/forwarding/policy", json={"review_required": True}).status_code == 200
    try:
        pid = published_for_voting(author, staff, theme="health", title=title)
        comment = voters[0].post(f"/proposals/{pid}/comments", json={"body": "Helps newcomers.", "alignment": "for"})
        assert comment.status_code == 201, comment.text
        assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
        receipts = []
        for voter in voters:
            ballot = voter.put(f"/proposals/{pid}/ballot", json={"choice": "yes"})
            assert ballot.status_code == 200, ballot.text
            receipts.append(ballot.json()["receipt"])
        assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200
        poll(lambda: staff.get(f"/proposals/{pid}/forwarding").json()["dossiers"], 30, "the dossiers")
    finally:
        assert staff.put("/forwarding/policy", json={"review_required": False}).status_code == 200
    reviewed = staff.post(f"/proposals/{pid}/forwarding/review", json={"institutions": [code]})
    assert reviewed.status_code == 200, reviewed.text
    dossier = next(d for d in reviewed.json()["dossiers"] if d["institution_id"] == code)
    poll(lambda: staff.get(f"/dossiers/{dossier['id']}").json()["status"] == "awaiting_manual", 30, "manual dossier")
    assert staff.post(f"/dossiers/{dossier['id']}/sent", json={"note": "By post."}).status_code == 200
    replied = staff.post(f"/dossiers/{dossier['id']}/replies", json={"status": "accepted", "text": REPLY})
    assert replied.status_code == 201, replied.text
    people = [author, *voters]
    secrets = [user_id(p) for p in people] + [p.email for p in people] + receipts + \
        [v.register_reference for v in voters] + [user_id(staff)]
    return {"pid": pid, "dossier": dossier["id"], "secrets": secrets, "code": code}


def _get(gateway, name, fmt, **params):
    answer = requests.get(f"{gateway}/api/v1/open-data/{name}.{fmt}", params=params, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer


def test_no_export_holds_personal_data_and_each_validates_against_its_schema(gateway, seeded):
    for name, schema in SCHEMAS.items():
        for params in ({}, {"municipality": "idrija"}):
            for fmt in ("json", "csv"):
                raw = _get(gateway, name, fmt, **params).content
                text = raw.decode("utf-8-sig")
                leaked = [s for s in seeded["secrets"] if s in text or s.lower() in text.lower()]
                assert not leaked, f"{name}.{fmt} holds {leaked}"
                if fmt == "json":
                    document = schema().load(_get(gateway, name, "json", **params).json())
                    assert document["licence"] == LICENCE and document["count"] == len(document["rows"])
    # ... and the seeded proposal is in every dataset, so the check above read real rows
    ids = {name: {r["proposal_id"] for r in _get(gateway, name, "json").json()["rows"]} for name in SCHEMAS}
    assert all(seeded["pid"] in found for found in ids.values()), ids
    reply = next(r for r in _get(gateway, "replies", "json").json()["rows"] if r["dossier_id"] == seeded["dossier"])
    assert (reply["text"], reply["status"], reply["via"]) == (REPLY, "accepted", "post")
    result = next(r for r in _get(gateway, "results", "json").json()["rows"] if r["proposal_id"] == seeded["pid"])
    assert (result["yes"], result["ballots"], result["outcome"]) == (2, 2, "adopted")


def test_csv_has_the_json_columns_and_rows_plus_the_licence(gateway, seeded):
    for name in SCHEMAS:
        rows = _get(gateway, name, "json", municipality="idrija").json()["rows"]
        answer = _get(gateway, name, "csv", municipality="idrija")
        assert answer.headers["Content-Type"].startswith("text/csv")
        assert 'rel="license"' in answer.headers["Link"]
        table = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
        assert table[0] == [*SCHEMAS[name]().fields["rows"].inner.schema.fields, "licence"]
        assert len(table) - 1 == len(rows)
        for row, line in zip(rows, table[1:]):
            assert line[-1] == LICENCE
            assert line[0] == str(row[table[0][0]])


def test_etag_answers_304_and_changes_with_the_data(gateway, seeded):
    url = f"{gateway}/api/v1/open-data/proposals.json"
    first = requests.get(url, params={"municipality": "idrija"}, timeout=60)
    etag = first.headers["ETag"]
    assert "max-age" in first.headers["Cache-Control"]
    again = requests.get(url, params={"municipality": "idrija"}, headers={"If-None-Match": etag}, timeout=60)
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    other = requests.get(url, params={"municipality": "litija"}, headers={"If-None-Match": etag}, timeout=60)
    assert other.status_code == 200 and other.headers["ETag"] != etag
    staff, author = staff_of(gateway), register(gateway)
    published_for_voting(author, staff, theme="health", title=f"Nov predlog {uuid.uuid4().hex[:6]}")
    changed = requests.get(url, params={"municipality": "idrija"}, headers={"If-None-Match": etag}, timeout=60)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_catalogue_counts_rows_and_bad_input_is_refused(gateway, seeded):
    catalogue = requests.get(f"{gateway}/api/v1/open-data/catalogue/forwarding", timeout=30).json()["datasets"]
    replies = next(d for d in catalogue if d["name"] == "replies")
    rows = _get(gateway, "replies", "json").json()["count"]
    assert replies["rows"] == rows and replies["last_change"]
    assert requests.get(f"{gateway}/api/v1/open-data/proposals.json", params={"municipality": "../x"},
                        timeout=30).status_code == 422
