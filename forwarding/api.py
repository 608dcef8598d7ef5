"""HTTP API of the forwarding service (internal; the gateway relays to it)."""
from urllib.parse import quote

from flask import Response, request
from flask_smorest import Blueprint

from forwarding import clock, delivery, dossiers as routing, groups, handlers, listing, replies, reply_translations
from forwarding.institutions import get_institution
from forwarding.schemas import (
    ApiKeyOut,
    BreakerOut,
    ClockIn,
    ClockOut,
    DossierListArgs,
    DossierListOut,
    DossierOut,
    DossierPageOut,
    ForwardingOut,
    InstitutionIn,
    InstitutionOut,
    InstitutionPatch,
    KeySetOut,
    MarkSentIn,
    PolicyIn,
    PolicyOut,
    REPLY_BODY_BYTES,
    PortalArgs,
    PortalListArgs,
    PortalListOut,
    RepliesOut,
    ReplyIn,
    ReviewIn,
    RoutingQueueOut,
    TrackerArgs,
    TrackerOut,
)
from forwarding.translation_schemas import ReplyTranslationIn, ReplyTranslationOut
from services.auth import caller
from services.errors import Forbidden

blp = Blueprint("forwarding", __name__, url_prefix="/api")


@blp.get("/proposals/<proposal_id>/dossiers")
@blp.response(200, ForwardingOut)
def dossiers(proposal_id):
    """Staff of the municipality see the whole dossier; anyone else its public progress (no document)."""
    found = handlers.list_dossiers(caller(), proposal_id)
    if caller().role != "staff":
        for dossier in found:  # in memory only, never saved
            dossier.document, dossier.last_error = None, None
    return {"proposal_id": proposal_id, "routing": routing.routing_of(caller(), proposal_id), "dossiers": found}


@blp.post("/proposals/<proposal_id>/review")
@blp.arguments(ReviewIn)
@blp.response(200, ForwardingOut)
def review(data, proposal_id):
    found = handlers.review(caller(), proposal_id, data)
    return {"proposal_id": proposal_id, "routing": routing.routing_of(caller(), proposal_id), "dossiers": found}


@blp.get("/routing-queue")
@blp.response(200, RoutingQueueOut)
def routing_queue():
    """Staff: adopted conclusions no institution covers, waiting for staff to choose at review."""
    return {"conclusions": routing.routing_queue(caller())}


@blp.get("/proposals/<proposal_id>/replies")
@blp.response(200, RepliesOut)
def public_replies(proposal_id):
    return handlers.published_replies(proposal_id)


@blp.put("/replies/<dossier_id>/translations/<language>")
@blp.arguments(ReplyTranslationIn)
@blp.response(200, ReplyTranslationOut)
def translate_reply(data, dossier_id, language):
    """Staff add or replace a reply's translation into one of the municipality's languages."""
    return reply_translations.translate_reply(caller(), dossier_id, language, data)


@blp.get("/dossiers")
@blp.arguments(DossierListArgs, location="query")
@blp.response(200, DossierListOut)
def municipal_dossiers(args):
    """Staff: the municipality's dossiers, filtered and paged, with the count of each status."""
    return listing.list_dossiers(caller(), args)


@blp.get("/dossiers/<dossier_id>")
@blp.response(200, DossierPageOut)
def dossier(dossier_id):
    return listing.get_dossier(caller(), dossier_id)


@blp.post("/dossiers/<dossier_id>/retry")
@blp.response(200, DossierOut)
def retry(dossier_id):
    return handlers.retry_dossier(caller(), dossier_id)


@blp.post("/dossiers/<dossier_id>/sent")
@blp.arguments(MarkSentIn)
@blp.response(200, DossierOut)
def mark_sent(data, dossier_id):
    return handlers.mark_sent(caller(), dossier_id, data.get("note"))


@blp.post("/dossiers/<dossier_id>/replies")
@blp.arguments(ReplyIn)
@blp.response(201, DossierOut)
def postal_reply(data, dossier_id):
    return replies.postal_reply(caller(), dossier_id, data)


def _pdf(dossier) -> Response:
    return Response(delivery.pdf_of(dossier), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="dossier-{dossier.id}.pdf"'})


def _json(dossier) -> Response:
    return Response(delivery.wire_body(dossier), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="dossier-{dossier.id}.json"'})


@blp.get("/dossiers/<dossier_id>/pdf")
def dossier_pdf(dossier_id):
    return _pdf(delivery.document_of(caller(), dossier_id))


@blp.get("/dossiers/<dossier_id>/json")
def dossier_json(dossier_id):
    return _json(delivery.document_of(caller(), dossier_id))


@blp.get("/institutions")
@blp.response(200, InstitutionOut(many=True))
def institutions():
    return handlers.list_institutions()


@blp.post("/institutions")
@blp.arguments(InstitutionIn)
@blp.response(201, InstitutionOut)
def create_institution(data):
    return handlers.create_institution(caller(), data)


@blp.get("/institutions/<code>")
@blp.response(200, InstitutionOut)
def institution(code):
    return get_institution(code)


@blp.patch("/institutions/<code>")
@blp.arguments(InstitutionPatch(partial=True))
@blp.response(200, InstitutionOut)
def update_institution(data, code):
    return handlers.update_institution(caller(), code, data)


@blp.post("/institutions/<code>/api-key")
@blp.response(201, ApiKeyOut)
def api_key(code):
    return handlers.issue_api_key(caller(), code)


@blp.get("/institutions/<code>/breaker")
@blp.response(200, BreakerOut)
def breaker(code):
    if caller().role not in ("staff", "operator"):
        raise Forbidden("Only staff and platform operators see delivery breakers.")
    get_institution(code)
    return delivery.breaker_state(code)


@blp.before_app_request  # an app-wide hook made before the kit's, which reads JSON bodies
def reply_body_limit():
    """A reply carries its attachments (up to 3 files of 10 MiB, in base64) in its JSON body."""
    if request.endpoint in ("forwarding.reply", "forwarding.postal_reply"):
        request.max_content_length = REPLY_BODY_BYTES


@blp.get("/portal/dossiers")
@blp.arguments(PortalListArgs, location="query")
@blp.response(200, PortalListOut)
def portal_dossiers(args):
    """An institution account: the dossiers addressed to it, across municipalities."""
    return listing.institution_dossiers(caller(), args)


@blp.get("/proposals/<proposal_id>/replies/<dossier_id>/attachments/<int:number>")
def reply_attachment(proposal_id, dossier_id, number):
    """A published reply's attachment, with its digest (as kept: the kind read from its content)."""
    meta, raw = replies.attachment(proposal_id, dossier_id, number)
    plain = "".join(c for c in meta["filename"] if c.isascii() and (c.isalnum() or c in "._- "))[:120]
    disposition = f"attachment; filename=\"{plain or 'attachment'}\"; filename*=UTF-8''{quote(meta['filename'])}"
    return Response(raw, mimetype=meta["content_type"], headers={
        "Content-Disposition": disposition, "X-Content-Type-Options": "nosniff", "X-Content-SHA256": meta["sha256"]})


def _portal(dossier_id, args):
    return replies.authorise(dossier_id, caller(), args.get("token"), args.get("api_key"))


@blp.get("/portal/dossiers/<dossier_id>")
@blp.arguments(PortalArgs, location="query")
@blp.response(200, DossierOut)
def portal(args, dossier_id):
    dossier = replies.portal_view(_portal(dossier_id, args)[0])
    dossier.group = groups.group_of(dossier.proposal_id)  # in memory only, for the answer
    return dossier


@blp.get("/portal/dossiers/<dossier_id>/pdf")
@blp.arguments(PortalArgs, location="query")
def portal_pdf(args, dossier_id):
    return _pdf(replies.portal_view(_portal(dossier_id, args)[0]))


@blp.post("/portal/dossiers/<dossier_id>/acknowledge")
@blp.arguments(PortalArgs, location="query")
@blp.response(200, DossierOut)
def acknowledge(args, dossier_id):
    return replies.acknowledge(*_portal(dossier_id, args))


@blp.post("/portal/dossiers/<dossier_id>/reply")
@blp.arguments(PortalArgs, location="query")
@blp.arguments(ReplyIn)
@blp.response(201, DossierOut)
def reply(args, data, dossier_id):
    return replies.reply(*_portal(dossier_id, args), data)


@blp.get("/tracker")
@blp.arguments(TrackerArgs, location="query")
@blp.response(200, TrackerOut)
def tracker(args):
    return handlers.tracker(args)


@blp.get("/policy")
@blp.response(200, PolicyOut)
def policy():
    return handlers.get_policy(caller())


@blp.put("/policy")
@blp.arguments(PolicyIn)
@blp.response(200, PolicyOut)
def set_policy(data):
    return handlers.set_policy(caller(), data["review_required"])


@blp.post("/clock")
@blp.arguments(ClockIn)
@blp.response(200, ClockOut)
def advance_clock(data):
    if caller().role != "staff":
        raise Forbidden("Only staff move the test clock.")
    return {"offset_seconds": clock.advance(data["advance_seconds"]), "now": clock.now()}


@blp.get("/keys")
@blp.response(200, KeySetOut)
def keys():
    return handlers.public_keys()

