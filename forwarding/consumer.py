"""Events the forwarding service consumes, and its dispatcher job."""
from forwarding import handlers
from services.settings import get_settings

HANDLERS = {"voting.conclusion_reached": handlers.on_conclusion_reached}
TOPICS = [get_settings().topic("voting")]
JOBS = {"dispatcher": (handlers.dispatch_due, 0.2)}
