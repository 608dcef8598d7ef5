"""Processes, themes, proposals (submit, edit with versions, translate, withdraw), workshop input,
search and similar-proposal suggestions, over the public API on the real platform."""
from __future__ import annotations

import pytest

from tests.support import (
    Client,
    new_process,
    outbox_types,
    poll,
    published_for_voting,
    register,
    staff_of,
)

BODY = {"title": "Language café at the library", "summary": "Weekly Slovene conversation evenings for newcomers.",
        "theme": "housing", "language": "en"}


@pytest.fixture(scope="module")
def lj(gateway):
    """Ljubljana: its own staff, residents and a fresh process, so counts start from zero."""
    staff = staff_of(gateway, "ljubljana")
    process = new_process(staff, phases=[
        {"code": "workshops", "starts_on": "2020-01-01", "ends_on": "2099-12-31"}])
    return {"staff": staff, "process": process["id"], "author": register(gateway, municipality="ljubljana"),
            "other": register(gateway, municipality="ljubljana"), "anonymous": Client(gateway),
            "idrija_staff": staff_of(gateway)}


def submit(client, process, **fields):
    answer = client.post("/proposals", json={**BODY, "process_id": process, **fields})
    assert answer.status_code == 201, answer.text
    return answer.json()


def approve(staff, pid, competence="shared", **extra):
    answer = staff.post(f"/proposals/{pid}/moderation", json={"decision": "approve", "competence": competence,
                                                               **extra})
    assert answer.status_code == 200, answer.text
    return answer.json()


# --- processes and themes ---------------------------------------------------

def test_the_theme_catalogue_has_the_nine_areas_and_the_municipalitys_own(lj, gateway):
    themes = {t["code"]: t for t in Client(gateway).get("/themes").json()}
    assert len([t for t in themes.values() if t["national"]]) == 9
    assert themes["inclusion"]["competence"] == "municipal" and not themes["inclusion"]["national"]
    answer = lj["staff"].post("/themes", json={"code": "roma-community", "labels": {"sl": "Romska skupnost"},
                                               "competence": "municipal"})
    assert answer.status_code == 201, answer.text
    assert lj["author"].post("/themes", json={"code": "x-theme", "labels": {"sl": "X"},
                                              "competence": "municipal"}).status_code == 403
    process = new_process(lj["staff"], themes=["roma-community", "housing"])
    assert process["themes"] == {"roma-community": "municipal", "housing": "shared"}
    # Ljubljana's own theme is not Idrija's.
    assert lj["idrija_staff"].post("/processes", json={"id": "idrija-x1", "title": {"sl": "X"},
                                                       "themes": ["roma-community"]}).status_code == 422


def test_a_process_has_phases_and_knows_the_current_one(lj):
    process = lj["staff"].get(f"/processes/{lj['process']}").json()
    assert process["current_phase"] == "workshops"
    answer = lj["staff"].request("PATCH", f"/processes/{lj['process']}", json={"phases": [
        {"code": "vote", "starts_on": "2026-05-01", "ends_on": "2026-04-01"}]})
    assert answer.status_code == 422 and "phases" in answer.json()["errors"]["json"]
    assert lj["author"].request("PATCH", f"/processes/{lj['process']}",
                                json={"title": {"en": "Mine"}}).status_code == 403
    # Another municipality's process does not exist for Idrija's staff.
    assert lj["idrija_staff"].get(f"/processes/{lj['process']}").status_code == 404
    answer = lj["staff"].post("/processes", json={"id": "Bad Id!", "title": {}, "themes": ["space"]})
    assert {"id", "title"} <= set(answer.json()["errors"]["json"])


# --- submit, edit, versions, withdraw ----------------------------------------

def test_a_proposal_keeps_every_version_until_published_then_is_frozen(lj):
    author, staff = lj["author"], lj["staff"]
    proposal = submit(author, lj["process"], tags=["Library", "language"], body="**Why** <script>x()</script>",
                      translations={"sl": {"title": "Jezikovna kavarna", "summary": "Tedenski pogovorni večeri."}})
    pid = proposal["id"]
    assert proposal["phase"] == "workshops" and proposal["default_competence"] == "shared"
    assert proposal["tags"] == ["language", "library"] and proposal["version"] == 1
    assert "<script" not in proposal["body"] and "<strong>Why</strong>" in proposal["body_html"]
    # Someone else can neither see nor edit it; the author can edit.
    assert lj["other"].request("PATCH", f"/proposals/{pid}", json={"title": "Hijacked title"}).status_code == 404
    edited = author.request("PATCH", f"/proposals/{pid}", json={"title": "Language café at the city library"})
    assert edited.status_code == 200 and edited.json()["version"] == 2
    changes = staff.post(f"/proposals/{pid}/moderation", json={"decision": "request_changes",
                                                               "note": "Say which library."})
    assert changes.json()["status"] == "changes_requested" and changes.json()["moderator_note"]
    again = author.request("PATCH", f"/proposals/{pid}", json={"summary": "Weekly evenings at the Trubar library."})
    assert again.json()["status"] == "pending" and again.json()["version"] == 3
    versions = author.get(f"/proposals/{pid}/versions").json()
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert versions[0]["title"] == BODY["title"] and versions[2]["summary"].startswith("Weekly evenings")
    approve(staff, pid)
    frozen = author.request("PATCH", f"/proposals/{pid}", json={"title": "Changed after publication"})
    assert frozen.status_code == 409 and "published" in frozen.json()["detail"]
    # Staff may still add a translation after publication; the author may not.
    uk = {"title": "Мовне кафе", "summary": "Щотижневі розмовні вечори."}
    assert author.put(f"/proposals/{pid}/translations/uk", json=uk).status_code == 409
    assert staff.put(f"/proposals/{pid}/translations/uk", json=uk).json()["translations"]["uk"]["title"] == "Мовне кафе"
    assert author.post(f"/proposals/{pid}/withdraw").json()["status"] == "withdrawn"
    assert author.post(f"/proposals/{pid}/withdraw").status_code == 409
    assert outbox_types(pid) == [
        "proposals.proposal_submitted", "proposals.proposal_edited", "proposals.changes_requested",
        "proposals.proposal_edited", "proposals.proposal_published", "proposals.translation_added",
        "proposals.proposal_withdrawn"]


@pytest.mark.parametrize("fields,status,field", [
    ({"title": "x" * 201}, 422, "title"),
    ({"body": "y" * 20001}, 422, "body"),
    ({"tags": [f"t{i}" for i in range(11)]}, 422, "tags"),
    ({"theme": "space-travel"}, 422, "theme"),
    ({"process_id": "atlantis"}, 404, "process_id"),
    ({"author_kind": "organisation"}, 422, "organisation"),
    ({"translations": {"xx": {"title": "Title", "summary": "A summary here."}}}, 422, "translations"),
])
def test_bad_proposals_are_named_field_by_field(lj, fields, status, field):
    answer = lj["author"].post("/proposals", json={**BODY, "process_id": lj["process"], **fields})
    assert answer.status_code == status, answer.text
    assert field in answer.json()["errors"]["json"]


def test_an_organisation_can_submit_under_its_name(lj):
    proposal = submit(lj["author"], lj["process"], author_kind="organisation", organisation="Slovenska filantropija")
    assert proposal["author_kind"] == "organisation" and proposal["organisation"] == "Slovenska filantropija"


# --- workshop input ----------------------------------------------------------

def test_workshop_input_is_published_at_once_with_its_provenance(lj):
    body = {**BODY, "process_id": lj["process"], "title": "Table 3: evening Slovene classes",
            "competence": "shared", "workshop": {"kind": "world_cafe", "facilitator": "Maja Novak",
                                                 "held_on": "2026-10-14", "participants": 9,
                                                 "languages": ["sl", "uk", "ar"], "notes": "Strong support."}}
    assert lj["author"].post("/workshop-input", json=body).status_code == 403
    answer = lj["staff"].post("/workshop-input", json=body)
    assert answer.status_code == 201, answer.text
    proposal = answer.json()
    assert proposal["status"] == "published" and proposal["author_kind"] == "workshop"
    assert proposal["workshop"]["facilitator"] == "Maja Novak" and proposal["workshop"]["participants"] == 9
    assert lj["anonymous"].get(f"/proposals/{proposal['id']}?municipality=ljubljana").json()["workshop"]
    assert outbox_types(proposal["id"]) == ["proposals.workshop_input_recorded", "proposals.proposal_published"]
    bad = lj["staff"].post("/workshop-input", json={**body, "workshop": {**body["workshop"], "participants": 0}})
    assert bad.status_code == 422


# --- search, filters, sorts, pagination -------------------------------------

def test_search_filters_sorts_and_stable_pages(lj):
    staff, author = lj["staff"], lj["author"]
    process = new_process(staff)["id"]
    titles = ["Čistejša reka Idrijca", "Več stanovanj za mlade družine", "Stanovanjska zadruga za priseljence",
              "Night buses to Ljubljana", "Kolesarske poti ob reki"]
    ids = []
    for i, title in enumerate(titles):
        p = submit(author, process, title=title, theme="housing" if "tanovanj" in title else "culture",
                   summary=f"Predlog številka {i} za boljše življenje.")
        approve(staff, p["id"], competence="shared" if "tanovanj" in title else "municipal",
                justification=None)
        ids.append(p["id"])
    reader = lj["other"]
    found = reader.get("/proposals", params={"q": "stanovanj", "process_id": process}).json()
    assert {p["title"] for p in found["items"]} == set(titles[1:3])
    # Accent folding: "cistejsa" finds "Čistejša"; all words must match.
    assert [p["id"] for p in reader.get("/proposals", params={"q": "cistejsa reka", "process_id": process}
                                        ).json()["items"]] == [ids[0]]
    assert reader.get("/proposals", params={"q": "reka buses", "process_id": process}).json()["total"] == 0
    assert reader.get("/proposals", params={"process_id": process, "competence": "municipal"}).json()["total"] == 3
    assert reader.get("/proposals", params={"process_id": process, "theme": "housing"}).json()["total"] == 2
    newest = reader.get("/proposals", params={"process_id": process, "sort": "newest", "per_page": 50}).json()
    assert [p["id"] for p in newest["items"]] == ids[::-1]
    pages = [reader.get("/proposals", params={"process_id": process, "sort": "most_discussed", "per_page": 2,
                                              "page": n}).json()["items"] for n in (1, 2, 3)]
    seen = [p["id"] for page in pages for p in page]
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
    assert reader.get("/proposals", params={"sort": "loudest"}).status_code == 422
    # Residents see only published ones; with mine=true their own in any state.
    pending = submit(author, process, title="Still waiting for moderation")
    assert pending["id"] not in [p["id"] for p in reader.get("/proposals", params={
        "process_id": process, "per_page": 50}).json()["items"]]
    assert pending["id"] in [p["id"] for p in author.get("/proposals", params={"mine": "true"}).json()["items"]]


def test_most_supported_follows_endorsements_from_voting(lj, gateway):
    """Supports are endorsements before the vote; ballots never count (test_secret_ballot.py)."""
    idrija_staff, resident = lj["idrija_staff"], register(gateway, eligible=True)
    pid = published_for_voting(resident, idrija_staff, theme="health", competence="national")
    assert resident.put(f"/proposals/{pid}/support").status_code == 200
    poll(lambda: resident.get(f"/proposals/{pid}").json()["supports"] == 1, 20, "the support count")
    top = resident.get("/proposals", params={"sort": "most_supported", "per_page": 1}).json()["items"]
    assert top[0]["supports"] >= 1


# --- similar proposals -------------------------------------------------------

FIXTURE = [
    ("sl", "Jezikovna kavarna v knjižnici", "Tedenski večeri pogovora v slovenščini za priseljence."),
    ("en", "Free bicycle repair workshop", "Volunteers repair bicycles for newcomers every Saturday."),
    ("uk", "Безкоштовний лікар для дітей", "Педіатр у медичному центрі для всіх дітей мігрантів."),
    ("sl", "Neprofitna stanovanja za mlade družine", "Občina naj zgradi več neprofitnih stanovanj."),
]


def test_similar_proposals_are_suggested_in_slovene_english_and_ukrainian(lj):
    staff = lj["staff"]
    process = new_process(staff)["id"]
    ids = {}
    for language, title, summary in FIXTURE:
        p = submit(lj["author"], process, title=title, summary=summary, language=language, theme="health")
        approve(staff, p["id"], competence="national")
        ids[title] = p["id"]
    cases = [
        ("Jezikovne kavarne v knjiznicah", "Pogovori v slovenscini za priseljence.", FIXTURE[0][1]),
        ("Bicycle repair for newcomers", "A workshop where volunteers repair bikes.", FIXTURE[1][1]),
        ("Лікар-педіатр для дітей", "Безкоштовний педіатр для дітей.", FIXTURE[2][1]),
        ("Več neprofitnih stanovanj", "Stanovanja za mlade druzine.", FIXTURE[3][1]),
    ]
    for title, summary, expected in cases:
        found = lj["other"].post("/proposals/similar", json={"title": title, "summary": summary,
                                                             "process_id": process}).json()
        assert found and found[0]["id"] == ids[expected], (title, found)
    assert lj["other"].post("/proposals/similar", json={"title": "Night trains to Koper",
                                                        "process_id": process}).json() == []
    # The suggestion also comes back with the submission itself.
    submitted = submit(lj["other"], process, title="Jezikovna kavarna v mestni knjižnici", theme="health",
                       summary="Večeri pogovora v slovenščini za priseljence.", language="sl")
    assert submitted["similar"][0]["id"] == ids[FIXTURE[0][1]]
