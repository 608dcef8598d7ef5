"""Vocabulary and field shapes shared by the proposals API's schemas."""
from __future__ import annotations

from marshmallow import Schema, fields, validate



LANGUAGES = ("sl", "en", "sq", "bs", "hr", "sr", "uk", "ru", "ar", "fa")


SORTS = ("newest", "oldest", "most_supported", "most_discussed")


CODE = validate.Regexp(r"^[a-z][a-z0-9_-]{1,63}$", error="Use 2-64 lower-case letters, digits, - or _.")


Title = lambda **kw: fields.Str(validate=validate.Length(min=5, max=200), **kw)


Summary = lambda **kw: fields.Str(validate=validate.Length(min=10, max=1000), **kw)


Body = lambda **kw: fields.Str(validate=validate.Length(max=20000), **kw)


Tags = lambda **kw: fields.List(fields.Str(validate=validate.Length(min=1, max=32)),
                                validate=validate.Length(max=10), **kw)


Texts = lambda **kw: fields.Dict(keys=fields.Str(validate=validate.OneOf(LANGUAGES)),
                                 values=fields.Str(validate=validate.Length(min=1, max=2000)), **kw)


class TranslationIn(Schema):
    title = Title(required=True)
    summary = Summary(required=True)
    body = Body(load_default="")


Translations = lambda **kw: fields.Dict(keys=fields.Str(validate=validate.OneOf(LANGUAGES)),
                                        values=fields.Nested(TranslationIn), validate=validate.Length(max=10), **kw)
