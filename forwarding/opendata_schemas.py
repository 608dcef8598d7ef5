"""The open-data exports of forwarding: dossiers as sent (public part), replies, the tracker
(see forwarding.opendata)."""
from marshmallow import Schema, fields

from services import opendata
from services.fields import Integer


def _institution_fields():
    return {"institution_id": fields.Str(required=True),
            "institution_name_sl": fields.Str(allow_none=True, required=True),
            "institution_name_en": fields.Str(allow_none=True, required=True)}


DossierRow = Schema.from_dict({
    "dossier_id": fields.Str(required=True), "proposal_id": fields.Str(required=True),
    "municipality": fields.Str(required=True), "process_id": fields.Str(allow_none=True, required=True),
    **_institution_fields(),
    "schema": fields.Str(required=True, metadata={"description": "The dossier's schema (docs/dossier-schema.json)"}),
    "prepared_at": fields.Str(required=True), "dispatched_at": fields.DateTime(required=True),
    "title": fields.Str(required=True), "theme": fields.Str(required=True),
    "summary": fields.Str(allow_none=True, required=True), "language": fields.Str(allow_none=True, required=True),
    "competence": fields.Str(required=True), "competence_justification": fields.Str(allow_none=True, required=True),
    "outcome": fields.Str(required=True), "yes": Integer(required=True), "no": Integer(required=True),
    "abstain": Integer(required=True), "ballots": Integer(required=True),
    "electorate": Integer(allow_none=True, required=True), "turnout": fields.Float(allow_none=True, required=True),
    "comments": Integer(allow_none=True, required=True), "workshops": Integer(required=True),
    "digest": fields.Str(required=True, metadata={"description": "SHA-256 of the whole signed document"}),
    "key_id": fields.Str(allow_none=True, required=True)}, name="DossierRow")

ReplyRow = Schema.from_dict({
    "dossier_id": fields.Str(required=True), "proposal_id": fields.Str(required=True),
    "municipality": fields.Str(required=True), **_institution_fields(),
    "status": fields.Str(required=True, metadata={"description": "accepted, partly, rejected or forwarded"}),
    "text": fields.Str(required=True), "summary": fields.Str(allow_none=True, required=True),
    "forwarded_to": fields.Str(allow_none=True, required=True),
    "via": fields.Str(required=True, metadata={"description": "link, account, api_key or post"}),
    "attachments": Integer(required=True), "replied_at": fields.DateTime(required=True)}, name="ReplyRow")

TrackerRow = Schema.from_dict({
    "dossier_id": fields.Str(required=True), "proposal_id": fields.Str(required=True),
    "municipality": fields.Str(required=True), "title": fields.Str(allow_none=True, required=True),
    "theme": fields.Str(allow_none=True, required=True), **_institution_fields(),
    "status": fields.Str(required=True), "reached_at": fields.DateTime(allow_none=True, required=True),
    "dispatched_at": fields.DateTime(allow_none=True, required=True),
    "acknowledged_at": fields.DateTime(allow_none=True, required=True),
    "due_at": fields.DateTime(allow_none=True, required=True),
    "replied_at": fields.DateTime(allow_none=True, required=True),
    "reply_status": fields.Str(allow_none=True, required=True), "overdue": fields.Bool(required=True)},
    name="TrackerRow")

EXPORTS = {"dossiers": opendata.envelope("dossiers", DossierRow), "replies": opendata.envelope("replies", ReplyRow),
           "tracker": opendata.envelope("tracker", TrackerRow)}
ROW_SCHEMAS = {"dossiers": DossierRow, "replies": ReplyRow, "tracker": TrackerRow}
