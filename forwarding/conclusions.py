"""Conclusions reached: routed to institutions, one signed dossier per competent institution (or a
place in the staff's review queue), in bulk.

The consumer hands over the conclusions it read together (services.bus: a batch handler): the
directory, the review policies, the signing keys and the proposals' facts are read once for all of
them, the dossiers are built and signed before the transaction, and one transaction writes every
conclusion, dossier, event and processed marker. A burst of 200 conclusions cost the database one
transaction and about fifteen commands per conclusion; now it costs that per batch. One conclusion
alone goes the same way, as a batch of one."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from forwarding import clock, domain, facts, keys
from forwarding.dossiers import build, prepared_event, review_required, step
from forwarding.store import Conclusion, Dossier, Institution, MunicipalAction
from services.db import Unit, atomically
from services.events import follow_up

log = logging.getLogger(__name__)
CONSUMER = "forwarding.conclusions"


@dataclass
class _Plan:
    """What one conclusion writes, prepared outside the transaction."""
    conclusion: Conclusion
    dossiers: list[Dossier] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    action: MunicipalAction | None = None


def on_conclusion_reached(event: dict) -> None:
    """Adopted conclusions beyond municipal competence: one dossier per competent institution, or,
    when no institution covers the theme, a place in the staff's review queue with an alert."""
    on_conclusions_reached([event])


def on_conclusions_reached(events: list[dict]) -> None:
    """Many conclusions in one transaction (raises AlreadyProcessed if any was applied before: the
    consumer then applies them one by one)."""
    wanted = [e for e in events if domain.needs_forwarding(e["payload"]["outcome"], e["payload"]["competence"])]
    plans: list[_Plan] = []
    if wanted:
        directory = {i.id: i for i in Institution.objects}
        entries = [i.as_route() for i in directory.values()]  # once, not once per conclusion
        municipalities = {e["municipality"] for e in wanted}
        review = {m: review_required(m) for m in municipalities}
        signing = {m: keys.ensure_key(m) for m in municipalities}  # outside the transaction: created once
        known_facts = facts.for_dossiers([e["payload"]["proposal_id"] for e in wanted])
        plans = [_plan(e, directory, entries, review[e["municipality"]], signing[e["municipality"]], known_facts)
                 for e in wanted]

    def work(unit: Unit) -> None:
        ids = [p.conclusion.id for p in plans]
        known = {son["_id"] for son in Conclusion._get_collection().find(
            {"_id": {"$in": ids}}, {"_id": 1}, session=unit.session)} if ids else set()
        new = []
        for plan in plans:  # replayed under a new event id: the conclusion is known and its routing under way
            if plan.conclusion.id not in known:
                known.add(plan.conclusion.id)
                new.append(plan)
        unit.insert_all([p.conclusion for p in new])
        unit.insert_all([d for p in new for d in p.dossiers])
        # a new conclusion's municipal action is new too (its id is the proposal's): one insert for all,
        # where a save each (an upsert) had cost a burst of 54 conclusions 600 ms of its transaction
        unit.insert_all([p.action for p in new if p.action is not None])
        for plan in new:
            for event in plan.events:
                unit.emit(event)

    atomically(work, consumer=CONSUMER, cause=events if len(events) > 1 else events[0])


def _plan(event: dict, directory: dict, entries: list[dict], review: bool, key, known_facts: dict) -> _Plan:
    data, municipality = event["payload"], event["municipality"]
    routes = domain.route(data["theme"], entries)
    routing = domain.routing_state(routes)
    plan = _Plan(Conclusion(id=data["proposal_id"], municipality=municipality, data=data, routing=routing,
                            correlation_id=event["correlation_id"], reached_at=clock.now()))
    for route in routes:
        institution = directory[route["id"]]
        dossier = Dossier(id=domain.dossier_id(data["proposal_id"], institution.id), municipality=municipality,
                          proposal_id=data["proposal_id"], institution_id=institution.id,
                          channel=institution.channel, status=domain.AWAITING_REVIEW, timeline=[step("routed")])
        if not review:
            build(dossier, plan.conclusion, institution, known_facts.get(data["proposal_id"]), key)
            plan.events.append(prepared_event(dossier, cause=event))
        plan.dossiers.append(dossier)
    if routing == domain.NEEDS_ROUTING:
        log.warning("no institution covers theme %r: proposal %s waits for staff", data["theme"], data["proposal_id"])
        plan.events.append(follow_up(event, "forwarding.routing_needed", aggregate_id=data["proposal_id"],
                                     payload={k: data[k] for k in ("proposal_id", "title", "theme", "competence")}))
    elif review:
        plan.events.append(follow_up(event, "forwarding.review_requested", aggregate_id=data["proposal_id"],
                                     payload={"proposal_id": data["proposal_id"],
                                              "institution_ids": [r["id"] for r in routes]}))
    if data["competence"] == "shared":
        plan.action = MunicipalAction(id=data["proposal_id"], municipality=municipality, title=data["title"],
                                      theme=data["theme"])
        plan.events.append(follow_up(event, "forwarding.municipal_action_created", aggregate_id=data["proposal_id"],
                                     payload={"proposal_id": data["proposal_id"], "title": data["title"],
                                              "theme": data["theme"]}))
    return plan

