"""The gateway's own operations (written by hand in gateway.api): accounts, municipalities, operations."""
from __future__ import annotations

from gateway import schemas as g
from gateway.access import EVERYONE_NATIONAL, OPERATORS
from gateway.routes.op import Op
from services.status import PlatformStatusOut

ACCOUNTS = [
    Op("register", "POST", "/auth/register", EVERYONE_NATIONAL, "accounts", "Open a resident's account.",
       body=g.RegisterIn, out=g.AccountOut, status=201),
    Op("login", "POST", "/auth/login", EVERYONE_NATIONAL, "accounts", "Sign in: a bearer token for the API.",
       body=g.LoginIn, out=g.TokenOut),
]

MUNICIPALITIES = [
    Op("list_municipalities", "GET", "/municipalities", EVERYONE_NATIONAL, "municipalities",
       "The municipalities on this platform.", out=g.MunicipalityOut(many=True)),
    Op("get_municipality", "GET", "/municipalities/{code}", EVERYONE_NATIONAL, "municipalities",
       "One municipality: languages, time zone, branding.", out=g.MunicipalityOut),
    Op("coat_of_arms", "GET", "/municipalities/{code}/coat-of-arms", EVERYONE_NATIONAL, "municipalities",
       "The municipality's coat of arms (PNG or JPEG).", produces="image/png"),
    Op("create_municipality", "POST", "/municipalities", OPERATORS, "municipalities",
       "Add a municipality (platform operators).", body=g.MunicipalityIn, out=g.MunicipalityOut, status=201),
    Op("update_municipality", "PATCH", "/municipalities/{code}", OPERATORS, "municipalities",
       "Change a municipality's name, languages, time zone or branding (platform operators).",
       body=g.MunicipalityPatch(partial=True), out=g.MunicipalityOut),
]

# The gateway's own: fans out to every service's status (services.status), in gateway.api.operations.
OPERATIONS = [
    Op("operations_status", "GET", "/operations/status", OPERATORS, "operations",
       "Every part's health, consumer lag per topic, outbox backlogs, dead letters, failing dispatches "
       "and open breakers (platform operators).", out=PlatformStatusOut, timeout=60),
]
