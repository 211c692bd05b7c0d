"""Translation services for machine drafts, through deep-translator.

This is the only module that imports deep-translator, and only `wegweiser i18n draft` imports it:
nothing a woman writes ever passes through here. For a self-hosted setup use LibreTranslate
(`docker compose --profile translate up`), configured by `WEGWEISER_LIBRETRANSLATE_URL` and
`WEGWEISER_LIBRETRANSLATE_KEY`. Every failure of a service becomes a `ProviderError` with a message
that says what to do; a call that takes longer than the timeout is abandoned.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

import httpx
import requests
from deep_translator import DeeplTranslator, GoogleTranslator, LibreTranslator, MyMemoryTranslator
from deep_translator.exceptions import (
    AuthorizationException,
    BaseError,
    RequestError,
    ServerException,
    TooManyRequests,
)

from bot.i18n.languages import SOURCE
from bot.translation.draft import ProviderError, ProviderTimeout, QuotaExceeded, Translate

PROVIDERS = ("libre", "google", "deepl", "mymemory")
# deep-translator's key check wants a key even when a self-hosted LibreTranslate needs none.
NO_KEY = "none"
# MyMemory wants a region with each language.
_MYMEMORY = {
    "de": "de-DE", "en": "en-GB", "ar": "ar-SA", "fa": "fa-IR", "uk": "uk-UA", "ru": "ru-RU",
    "tr": "tr-TR", "ti": "ti-ET", "ps": "ps-PK", "so": "so-SO", "fr": "fr-FR", "ku": "ku-TR",
}  # fmt: skip


def _libre(target: str, url: str, api_key: str, timeout: float) -> Any:
    if not url:
        raise ProviderError("LibreTranslate needs a URL: set WEGWEISER_LIBRETRANSLATE_URL or pass --url")
    base = url.rstrip("/") + "/"
    try:
        response = httpx.get(base + "languages", timeout=timeout)
        response.raise_for_status()
        offered = {str(item.get("code")) for item in response.json()}
    except (httpx.HTTPError, ValueError) as error:
        raise ProviderError(f"cannot reach LibreTranslate at {base}: {error}") from error
    if target not in offered:
        raise ProviderError(
            f"LibreTranslate at {base} does not offer {target!r} (it offers {', '.join(sorted(offered))})"
        )
    translator = LibreTranslator(source=SOURCE, target="en", api_key=api_key or NO_KEY, custom_url=base)
    translator.target = (
        target  # deep-translator's own list of LibreTranslate languages is older than the server
    )
    return translator


def _translator(provider: str, target: str, url: str, api_key: str, timeout: float) -> Any:
    if provider == "libre":
        return _libre(target, url, api_key, timeout)
    if provider == "google":
        return GoogleTranslator(source=SOURCE, target=target)
    if provider == "deepl":
        if not api_key:
            raise ProviderError("DeepL needs an API key: pass --api-key")
        translator = DeeplTranslator(source=SOURCE, target="en", api_key=api_key, use_free_api=True)
        translator.target = target
        return translator
    if provider == "mymemory":
        translator = MyMemoryTranslator(source=_MYMEMORY[SOURCE], target="en-GB")
        translator.target = _MYMEMORY.get(target, target)
        return translator
    raise ProviderError(f"unknown provider {provider!r}; choose one of {', '.join(PROVIDERS)}")


def _explain(provider: str, error: Exception) -> ProviderError:
    text = str(error)
    if isinstance(error, TooManyRequests) or "TOO_MANY_REQUESTS" in text:
        return QuotaExceeded(f"{provider}: quota reached (HTTP 429, too many requests); try again later")
    if isinstance(error, AuthorizationException) or "KEY_INVALID" in text or "KEY_BLOCKED" in text:
        return ProviderError(f"{provider}: the API key was refused")
    if isinstance(error, ServerException):
        return ProviderError(f"{provider}: the service answered with an error ({text})")
    if isinstance(error, (RequestError, requests.RequestException)):
        return ProviderError(f"{provider}: the service cannot be reached ({text})")
    return ProviderError(f"{provider}: {type(error).__name__}: {text}")


def _within(call: Callable[[str], str], seconds: float, provider: str) -> Translate:
    """`call` abandoned after `seconds` (deep-translator sets no timeout); the worker thread is a daemon."""

    def translate(text: str) -> str:
        answers: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)

        def work() -> None:
            try:
                answers.put((True, call(text)))
            except Exception as error:
                answers.put((False, error))

        threading.Thread(target=work, name="machine-draft", daemon=True).start()
        try:
            ok, value = answers.get(timeout=seconds)
        except queue.Empty:
            raise ProviderTimeout(f"{provider}: no answer within {seconds:g} seconds") from None
        if not ok:
            raise _explain(provider, value)
        return str(value)

    return translate


def machine_translator(
    provider: str, target: str, *, url: str = "", api_key: str = "", timeout: float = 30.0
) -> Translate:
    """A function translating German into `target` with `provider`; ProviderError when it cannot."""
    try:
        translator = _translator(provider, target, url, api_key, timeout)
    except (BaseError, ServerException, RequestError) as error:
        raise _explain(provider, error) from error
    return _within(translator.translate, timeout, provider)


def to_german_via_libre(source: str, *, url: str, api_key: str = "", timeout: float = 30.0) -> Translate:
    """Her own words into German for staff, only through a self-hosted LibreTranslate (never a cloud
    service: the text may say who she is). `source` is her language code, or "auto"."""
    if not url:
        raise ProviderError(
            "translating her words needs a self-hosted LibreTranslate: set WEGWEISER_LIBRETRANSLATE_URL"
        )
    base = url.rstrip("/") + "/"
    try:
        translator = LibreTranslator(source="auto", target=SOURCE, api_key=api_key or NO_KEY, custom_url=base)
    except (BaseError, ServerException, RequestError) as error:
        raise _explain("libre", error) from error
    translator.source = source or "auto"  # deep-translator's language list is older than the server's
    return _within(translator.translate, timeout, "libre")
