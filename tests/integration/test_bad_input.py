"""Bad input gets a precise 4xx problem document with field messages, and loses nothing."""
from __future__ import annotations

import uuid

import pytest
import requests

from tests.support import Client, client_address, new_process, poll, published_for_voting, register, staff_of


@pytest.fixture(scope="module")
def people(gateway):
    resident = register(gateway)
    staff = staff_of(gateway)
    pending = resident.submit()
    return {"resident": resident, "staff": staff, "litija_staff": staff_of(gateway, "litija"),
            "anonymous": Client(gateway), "pending": pending["id"]}


def problem(answer: requests.Response, status: int) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    body = answer.json()
    assert body["status"] == status and body["title"]
    return body


def test_malformed_json_is_400(people):
    answer = people["resident"].post("/proposals", data=b'{"title": "unterminated',
                                     headers={"Content-Type": "application/json"})
    assert problem(answer, 400)["errors"] == {"json": ["Invalid JSON body."]}


def test_a_lone_surrogate_in_a_json_string_is_a_422_naming_the_field(people):
    """JSON may escape half a surrogate pair; no database stores it: a 422, never a 500/503."""
    body = b'{"process_id": "idrija-vkljucujoca", "title": "Caf\\udaaa at the library", "theme": "housing", ' \
           b'"summary": "Weekly Slovene conversation evenings.", "language": "en"}'
    answer = people["resident"].post("/proposals", data=body, headers={"Content-Type": "application/json"})
    assert problem(answer, 422)["errors"]["json"]["title"] == ["Not valid Unicode text (it holds a lone surrogate)."]


def test_missing_and_wrong_typed_fields_are_named(people):
    answer = people["resident"].post("/proposals", json={"title": 42, "summary": "short", "language": "xx"})
    errors = problem(answer, 422)["errors"]["json"]
    assert errors["title"] == ["Not a valid string."]
    assert errors["process_id"] == ["Missing data for required field."]
    assert errors["theme"] == ["Missing data for required field."]
    assert "summary" in errors and "language" in errors


def test_oversize_body_is_413(people):
    answer = people["resident"].post("/proposals", json={"body": "x" * 300_000})
    assert "larger than" in problem(answer, 413)["detail"]


@pytest.mark.parametrize("method,path,body", [
    ("GET", "/proposals/{unknown}", None),
    ("POST", "/proposals/{unknown}/moderation", {"decision": "reject", "reason": "spam"}),
    ("POST", "/proposals/{unknown}/voting/open", None),
    ("PUT", "/proposals/{unknown}/ballot", {"choice": "yes"}),
    ("GET", "/proposals/{unknown}/results", None),
])
def test_unknown_ids_are_404(people, method, path, body):
    actor = people["resident"] if method == "PUT" else people["staff"]
    answer = actor.request(method, path.format(unknown="no-such-proposal"), json=body)
    problem(answer, 404)


@pytest.mark.parametrize("method,path,body", [
    ("POST", "/proposals/{id}/moderation", {"decision": "approve", "competence": "national"}),
    ("POST", "/proposals/{id}/voting/open", None),
    ("POST", "/proposals/{id}/voting/close", None),
])
def test_a_resident_calling_a_staff_operation_is_403(people, method, path, body):
    target = people["pending"]
    if "voting" in path:
        target = people.setdefault("published", published_for_voting(people["resident"], people["staff"]))
    answer = people["resident"].request(method, path.format(id=target), json=body)
    assert "staff" in problem(answer, 403)["detail"]


def test_staff_of_another_municipality_cannot_touch_the_proposal(people):
    answer = people["litija_staff"].post(f"/proposals/{people['pending']}/moderation",
                                         json={"decision": "reject", "reason": "not ours"})
    problem(answer, 404)
    assert people["staff"].get(f"/proposals/{people['pending']}").json()["status"] == "pending"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic x"}])
def test_submitting_without_a_valid_token_is_401(gateway, headers):
    answer = requests.post(f"{gateway}/api/v1/m/idrija/proposals", json={}, headers=headers, timeout=10)
    problem(answer, 401)


def test_inner_services_refuse_calls_without_a_service_token(platform, people):
    for service, path in (("proposals", "/api/proposals"), ("voting", "/api/votes/x/results")):
        problem(requests.get(platform.url(service) + path, timeout=10), 401)
    # A user's own token is not a service token.
    token = people["resident"].session.headers["Authorization"]
    problem(requests.get(platform.url("proposals") + "/api/proposals", headers={"Authorization": token},
                         timeout=10), 401)


@pytest.mark.parametrize("body,field", [
    ({"decision": "reject"}, "reason"),
    ({"decision": "reject", "reason": "   "}, "reason"),
    ({"decision": "approve"}, "competence"),
    ({"decision": "approve", "competence": "galactic"}, "competence"),
    ({"decision": "maybe"}, "decision"),
])
def test_moderation_needs_a_reason_or_a_competence(people, body, field):
    answer = people["staff"].post(f"/proposals/{people['pending']}/moderation", json=body)
    assert field in problem(answer, 422)["errors"]["json"]


def test_unknown_theme_and_process_are_named(people):
    answer = people["resident"].post("/proposals", json={
        "process_id": "idrija-vkljucujoca", "title": "A proposal title", "summary": "A long enough summary.",
        "theme": "space-travel"})
    assert "theme" in problem(answer, 422)["errors"]["json"]
    answer = people["resident"].post("/proposals", json={
        "process_id": "atlantis", "title": "A proposal title", "summary": "A long enough summary.",
        "theme": "housing"})
    assert "process_id" in problem(answer, 404)["errors"]["json"]


def test_script_in_the_body_is_stored_sanitised(people):
    stored = people["resident"].submit(body="Hello <script>alert(1)</script><b>world</b>")
    assert "<script>" not in stored["body"] and "alert(1)" not in stored["body"]
    assert "world" in stored["body"]


def test_a_ballot_after_close_is_409_and_changes_nothing(people, gateway):
    pid = published_for_voting(people["resident"], people["staff"])
    voter = register(gateway, eligible=True)
    poll(lambda: people["staff"].post(f"/proposals/{pid}/voting/open").status_code == 200, 10, "open")
    assert voter.put(f"/proposals/{pid}/ballot", json={"choice": "no"}).status_code == 200
    assert people["staff"].post(f"/proposals/{pid}/voting/close").status_code == 200
    problem(voter.put(f"/proposals/{pid}/ballot", json={"choice": "yes"}), 409)
    problem(people["staff"].post(f"/proposals/{pid}/voting/close"), 409)
    assert voter.get(f"/proposals/{pid}/results").json()["tally"] == {"yes": 0, "no": 1, "abstain": 0}


def test_duplicate_registration_is_409_and_bad_login_401(gateway, people):
    answer = requests.post(f"{gateway}/api/v1/auth/register", json={
        "email": people["resident"].email.upper(), "password": "another-pass-1", "municipality": "idrija"},
        timeout=10)
    assert problem(answer, 409)["errors"]["json"]["email"]
    answer = requests.post(f"{gateway}/api/v1/auth/login", json={
        "email": people["resident"].email, "password": "wrong-password-1"}, timeout=10)
    problem(answer, 401)


def test_weak_password_and_unknown_municipality_are_named(gateway):
    answer = requests.post(f"{gateway}/api/v1/auth/register", json={
        "email": "weak@example.org", "password": "short", "municipality": "narnia"}, timeout=10)
    errors = problem(answer, 422)["errors"]["json"]
    assert "municipality" in errors
    answer = requests.post(f"{gateway}/api/v1/auth/register", json={
        "email": "weak@example.org", "password": "short", "municipality": "idrija"}, timeout=10)
    assert "password" in problem(answer, 422)["errors"]["json"]


def test_repeated_failed_sign_ins_are_slowed_down_with_429(gateway):
    """Failed sign-ins for one account from one address are slowed down (429 with Retry-After); the
    owner, from their own address, is not (tests/integration/test_sign_in_lockout.py has the delays)."""
    client, elsewhere = register(gateway), {"X-Forwarded-For": client_address()}
    answers = [requests.post(f"{gateway}/api/v1/auth/login", json={
        "email": client.email, "password": "not-the-password-1"}, headers=elsewhere, timeout=10) for _ in range(12)]
    assert [a.status_code for a in answers[:5]] == [401] * 5  # the first few are free
    locked = next((a for a in answers if a.status_code == 429), None)
    assert locked is not None, [a.status_code for a in answers]
    assert problem(locked, 429)["code"] == "too_many_attempts" and int(locked.headers["Retry-After"]) >= 1
    owner = requests.post(f"{gateway}/api/v1/auth/login", json={"email": client.email.upper(),
                          "password": "test-password-42"}, headers={"X-Forwarded-For": client_address()}, timeout=10)
    assert owner.status_code == 200, owner.text


# Issue 8, finding 5: input that used to reach MongoDB or datetime arithmetic and came back as a 503.
INT64 = "greater than or equal to {} and less than or equal to 9223372036854775807."
HOURS = "Must be greater than or equal to 0 and less than or equal to 438000."


@pytest.mark.parametrize("value", [2 ** 64, -2 ** 70])
def test_a_query_number_beyond_64_bits_is_a_422_naming_it(people, value):
    answer = people["staff"].get("/moderation/queue", params={"older_than_hours": value})  # proposals
    assert problem(answer, 422)["errors"]["query"]["older_than_hours"] == [HOURS]
    answer = people["resident"].get("/inbox", params={"page": value})  # notifications
    assert problem(answer, 422)["errors"]["query"]["page"] == [
        "Must be greater than or equal to 1 and less than or equal to 10000."]


@pytest.mark.parametrize("value", [2 ** 64, -2 ** 70])
@pytest.mark.parametrize("field", ["quorum_ballots", "support_threshold"])
def test_a_body_integer_beyond_64_bits_is_a_422_naming_it(people, field, value):
    process = people.get("process") or people.setdefault("process", new_process(people["staff"])["id"])
    answer = people["staff"].put(f"/processes/{process}/voting-rules", json={field: value})  # voting
    assert problem(answer, 422)["errors"]["json"][field] == ["Must be " + INT64.format(0)]
    assert people["staff"].get(f"/processes/{process}/voting-rules").json()[field] != value


@pytest.mark.parametrize("params,field,message", [
    ({"older_than_hours": 100_000_000}, "older_than_hours", HOURS),  # 11,000 years ago: before year 1
    ({"older_than_hours": 1e308}, "older_than_hours", HOURS),
])
def test_odd_moderation_queue_parameters_are_422(people, params, field, message):
    assert problem(people["staff"].get("/moderation/queue", params=params), 422)["errors"]["query"][field] == [message]


@pytest.mark.parametrize("params,field,message", [
    ({"page": 2 ** 62}, "page", "Must be greater than or equal to 1 and less than or equal to 10000."),  # skip overflows
    ({"page": 10 ** 15, "per_page": 100}, "page", "Must be greater than or equal to 1 and less than or equal to 10000."),
    ({"lang": "x" * 100}, "lang", "Length must be between 1 and 35."),
])
def test_odd_inbox_parameters_are_422(people, params, field, message):
    assert problem(people["resident"].get("/inbox", params=params), 422)["errors"]["query"][field] == [message]


@pytest.mark.parametrize("bad_line", ["T-\r2,1990-01-01", "T-3,1990-\r01-01"])
def test_a_register_csv_with_a_bare_carriage_return_is_422_naming_the_line(people, bad_line):
    before = people["staff"].get("/eligibility/register").json()["eligible"]
    text = f"reference,date_of_birth\nT-{uuid.uuid4().hex[:8]},1990-01-01\n{bad_line}\n"
    answer = people["staff"].post("/eligibility/register", json={"csv": text})
    assert problem(answer, 422)["errors"]["json"]["csv"] == [
        "line 3: a line break inside a field; put the field in double quotes"]
    assert people["staff"].get("/eligibility/register").json()["eligible"] == before  # nothing imported


def test_a_query_at_its_documented_limits_is_served_not_414(people):
    """Every query field at its maxLength, in 4-byte UTF-8 (percent-encoded: ~4.4 kB of request line)."""
    wide = "\U0001F600"
    answer = people["anonymous"].get("/proposals", params={"q": wide * 200, "process_id": wide * 64,
                                                           "theme": wide * 64, "tag": wide * 32})
    assert answer.status_code == 200, (answer.status_code, answer.headers.get("Content-Type"))
    assert answer.json()["items"] == []
