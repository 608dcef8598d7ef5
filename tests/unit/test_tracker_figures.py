"""The public tracker's arithmetic (median days to reply, the share answered in time, institutions
without dossiers, public phases) and the cross-municipality grouping rule."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from forwarding import domain, grouping
from forwarding.tracker import institution_figures

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _spans(*days):
    return [(T0, T0 + d * DAY) for d in days]


def test_median_of_an_odd_and_an_even_number_of_replies():
    assert domain.median_days(_spans(10, 2, 30)) == 10.0
    assert domain.median_days(_spans(4, 1, 9, 2)) == 3.0  # (2 + 4) / 2
    assert domain.median_days(_spans(1.25)) == 1.2  # to a tenth of a day (1.25 rounds to even)
    assert domain.median_days([]) is None
    assert domain.median_days([(T0, None)]) is None  # unanswered dossiers are not spans


def test_in_time_is_known_once_answered_or_past_due():
    due = T0 + 30 * DAY
    assert domain.in_time(T0, due, T0 + 30 * DAY) is True  # on the due date itself is in time
    assert domain.in_time(T0, due, T0 + 31 * DAY) is False  # answered late
    assert domain.in_time(T0 + 10 * DAY, due, None) is None  # still open
    assert domain.in_time(T0 + 31 * DAY, due, None) is False  # past due, unanswered
    assert domain.in_time(T0, None, None) is None  # no due date yet (not sent)


def test_in_time_share_counts_only_what_is_known():
    assert domain.in_time_share([True, False, None, True]) == (2, 3, 0.6667)
    assert domain.in_time_share([None, None]) == (0, 0, None)
    assert domain.in_time_share([]) == (0, 0, None)


def test_public_phases():
    assert [domain.phase(s) for s in ("sent", "acknowledged", "replied", "prepared", "failed")] == [
        "awaiting_acknowledgement", "awaiting_reply", "replied", "preparing", "preparing"]


class _Dossier:
    def __init__(self, institution_id, sent_days, due_days, replied_days=None, status="replied"):
        self.institution_id, self.status = institution_id, status
        self.dispatched_at = T0 + sent_days * DAY if sent_days is not None else None
        self.due_at = T0 + due_days * DAY if due_days is not None else None
        self.replied_at = T0 + replied_days * DAY if replied_days is not None else None


class _Institution:
    def __init__(self, code):
        self.id, self.name = code, {"en": code.upper()}


def test_figures_per_institution_with_one_that_has_no_dossiers():
    names = {code: _Institution(code) for code in ("mz", "mnvp", "mddsz")}
    now = T0 + 40 * DAY
    dossiers = [_Dossier("mz", 0, 30, 5), _Dossier("mz", 0, 30, 35),  # in time, late
                _Dossier("mz", 0, 30, status="acknowledged"),  # past due unanswered
                _Dossier("mz", 20, 50, status="acknowledged"),  # still open: not decided
                _Dossier("mz", 0, 30, 3, status="cancelled"),  # withdrawn: not counted
                _Dossier("mnvp", None, None, status="prepared"),  # never sent: not counted
                _Dossier("mnvp", 0, 30, 12)]
    rows = {r["institution_id"]: r for r in institution_figures(dossiers, names, now)}
    mz = rows["mz"]
    assert (mz["forwarded"], mz["replied"], mz["overdue"], mz["awaiting"]) == (4, 2, 1, 2)
    assert (mz["in_time"], mz["decided"], mz["in_time_share"]) == (1, 3, 0.3333)
    assert mz["median_days_to_reply"] == 20.0 and mz["average_days_to_reply"] == 20.0  # (5 + 35) / 2
    assert (rows["mnvp"]["forwarded"], rows["mnvp"]["in_time_share"], rows["mnvp"]["median_days_to_reply"]) == (
        1, 1.0, 12.0)
    none = rows["mddsz"]
    assert (none["forwarded"], none["in_time_share"], none["median_days_to_reply"]) == (0, None, None)
    assert none["name"] == {"en": "MDDSZ"}


LANGUAGE = ("Brezplačni tečaji slovenščine za priseljence",
            "Občina naj zagotovi brezplačne večerne tečaje slovenskega jezika za odrasle priseljence.")
REWORDED = ("Brezplačen tečaj slovenščine za priseljene odrasle",
            "Država naj financira večerne tečaje slovenskega jezika za priseljence.")
PERMITS = ("Hitrejše podaljšanje delovnih dovoljenj",
           "Upravne enote naj delovna dovoljenja podaljšajo v enem tednu.")


def test_a_reworded_ask_joins_the_group_and_another_ask_starts_its_own():
    seeds = [("g-language", grouping.text_of(*LANGUAGE)), ("g-permits", grouping.text_of(*PERMITS))]
    assert grouping.choose_group(grouping.text_of(*REWORDED), seeds) == "g-language"
    assert grouping.choose_group("Zdravstveno zavarovanje za vse prosilce za azil", seeds) is None
    assert grouping.choose_group(grouping.text_of(*REWORDED), []) is None  # the first of its kind
    assert grouping.text_of("Title", None) == "Title"


def _member(pid, municipality, day, ballots):
    return {"proposal_id": pid, "municipality": municipality, "reached_at": T0 + day * DAY, "ballots": ballots,
            "title": pid, "theme": "education"}


def test_a_group_counts_once_it_spans_two_municipalities():
    assert grouping.summarise("a", [_member("a", "idrija", 0, 10), _member("b", "idrija", 1, 5)]) is None
    group = grouping.summarise("a", [_member("c", "ljubljana", 2, 2000), _member("a", "idrija", 0, 120),
                                     _member("b", "litija", 1, 180), _member("d", "idrija", 3, None)])
    assert group["group_id"] == "a" and group["municipalities"] == ["idrija", "litija", "ljubljana"]
    assert (group["municipality_count"], group["conclusions"], group["ballots"]) == (3, 4, 2300)
    assert [m["proposal_id"] for m in group["members"]] == ["a", "b", "c", "d"]  # oldest first
