"""Machine translation as a pluggable provider, behind CIVIC_TRANSLATION_PROVIDER (off when empty).

A provider has one method, `translate(text, source, target) -> str`, and raises `TranslationFailed`
when it cannot (after its own retries). `LibreTranslate` speaks that service's protocol: `POST
{url}/translate` with `q`, `source`, `target`, `format` and `api_key`, answered by `{"translatedText"}`.
Transient failures (connection errors, timeouts, 429 and 5xx) are retried with tenacity; a 4xx
answer is final."""
from __future__ import annotations

from typing import Protocol

import requests
from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from services.settings import get_settings

PROVIDERS = ("libretranslate",)


class TranslationFailed(Exception):
    """The provider did not translate; `transient` says whether a later round may succeed."""

    def __init__(self, message: str, transient: bool = True):
        super().__init__(message)
        self.transient = transient


class _Transient(Exception):
    pass


class Provider(Protocol):
    name: str

    def translate(self, text: str, source: str, target: str) -> str: ...


class LibreTranslate:
    name = "libretranslate"

    def __init__(self, url: str, api_key: str = "", timeout: float = 10.0, attempts: int = 3,
                 backoff: float = 0.2):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff

    def _once(self, text: str, source: str, target: str) -> str:
        body = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        try:
            answer = requests.post(f"{self.url}/translate", json=body, timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise _Transient(f"{type(exc).__name__}: {exc}") from exc
        if answer.status_code == 429 or answer.status_code >= 500:
            raise _Transient(f"HTTP {answer.status_code}: {_error_of(answer)}")
        if answer.status_code != 200:
            raise TranslationFailed(f"HTTP {answer.status_code}: {_error_of(answer)}", transient=False)
        try:
            out = answer.json()["translatedText"]
        except (ValueError, KeyError, TypeError) as exc:
            raise TranslationFailed("The answer has no translatedText.", transient=False) from exc
        if not isinstance(out, str) or not out.strip():
            raise TranslationFailed("The answer's translatedText is empty.", transient=False)
        return out

    def translate(self, text: str, source: str, target: str) -> str:
        """`text` from `source` into `target`, retrying transient failures."""
        try:
            for attempt in Retrying(stop=stop_after_attempt(self.attempts), reraise=False,
                                    wait=wait_exponential(multiplier=self.backoff, max=5),
                                    retry=retry_if_exception_type(_Transient)):
                with attempt:
                    return self._once(text, source, target)
        except RetryError as exc:
            raise TranslationFailed(str(exc.last_attempt.exception()), transient=True) from exc
        raise TranslationFailed("no attempt was made")  # pragma: no cover - stop_after_attempt(>=1)


def _error_of(answer: requests.Response) -> str:
    try:
        return str(answer.json().get("error"))[:200]
    except ValueError:
        return answer.text[:200]


def configured() -> Provider | None:
    """The provider the settings name, or None when machine translation is off."""
    settings = get_settings()
    name = settings.translation_provider.strip().lower()
    if not name or name == "off":
        return None
    if name == "libretranslate":
        if not settings.translation_url:
            return None
        return LibreTranslate(settings.translation_url, settings.translation_api_key,
                              settings.translation_timeout_seconds)
    raise ValueError(f"CIVIC_TRANSLATION_PROVIDER={name!r} is not one of {PROVIDERS}")
