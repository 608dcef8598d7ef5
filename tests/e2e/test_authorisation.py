"""The authorisation walk: every public operation, as each kind of caller, against its row in the
route table (docs/authorisation.md), at the paths of each of the three demo municipalities in turn
(/api/v1/m/idrija/..., /m/litija/..., /m/ljubljana/...). A role the row does not admit is refused
by the gateway (401 anonymous, 403 otherwise); staff of the two other municipalities meet 404 on
every operation of the home municipality's that is not open to anyone, and on those that are they
act as anonymous readers and write nothing; a second resident cannot reach the first one's own
records; nobody but the institution itself reaches a dossier through the portal."""
from __future__ import annotations

import pytest
import requests

from gateway.access import ADDRESSED, ANONYMOUS, SELF
from gateway.routes import ALL_OPERATIONS, CIVIC_KEYS
from tests.support import (
    PROCESSES,
    Client,
    forwarded_to,
    institution_account,
    PASSWORD,
    operator_of,
    poll,
    published_for_voting,
    register,
    staff_of,
)

PHASE = [{"code": "proposals", "starts_on": "2027-01-01", "ends_on": "2027-02-01"}]
EXAMPLES = {
    "register": {"email": "walk-{municipality}-{n}@example.org", "password": "walk-password-1", "municipality": "{municipality}"},
    "login": {"email": "{email}", "password": PASSWORD},
    "request_password_reset": {"email": "walk-reset-{municipality}-{n}@example.org"},
    "reset_password": {"token": "not-a-token-of-any-link-0", "password": "walk-password-3"},
    "set_notification_preferences": {"modes": {"proposals.proposal_published": "daily"}},
    "update_account": {"display_name": "Walker"},
    # A wrong password: the walk's resident and their records must stay for the operations after it.
    "delete_account": {"password": "not-the-password-1"},
    # A wrong current password: the walk must not change the password the later sign-ins use.
    "change_password": {"current_password": "not-the-password-1", "new_password": "walk-password-2"},
    "create_process": {"id": "walk-{municipality}-{n}", "title": {"sl": "Sprehod", "en": "Walk"}, "themes": ["housing"],
                       "phases": PHASE},
    "update_process": {"description": {"en": "Edited in the authorisation walk."}},
    "define_theme": {"code": "walk-{municipality}-{n}", "labels": {"en": "Walk"}, "competence": "municipal"},
    "submit_proposal": {"process_id": "{process_id}", "title": "A walk proposal", "summary": "Submitted by the walk.",
                        "theme": "housing", "language": "en"},
    "similar_proposals": {"title": "Language café"},
    "edit_proposal": {"summary": "Edited by the authorisation walk."},
    "translate_proposal": {"title": "A walk proposal", "summary": "Translated by the walk."},
    "moderate_proposal": {"decision": "hide", "reason": "walk"},
    "report_proposal": {"reason": "The walk reports this."},
    "mark_duplicate": {"of": "{proposal_id}"},
    "workshop_input": {"process_id": "{process_id}", "title": "Workshop measure", "summary": "Shaped at a world café.",
                       "theme": "housing", "competence": "municipal",
                       "workshop": {"kind": "world_cafe", "held_on": "2026-11-01", "participants": 12}},
    "moderate_in_bulk": {"action": "hide", "ids": ["{proposal_id}"], "reason": "walk"},
    "change_moderation_settings": {"target_hours": 48},
    "block_user": {"reason": "The walk blocks."},
    "schedule_voting": {"closes_at": "2030-01-01T00:00:00Z"},
    "set_vote_rules": {"quorum_ballots": 0},
    "set_process_voting_rules": {"quorum_ballots": 0},
    "cast_ballot": {"choice": "yes"},
    "import_register": {"csv": "reference,date_of_birth\nWALK-1,1990-01-01\n"},
    "upload_register": {"csv": "reference,date_of_birth\nWALK-2,1990-01-01\n"},
    "verify_eligibility": {"reference": "WALK-0", "date_of_birth": "1990-01-01"},
    "post_comment": {"body": "A walk comment.", "alignment": "for"},
    "edit_comment": {"body": "Edited by the walk."},
    "hide_comment": {"reason": "walk"},
    "report_comment": {"reason": "walk"},
    "create_approval_vote": {"title": "Walk approval", "max_selections": 1,
                             "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]},
    "cast_approval_ballot": {"selections": ["a"]},
    "review_forwarding": {"institutions": ["mddsz"]},
    "mark_dossier_sent": {"note": "walk"},
    "record_postal_reply": {"status": "accepted", "text": "By post, in the walk."},
    "create_webhook": {"url": "http://127.0.0.1:9/walk-{municipality}-{n}", "events": ["reply.published"],
                       "municipality": "{municipality}"},
    "create_institution": {"id": "walk-{municipality}-{n}", "name": {"sl": "Sprehod", "en": "Walk"}, "channel": "manual",
                           "postal_address": "Ljubljana"},
    "update_institution": {"deadline_days": 30},
    "portal_reply": {"status": "accepted", "text": "The walk replies."},
    "translate_reply": {"text": "The walk translates the reply.", "summary": "In short."},
    "set_forwarding_policy": {"review_required": False},
    "advance_clock": {"advance_seconds": 0},
    "add_abuse_block": {"kind": "domain", "value": "walk-{municipality}-{n}.example"},
    "invalidate_burst": {"kind": "support", "by": "network", "key": "192.0.2.0/24", "minutes": 60},
}
# Callers in the order they try each operation: the hostile ones first, before the admitted
# ones change what they act on.
CALLERS = ("anonymous", "staff_elsewhere_1", "staff_elsewhere_2", "other_resident", "institution", "operator",
           "resident", "staff")
ROLE_OF = {"anonymous": "anonymous", "staff_elsewhere_1": "staff", "staff_elsewhere_2": "staff",
           "other_resident": "resident", "institution": "institution", "operator": "operator",
           "resident": "resident", "staff": "staff"}
OTHER_MUNICIPALITIES = ("staff_elsewhere_1", "staff_elsewhere_2")
HOMES = tuple(PROCESSES)  # idrija, litija, ljubljana
READS_BY_POST = {"similar_proposals"}  # a search with a draft in the body: it changes nothing


@pytest.fixture(scope="module", params=HOMES)
def world(request, gateway):
    """The home municipality's data (a resident's proposal with an open vote, a comment, a ballot,
    an approval vote, a forwarded dossier) and the callers: its staff and residents, staff of the
    two other municipalities, an institution, an operator and anonymous visitors."""
    home = request.param
    process = PROCESSES[home]
    staff, resident = staff_of(gateway, home), register(gateway, municipality=home, eligible=True)
    pid = published_for_voting(resident, staff)
    assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
    receipt = resident.put(f"/proposals/{pid}/ballot", json={"choice": "no"}).json()["receipt"]
    comment = resident.post(f"/proposals/{pid}/comments", json={"body": "Mine.", "alignment": "for"}).json()
    approval = staff.post(f"/processes/{process}/approval-votes", json=EXAMPLES["create_approval_vote"]).json()
    _author, _forwarded, dossiers = forwarded_to(gateway, staff, ["mddsz"])
    user = requests.post(f"{gateway}/api/v1/auth/login", json={"email": resident.email, "password": PASSWORD},
                         timeout=30).json()["user"]
    item = poll(lambda: resident.get("/inbox").json()["items"], 30, "the resident's first inbox item")[0]
    values = {"item_id": item["id"], "token": f"{user['id']}.proposals.proposal_published.not-signed",
              "proposal_id": pid, "process_id": process, "comment_id": comment["id"], "approval_id": approval["id"],
              "dossier_id": dossiers[0]["id"], "user_id": user["id"], "code": "mddsz", "language": "en",
              "receipt": receipt, "email": resident.email, "municipality": home,
              "job_id": "0123456789abcdef0123456789abcdef", "number": "0",
              "subscription_id": "0123456789abcdef0123456789abcdef", "block_id": "0123456789abcdef0123456789abcdef"}
    elsewhere = [other for other in HOMES if other != home]
    callers = {"anonymous": Client(gateway, municipality=home),
               "staff_elsewhere_1": staff_of(gateway, elsewhere[0]), "staff_elsewhere_2": staff_of(gateway, elsewhere[1]),
               "institution": institution_account(gateway)[0], "operator": operator_of(gateway),
               "other_resident": register(gateway, municipality=home), "resident": resident, "staff": staff}
    return {"home": home, "elsewhere": elsewhere, "values": values, "callers": callers}


def _request(client: Client, op, values: dict, n: int):
    path = op.api_path.format(**{**values, "code": values["receipt"] if op.name == "check_receipt" else
                                 values["code"]})
    body = EXAMPLES.get(op.name)
    if body is not None:
        body = {key: (value.format(n=n, **values) if isinstance(value, str) else
                      [v.format(**values) for v in value] if isinstance(value, list) and value
                      and isinstance(value[0], str) else value) for key, value in body.items()}
    if op is CIVIC_KEYS:
        return client.session.get(client.base.removesuffix("/api/v1") + op.path, timeout=30)
    return client.request(op.method, path, json=body if op.body is not None else None)


def _code(answer) -> str | None:
    try:
        return answer.json().get("code")
    except ValueError:
        return None


def test_every_operation_as_every_caller_against_the_table(world):
    values, callers = world["values"], world["callers"]
    tried, holes = 0, []
    for n, op in enumerate([*ALL_OPERATIONS, CIVIC_KEYS]):
        for who in CALLERS:
            role, client = ROLE_OF[who], callers[who]
            if who == "other_resident" and (op.access.tenant(role) != SELF or not op.params):
                continue  # a second resident matters where the path names the first one's record
            answer = _request(client, op, values, n)
            tried += 1
            tenant = op.access.tenant(role)
            status = answer.status_code
            as_who = f"staff of {world['elsewhere'][int(who[-1]) - 1]}" if who in OTHER_MUNICIPALITIES else who
            where = (f"{op.method} {op.api_path} ({op.name}) at {world['home']} as {as_who}: {status} "
                     f"{answer.text[:200]}")
            if status >= 500:
                holes.append(f"server error: {where}")
            elif tenant is None:
                expected = 401 if role == ANONYMOUS else 403
                if status != expected or (expected == 403 and _code(answer) != "role"):
                    holes.append(f"not refused by the gateway: {where}")
            elif status == 401 or (status == 403 and _code(answer) == "role"):
                holes.append(f"refused though the table admits it: {where}")
            elif who == "other_resident" and status not in (403, 404):
                holes.append(f"another resident's records were reachable: {where}")
            elif who in OTHER_MUNICIPALITIES and op.municipal and not op.access.public:
                if status != 404:
                    holes.append(f"another municipality's operation did not answer 404: {where}")
            elif who in OTHER_MUNICIPALITIES and op.municipal and op.method != "GET" and status < 300 \
                    and op.name not in READS_BY_POST:
                holes.append(f"another municipality's public operation let staff write: {where}")
            elif tenant == ADDRESSED and who in ("anonymous", "institution") and status < 300:
                holes.append(f"a dossier reached without the link, key or account: {where}")
    print(f"authorisation walk at {world['home']}: {tried} requests over {len(ALL_OPERATIONS) + 1} operations, "
          f"{len(holes)} holes")
    assert not holes, "\n".join(holes)
