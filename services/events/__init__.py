"""Events: the envelope (`envelope`), the catalogue merged from one module per service
(`accounts`, `proposals`, `voting`, `forwarding`) and the words they share (`vocabulary`).

Producers build events only through `make_event`; consumers read them only through
`parse_event`. Both validate the payload against the catalogue's schema.
"""
from services.events.catalogue import CATALOGUE, UPCASTERS
from services.events.envelope import (SYSTEM, Actor, UnreadableEvent, encode, follow_up, make_event,
                                      now_iso, parse_event)
from services.events.voting import PARTICIPANTS_PER_EVENT

__all__ = ["CATALOGUE", "PARTICIPANTS_PER_EVENT", "SYSTEM", "UPCASTERS", "Actor", "UnreadableEvent",
           "encode", "follow_up", "make_event", "now_iso", "parse_event"]
