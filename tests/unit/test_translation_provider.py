"""The machine translation provider client against the local LibreTranslate stand-in (a real HTTP
server speaking the protocol, in a thread of the test): the request it sends, the answer it reads,
retries of transient failures, and the errors it gives up with."""
from __future__ import annotations

import pytest
import requests

from forwarding.translation_provider import LibreTranslate, TranslationFailed, configured
from services.local.translator import Running, translated
from services.settings import reset_settings


@pytest.fixture
def standin():
    server = Running(api_key="key-1")
    yield server
    server.stop()


def control(server, **state):
    return requests.post(f"{server.url}/_control", json={"mode": "ok", "delay": 0, "fail_next": 0, **state},
                         timeout=5).json()


def client(server, **options) -> LibreTranslate:
    return LibreTranslate(server.url, options.pop("api_key", "key-1"), **{"timeout": 2, "backoff": 0.01, **options})


def test_the_stand_in_speaks_the_libretranslate_protocol(standin):
    one = requests.post(f"{standin.url}/translate", json={"q": "Dober dan", "source": "sl", "target": "uk",
                                                          "format": "text", "api_key": "key-1"}, timeout=5)
    assert one.status_code == 200 and one.json() == {"translatedText": "[uk] Dober dan"}
    many = requests.post(f"{standin.url}/translate", data={"q": ["a", "b"], "source": "sl", "target": "en",
                                                           "api_key": "key-1"}, timeout=5)
    assert many.json() == {"translatedText": ["[en] a", "[en] b"]}  # a form with q repeated, as the real one
    assert requests.post(f"{standin.url}/translate", json={"q": "x", "source": "sl", "target": "uk"},
                         timeout=5).status_code == 403  # no API key
    assert requests.post(f"{standin.url}/translate", json={"q": "x", "source": "sl", "target": "xx",
                                                           "api_key": "key-1"}, timeout=5).status_code == 400
    assert "uk" in {code for language in requests.get(f"{standin.url}/languages", timeout=5).json()
                    for code in language["targets"]}


def test_a_reply_is_translated_for_each_target_language(standin):
    provider = client(standin)
    text = "Predlog podpiramo.\n\nTečaji bodo jeseni."
    for target in ("uk", "en", "sq"):
        assert provider.translate(text, "sl", target) == translated(text, target)
    seen = requests.get(f"{standin.url}/_requests", timeout=5).json()["translated"]
    assert [(t["source"], t["target"]) for t in seen] == [("sl", "uk"), ("sl", "en"), ("sl", "sq")]


def test_transient_failures_are_retried_until_one_succeeds(standin):
    control(standin, fail_next=2)
    assert client(standin, attempts=3).translate("Hvala.", "sl", "uk") == "[uk] Hvala."
    assert requests.get(f"{standin.url}/_requests", timeout=5).json()["requests"] == 3


@pytest.mark.parametrize("state", [{"mode": "fail"}, {"mode": "busy"}, {"delay": 1.5}])
def test_a_provider_that_keeps_failing_gives_a_transient_error_without_crashing(standin, state):
    control(standin, **state)
    with pytest.raises(TranslationFailed) as failed:
        client(standin, attempts=2, timeout=0.5).translate("Hvala.", "sl", "uk")
    assert failed.value.transient
    control(standin)


def test_a_refused_request_is_final_and_not_retried(standin):
    with pytest.raises(TranslationFailed) as wrong_key:
        client(standin, api_key="not-the-key").translate("Hvala.", "sl", "uk")
    assert not wrong_key.value.transient and "403" in str(wrong_key.value)
    with pytest.raises(TranslationFailed) as unsupported:
        client(standin).translate("Hvala.", "sl", "xx")
    assert not unsupported.value.transient and "400" in str(unsupported.value)
    assert requests.get(f"{standin.url}/_requests", timeout=5).json()["requests"] == 2  # once each


def test_an_unreachable_provider_is_a_transient_error():
    with pytest.raises(TranslationFailed) as failed:
        LibreTranslate("http://127.0.0.1:9", timeout=0.5, attempts=2, backoff=0.01).translate("x", "sl", "uk")
    assert failed.value.transient


def test_machine_translation_is_off_unless_a_provider_is_set(monkeypatch):
    monkeypatch.delenv("CIVIC_TRANSLATION_PROVIDER", raising=False)
    reset_settings()
    assert configured() is None
    monkeypatch.setenv("CIVIC_TRANSLATION_PROVIDER", "libretranslate")
    monkeypatch.setenv("CIVIC_TRANSLATION_URL", "http://127.0.0.1:5000/")
    monkeypatch.setenv("CIVIC_TRANSLATION_API_KEY", "k")
    reset_settings()
    provider = configured()
    assert isinstance(provider, LibreTranslate) and provider.url == "http://127.0.0.1:5000" and provider.api_key == "k"
    monkeypatch.setenv("CIVIC_TRANSLATION_PROVIDER", "babelfish")
    reset_settings()
    with pytest.raises(ValueError):
        configured()
    monkeypatch.undo()
    reset_settings()
