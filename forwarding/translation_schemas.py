"""Schemas of a reply's plain-language summary and its translations (forwarding.schemas builds the
replies it answers on these)."""
from marshmallow import Schema, fields, validate

TRANSLATIONS_DOC = {"description": "language -> the reply's translation (summary and text)"}


class SummaryIn(Schema):
    summary = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=2000),
                         metadata={"description": "A plain-language summary of the reply for the residents"})


class TranslationOut(Schema):
    summary = fields.Str(allow_none=True)
    text = fields.Str()
    kind = fields.Str(metadata={"description": "human (added by the municipality) or machine"})
    at = fields.Str()


class StaffTranslationOut(TranslationOut):
    by = fields.Str(allow_none=True, metadata={"description": "Who added it (a staff account); none for machine"})
    provider = fields.Str(allow_none=True, metadata={"description": "The machine translation provider"})


class Translated(Schema):
    """A reply's summary, its original's language and its translations, as anyone may read them."""

    summary = fields.Str(allow_none=True)
    language = fields.Str(metadata={"description": "The original's language"})
    translations = fields.Dict(keys=fields.Str(), values=fields.Nested(TranslationOut), metadata=TRANSLATIONS_DOC)


class StaffTranslated(Schema):
    translations = fields.Dict(keys=fields.Str(), values=fields.Nested(StaffTranslationOut),
                               metadata=TRANSLATIONS_DOC)


class ReplyTranslationIn(SummaryIn):
    text = fields.Str(required=True, validate=validate.Length(min=1, max=20_000))


class ReplyTranslationOut(StaffTranslationOut):
    dossier_id = fields.Str()
    language = fields.Str()
