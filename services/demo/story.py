"""Tell the demo story through the gateway's public API, as the people in it would (see content.py).

Every step looks first at what is there and does only what is missing, so a second telling adds
nothing; when the last step's effects are already in place the story says so and stops."""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta

import requests

from services.calendar import MUNICIPAL_ZONE, local_today
from services.demo import content as c
from services.demo.api import Person, Progress, StoryError, sign_in, wait_for
from services.demo.backdate import make_overdue

PASSWORD = "demo-password-1"  # the seeded demo accounts' password (gateway.handlers.DEMO_PASSWORD)
STAFF = "staff@idrija.si"
TZ = MUNICIPAL_ZONE
ANSWERED = ("acknowledged", "replied")
OpenAccounts = Callable[[list], None]  # [(e-mail, password, language)]: residents of Idrija


def today() -> date:
    return local_today()


def on(days: int) -> str:
    return (today() + timedelta(days=days)).isoformat()


def decision_of(fate: tuple) -> dict:
    """The moderation request for a proposal's fate in content.PROPOSALS."""
    if fate[0] == "publish":
        return {"decision": "approve", "competence": fate[1], "justification": fate[2]}
    if fate[0] == "reject":
        return {"decision": "reject", "reason_code": fate[1], "reason": fate[2]}
    return {"decision": "request_changes", "note": fate[1]}


class Story:
    def __init__(self, base: str, open_accounts: OpenAccounts, say: Callable[[str], None]):
        self.base, self.open_accounts, self.say = base, open_accounts, say
        self.staff = sign_in(base, STAFF, PASSWORD)
        self.people: dict[str, Person] = {}
        self.ids: dict[str, str] = {}  # story key -> proposal id

    # -- looking ----------------------------------------------------------------------------
    def mine(self, person: Person) -> dict[str, str]:
        """Title -> id of the person's own proposals in the process."""
        found, page = {}, 1
        while True:
            listed = person.get("~/proposals", params={"mine": "true", "process_id": c.PROCESS,
                                                       "per_page": 100, "page": page})
            found.update({p["title"]: p["id"] for p in listed["items"]})
            if page * 100 >= listed["total"]:
                return found
            page += 1

    def results(self, key: str) -> dict:
        return self.staff.get(f"~/proposals/{self.ids[key]}/results")

    def dossiers(self, key: str) -> list[dict]:
        listed = self.staff.get(f"~/proposals/{self.ids[key]}/forwarding")["dossiers"]
        return [d for d in listed if d["status"] != "cancelled"]

    def find(self, title: str) -> str | None:
        """The id of the proposal in the process with exactly this title (staff see every status)."""
        listed = self.staff.get("~/proposals", params={"q": title, "process_id": c.PROCESS, "per_page": 100})
        return next((p["id"] for p in listed["items"] if p["title"] == title), None)

    def told(self) -> bool:
        """The steps' last effects are there: the ministry's published reply, the overdue dossier,
        and the open vote with all its ballots (the last step)."""
        for key, title in ((c.CLOSED[0], c.TITLES[c.CLOSED[0]]), (c.OVERDUE, c.TITLES[c.OVERDUE]),
                           (c.OPEN_VOTE, c.TITLES[c.OPEN_VOTE])):
            if (found := self.find(title)) is None:
                return False
            self.ids[key] = found
        replied = self.staff.get(f"~/proposals/{self.ids[c.CLOSED[0]]}/replies")["replies"]
        late = [s["step"] for d in self.dossiers(c.OVERDUE) for s in d["timeline"]]
        voting = self.staff.get(f"~/proposals/{self.ids[c.OPEN_VOTE]}/results", expect=(200, 404))
        return bool(replied) and "overdue" in late and voting.get("status") == "open" \
            and voting.get("ballots", 0) >= len(c.BALLOTS[c.OPEN_VOTE])

    # -- people -----------------------------------------------------------------------------
    def residents(self) -> str:
        self.open_accounts([(email, PASSWORD, language) for email, language in c.PEOPLE.values()])
        with ThreadPoolExecutor(4) as pool:  # checking the passwords is most of this step's time
            signed = {key: pool.submit(sign_in, self.base, email, PASSWORD) for key, (email, _) in c.PEOPLE.items()}
            self.people = {key: future.result() for key, future in signed.items()}
        rows = "\n".join(f"{ref},{born}" for ref, born in c.VOTERS.values())
        report = self.staff.post("~/eligibility/register", {"csv": f"reference,date_of_birth\n{rows}\n",
                                                            "replace": False})
        if report.get("rejected"):
            raise StoryError(f"the register refused rows: {report['rejected']}")
        for key, (reference, born) in c.VOTERS.items():
            person = self.people[key]
            if not person.get("~/eligibility/verification")["verified"]:
                person.post("~/eligibility/verification", {"reference": reference, "date_of_birth": born})
        return f"{len(self.people)} residents, {len(c.VOTERS)} of them verified on the register"

    # -- proposals --------------------------------------------------------------------------
    def in_phase(self, code: str) -> None:
        """Staff set the process's phase of today, so that what is recorded now carries that phase
        (a proposal keeps the phase it came in). The real phases are set after the recording."""
        self.staff.patch(f"~/processes/{c.PROCESS}", {"phases": [{"code": code, "starts_on": on(0),
                                                                   "ends_on": on(0)}]})

    def workshops(self, phase: str) -> str:
        done = self.mine(self.staff)
        recorded = 0
        for item in (w for w in c.WORKSHOPS if w["phase"] == phase):
            if item["title"] in done:
                self.ids[item["key"]] = done[item["title"]]
                continue
            if not recorded:
                self.in_phase(phase)
            held = item["workshop"]
            body = {"process_id": c.PROCESS, "language": "sl", "translations": item.get("translations", {}),
                    "justification": item["justification"],
                    **{k: item[k] for k in ("title", "summary", "body", "theme", "competence")},
                    "workshop": {**{k: v for k, v in held.items() if k != "held"}, "held_on": on(held["held"])}}
            self.ids[item["key"]] = self.staff.post("~/workshop-input", body)["id"]
            recorded += 1
        return f"{recorded} recorded" if recorded else "already there"

    def proposals(self) -> str:
        submitted, phase_set = 0, False
        for item in c.PROPOSALS:
            author = self.people[item["author"]]
            done = self.mine(author)
            if item["title"] in done:
                self.ids[item["key"]] = done[item["title"]]
                continue
            if not phase_set:
                self.in_phase("deliberation")
                phase_set = True
            body = {"process_id": c.PROCESS, "body": "", "translations": {},
                    **{k: v for k, v in item.items() if k not in ("key", "author", "fate")}}
            self.ids[item["key"]] = author.post("~/proposals", body)["id"]
            submitted += 1
        languages = sorted({p["language"] for p in c.PROPOSALS})
        return f"{submitted} submitted in {', '.join(languages)}" if submitted else "already there"

    def moderation(self) -> str:
        decided = 0
        for item in c.PROPOSALS:
            pid, fate = self.ids[item["key"]], item["fate"]
            if fate[0] == "pending" or self.staff.get(f"~/proposals/{pid}")["status"] != "pending":
                continue
            self.staff.post(f"~/proposals/{pid}/moderation", decision_of(fate))
            decided += 1
        counts = {}
        for item in c.PROPOSALS:
            counts[item["fate"][0]] = counts.get(item["fate"][0], 0) + 1
        return (f"{decided} decided; " if decided else "") + \
            f"{counts['publish']} published, {counts['pending']} pending, {counts['changes']} returned for " \
            f"changes, {counts['reject']} rejected with a reason"

    def phases(self) -> str:
        phases = [{"code": code, "starts_on": on(start), "ends_on": on(end)} for code, start, end in c.PHASES]
        process = self.staff.get(f"~/processes/{c.PROCESS}")
        change = {"phases": phases}
        if not process.get("description"):
            change["description"] = c.DESCRIPTION
        process = self.staff.patch(f"~/processes/{c.PROCESS}", change)
        return f"now {process['current_phase']}, {len(phases)} phases"

    # -- deliberation and votes -------------------------------------------------------------
    def known_to_voting(self, keys) -> None:
        for key in keys:
            path = f"~/proposals/{self.ids[key]}/results"
            wait_for(lambda path=path: (self.staff.get(path, expect=(200, 404)) or {}).get("proposal_id"),
                     f"the voting service to learn of '{key}'")

    def supports(self) -> str:
        self.known_to_voting(list(c.SUPPORTS) + list(c.BALLOTS))
        given = 0
        for key, people in c.SUPPORTS.items():
            if self.results(key)["status"] != "published":
                continue
            for name in people:
                self.people[name].put(f"~/proposals/{self.ids[key]}/support")
                given += 1
        return f"{given} supports" if given else "already there"

    def ballots(self, key: str) -> int:
        pid = self.ids[key]
        if self.results(key)["status"] == "published":
            self.staff.post(f"~/proposals/{pid}/voting/open")
        if self.results(key)["status"] != "open":
            return 0
        if self.results(key)["ballots"] >= len(c.BALLOTS[key]):
            return self.results(key)["ballots"]  # cast in an earlier telling
        for name, choice in c.BALLOTS[key].items():
            self.people[name].put(f"~/proposals/{pid}/ballot", {"choice": choice})
        return len(c.BALLOTS[key])

    def conclusions(self) -> str:
        for key in c.CLOSED:
            self.ballots(key)
            if self.results(key)["status"] == "open":
                self.staff.post(f"~/proposals/{self.ids[key]}/voting/close")
        return "; ".join(f"{key} adopted, acknowledged by {self.forwarded(key)}" for key in c.CLOSED)

    def forwarded(self, key: str) -> str:
        """Wait for the adopted conclusion's dossiers to be acknowledged; the institutions they went to."""
        if self.results(key)["outcome"] != "adopted":
            raise StoryError(f"the vote on '{key}' was not adopted: {self.results(key)}")
        dossiers = wait_for(lambda: self.dossiers(key), f"the dossiers of '{key}'")
        waiting = [d["institution_id"] for d in dossiers if d["status"] == "awaiting_review"]
        if waiting:  # the municipality's policy holds conclusions for review: staff confirm them
            self.staff.post(f"~/proposals/{self.ids[key]}/forwarding/review", {"institutions": waiting})
        wait_for(lambda: all(d["status"] in ANSWERED for d in self.dossiers(key)),
                 f"the ministry to acknowledge '{key}'")
        return ", ".join(d["institution_id"] for d in self.dossiers(key))

    def reply(self) -> str:
        email, institution = c.MINISTRY
        key = c.CLOSED[0]
        dossier = next(d for d in self.dossiers(key) if d["institution_id"] == institution)
        if dossier["status"] != "replied":
            sign_in(self.base, email, PASSWORD).post(f"/portal/dossiers/{dossier['id']}/reply", c.REPLY)
        path = f"~/proposals/{self.ids[key]}/replies"
        wait_for(lambda: self.staff.get(path)["replies"], "the reply to be published")
        return f"{institution} replied ({c.REPLY['status']}) through its portal account"

    def overdue(self) -> str:
        dossier = self.dossiers(c.OVERDUE)[0]
        make_overdue(self.ids[c.OVERDUE], dossier["institution_id"], c.OVERDUE_BY_DAYS)
        wait_for(lambda: "overdue" in [s["step"] for s in self.dossiers(c.OVERDUE)[0]["timeline"]],
                 "forwarding's deadline job to mark the reply overdue")
        return f"{dossier['institution_id']}'s reply is {c.OVERDUE_BY_DAYS} days overdue (demo-only backdating)"

    def open_vote(self) -> str:
        key, pid = c.OPEN_VOTE, self.ids[c.OPEN_VOTE]
        was_open = self.results(key)["status"] == "open"
        if self.results(key)["status"] == "published":
            self.staff.post(f"~/proposals/{pid}/voting/open")
        if not was_open:
            closes = datetime.combine(today() + timedelta(days=c.OPEN_FOR_DAYS), time(20, 0), TZ)
            self.staff.put(f"~/proposals/{pid}/voting/window", {"closes_at": closes.isoformat()})
        posted = {cm["body"]: cm["id"] for cm in self.staff.get(f"~/proposals/{pid}/comments")["comments"]}
        comments: dict[str, str] = {}
        for name, person, alignment, text, parent in c.DISCUSSION:
            comments[name] = posted.get(text) or self.people[person].post(f"~/proposals/{pid}/comments", {
                "body": text, "alignment": alignment, "parent_id": comments.get(parent)})["id"]
        for name, people in c.ENDORSEMENTS.items():
            for person in people:
                self.people[person].put(f"~/comments/{comments[name]}/endorsement")
        cast = self.ballots(key)
        return f"{len(comments)} comments for and against, {cast} ballots, open for {c.OPEN_FOR_DAYS} more days"


STEPS = [("Residents and the register", Story.residents),
         ("Focus groups' outcomes", lambda s: s.workshops("focus_groups")),
         ("World cafés' outcomes", lambda s: s.workshops("workshops")),
         ("Residents' proposals", Story.proposals), ("Moderation", Story.moderation),
         ("The process's phases", Story.phases), ("Supports", Story.supports),
         ("Two votes closed and forwarded", Story.conclusions), ("The ministry's reply", Story.reply),
         ("A reply overdue", Story.overdue), ("An open vote with its discussion", Story.open_vote)]


def tell_story(base: str, open_accounts: OpenAccounts, say: Callable[[str], None] = print) -> bool:
    """Fill Idrija's process through the gateway at `base`; False when the story was already told.
    `open_accounts([(email, password, language), ...])` opens residents' accounts of Idrija (the way
    operators do, because registration through the API is limited per address), keeping existing ones."""
    story = Story(base, open_accounts, say)
    if story.told():
        say("The demo story is already told (Idrija's process has its votes, replies and overdue dossier).")
        return False
    say(f"Telling the demo story of Idrija's process \"Načrt za vključujočo Idrijo\" ({len(STEPS)} steps):")
    progress = Progress(len(STEPS), say)
    for label, step in STEPS:
        progress.step(label, lambda step=step: step(story))
    say(f"The story is told in {progress.elapsed:.1f}s: {base}/m/idrija/")
    return True


def tell_story_safely(base: str, open_accounts: OpenAccounts, say: Callable[[str], None] = print) -> bool:
    """tell_story for the command line: a failure is said in one line (the platform keeps running); False then."""
    try:
        tell_story(base, open_accounts, say)
    except requests.ConnectionError as exc:
        say(f"The demo story was not told: no gateway answers at {base} ({exc.__class__.__name__}); "
            f"is the platform running (civic run)?")
        return False
    except Exception as exc:  # noqa: BLE001 - the platform is up; say why the story is not complete
        say(f"The demo story stopped: {exc}")
        return False
    return True
