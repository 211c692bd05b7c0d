"""Filling a translated text's placeholders, and falling back to German when a translation broke one."""

from __future__ import annotations

from bot.i18n.catalog import Catalog, Localized

GERMAN = "Beratung zum Thema „{topic}“:"


def catalog(arabic: str) -> Catalog:
    return Catalog({"ar": {("offers/heading", GERMAN): Localized(arabic, "reviewed")}})


def test_the_translation_is_filled() -> None:
    filled = catalog("استشارة حول «{topic}»:").filled("ar", GERMAN, "offers/heading", topic="Gesundheit")
    assert filled == Localized("استشارة حول «Gesundheit»:", "reviewed")


def test_a_broken_placeholder_falls_back_to_the_german_and_keeps_the_status() -> None:
    for broken in ("استشارة حول «{موضوع}»:", "استشارة حول «{topic»:", "{0} {1}"):
        filled = catalog(broken).filled("ar", GERMAN, "offers/heading", topic="Gesundheit")
        assert filled == Localized("Beratung zum Thema „Gesundheit“:", "reviewed")


def test_german_is_filled_directly() -> None:
    assert (
        Catalog().filled("de", GERMAN, "offers/heading", topic="Wohnen").text
        == "Beratung zum Thema „Wohnen“:"
    )
