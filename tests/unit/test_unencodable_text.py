"""A JSON body may carry lone surrogates (\\udxxx escapes) that no database can store: every service
refuses them as a 422 naming the field (services.web.unencodable_text), never a 500."""
from __future__ import annotations

import json

from services.web import unencodable_text


def test_a_lone_surrogate_is_found_with_its_path():
    body = json.loads('{"title": "ok", "options": [{"label": "a"}, {"label": "x\\udaaa"}]}')
    assert unencodable_text(body) == {"options": {1: {"label": ["Not valid Unicode text (it holds a lone surrogate)."]}}}


def test_paired_surrogates_and_other_values_are_valid_text():
    assert unencodable_text(json.loads('{"t": "\\ud83d\\ude00", "n": 1, "l": [null, true, {"a": "č"}]}')) is None
    assert unencodable_text(None) is None


def test_a_lone_surrogate_at_the_top_or_in_a_field_name():
    assert "_schema" in unencodable_text(json.loads('"\\udc00"'))
    assert "_schema" in unencodable_text(json.loads('{"\\udc00": 1}'))
