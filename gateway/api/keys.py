"""/.well-known/civic-keys.json: the municipalities' Ed25519 public keys, for anyone to verify
dossiers. Outside /api/v1 (a well-known address), relayed through its row `CIVIC_KEYS`."""
from flask import Blueprint

from gateway.access import ANONYMOUS
from gateway.inner import call_op, passed_through
from gateway.routes import CIVIC_KEYS
from services.auth import Caller

wellknown = Blueprint("wellknown", __name__)


@wellknown.get(CIVIC_KEYS.path)
def civic_keys():
    answer = passed_through(call_op(CIVIC_KEYS, Caller(ANONYMOUS, ANONYMOUS, "idrija")))
    answer.headers["Cache-Control"] = "public, max-age=300"
    answer.headers["Access-Control-Allow-Origin"] = "*"
    return answer
