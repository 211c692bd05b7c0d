"""ActionFindOffers run the rasa-sdk way: a real CollectingDispatcher, a real Tracker, a small catalog."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.offers import ActionFindOffers
from bot.actions.texts import TEXTS, context, source_texts
from bot.config import PROJECT_ROOT
from bot.content import Content, load_content
from bot.i18n.catalog import Catalog, Localized

ENGLISH = {
    "heading_place": "Counselling on “{topic}” for {place}:",
    "heading_nearby": "Counselling on “{topic}” near you:",
    "heading_more": "More offers (page {page} of {pages}):",
    "languages": "Languages: {languages}",
    "interpreters": "other languages too",
    "women_only": "women only",
    "free": "free",
    "anonymous": "anonymous",
    "hotlines_heading": "Help by phone anywhere in Germany:",
}
FBS_DESCRIPTION = (
    "Beratung für alle Frauen und Mädchen ab 12 Jahren aus dem Kreis Düren, besonders bei Gewalt."
)


def english_catalog() -> Catalog:
    table = {(context(key), TEXTS[key]): Localized(text, "reviewed") for key, text in ENGLISH.items()}
    table[("topic/violence", "Gewalt & Schutz")] = Localized("Violence & protection", "reviewed")
    table[("offer/fbs_juelich/description", FBS_DESCRIPTION)] = Localized(
        "Counselling for all women and girls from 12 in Kreis Düren, especially about violence.", "reviewed"
    )
    table[("hotline/hilfetelefon_gewalt/name", "Hilfetelefon Gewalt gegen Frauen")] = Localized(
        "Violence against Women Support Hotline", "reviewed"
    )
    return Catalog(entries={"en": table})


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(PROJECT_ROOT / "content")


async def run(action: ActionFindOffers, **slots: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run the action once; return (messages, events)."""
    dispatcher = CollectingDispatcher()
    tracker = Tracker.from_dict({"sender_id": "she", "slots": slots, "events": [], "latest_message": {}})
    events = await action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


def slot_events(page: int, more: bool) -> list[dict[str, Any]]:
    return [
        {"event": "slot", "timestamp": None, "name": "offers_page", "value": page},
        {"event": "slot", "timestamp": None, "name": "offers_more", "value": more},
    ]


async def test_first_page_in_german(content: Content) -> None:
    action = ActionFindOffers(content, Catalog())
    messages, events = await run(action, topic="violence", language="de", municipality="juelich")

    assert [message["text"].splitlines()[0] for message in messages] == [
        "🛡️ Beratung zum Thema „Gewalt & Schutz“ für Jülich:",
        "Frauenberatungsstelle Jülich (Beratungsstelle für Frauen)",
        "Frauenberatungsstelle Frauen helfen Frauen Düren (Beratungsstelle für Frauen)",
        "Frauenhaus Düren (Schutzhaus für Frauen)",
        "Telefonische Hilfe in ganz Deutschland:",
    ]
    assert messages[1]["text"] == "\n".join(
        [
            "Frauenberatungsstelle Jülich (Beratungsstelle für Frauen)",
            FBS_DESCRIPTION,
            "🗣 Sprachen: Deutsch",
            "✓ kostenlos · nur für Frauen",
            "📍 Römerstraße 10, 52428 Jülich",
            "☎ 02461 58282",
            "🌐 http://www.frauenberatungsstelle-juelich.de",
        ]
    )
    assert messages[1]["custom"] == {
        "msgid": "offer/fbs_juelich/description",
        "status": "source",
        "venue": {
            "latitude": 50.922,
            "longitude": 6.358,
            "title": "Frauenberatungsstelle Jülich",
            "address": "Römerstraße 10, 52428 Jülich",
        },
    }
    assert "venue" not in messages[3]["custom"]  # the shelter has no address to show
    assert "☎ 02421 17355" in messages[3]["text"]
    assert events == slot_events(1, True)


async def test_emergency_numbers_for_her_topic_do_not_wait_for_the_last_page(content: Content) -> None:
    action = ActionFindOffers(content, Catalog())
    first, _ = await run(action, topic="violence", language="de", municipality="juelich")
    hotlines = first[-1]["text"]
    assert hotlines.startswith("Telefonische Hilfe in ganz Deutschland:\n\n☎ 110 – Polizei-Notruf\n")
    assert "☎ 116 016 – Hilfetelefon Gewalt gegen Frauen" in hotlines
    assert "rund um die Uhr, an 365 Tagen · kostenlos · anonym" in hotlines
    assert "🗣 In 18 Sprachen mit Dolmetscherin" in hotlines

    last, events = await run(action, topic="violence", language="de", municipality="juelich", offers_page=1)
    assert [message["text"].splitlines()[0] for message in last] == [
        "Weitere Angebote (Seite 2 von 2):",
        "Goldrute – Migrantinnen-Netzwerk gegen häusliche Gewalt (Beratung für Migrantinnen bei Gewalt)",
    ]
    assert "🗣 Sprachen: Deutsch · auch in weiteren Sprachen" in last[1]["text"]
    assert events == slot_events(0, False)


async def test_other_hotlines_close_the_last_page(content: Content) -> None:
    action = ActionFindOffers(content, Catalog())
    first, events = await run(action, topic="housing", language="de", municipality="anywhere")
    assert len(first) == 4 and "☎" not in first[0]["text"]
    assert events == slot_events(1, True)

    last, events = await run(action, topic="housing", language="de", municipality="anywhere", offers_page=1)
    assert last[-1]["text"].startswith("Telefonische Hilfe in ganz Deutschland:\n\n☎ 0800 546 546 5 – ")
    assert "✉" not in last[-1]["text"] and "Montag bis Donnerstag, 9–15 Uhr · kostenlos" in last[-1]["text"]
    assert "🧭 Nachbarregion: Aachen" in last[-2]["text"]
    assert events == slot_events(0, False)


async def test_in_english_with_german_where_no_translation_exists(content: Content) -> None:
    action = ActionFindOffers(content, english_catalog())
    messages, _ = await run(action, topic="violence", language="en", municipality="juelich")

    assert messages[0]["text"] == "🛡️ Counselling on “Violence & protection” for Jülich:"
    # No local offer speaks English: the one with counsellors in many languages comes first.
    assert messages[1]["text"].startswith("Goldrute")
    assert "🗣 Languages: Deutsch · other languages too" in messages[1]["text"]
    second = messages[2]["text"].splitlines()
    assert (
        second[1] == "Counselling for all women and girls from 12 in Kreis Düren, especially about violence."
    )
    assert second[2:4] == ["🗣 Languages: Deutsch", "✓ free · women only"]
    assert (
        messages[3]["text"].splitlines()[1].startswith("Beratung und Unterstützung für Frauen")
    )  # not translated
    assert messages[4]["text"].startswith("Help by phone anywhere in Germany:")
    assert "☎ 116 016 – Violence against Women Support Hotline" in messages[4]["text"]
    assert "rund um die Uhr, an 365 Tagen · free · anonymous" in messages[4]["text"]

    last, _ = await run(action, topic="violence", language="en", municipality="juelich", offers_page=1)
    assert last[0]["text"] == "More offers (page 2 of 2):"
    assert last[1]["text"].startswith("Frauenhaus Düren (Schutzhaus für Frauen)\n")


async def test_a_platform_language_tag_is_resolved(content: Content) -> None:
    action = ActionFindOffers(content, english_catalog())
    messages, _ = await run(action, topic="violence", language="en-GB", municipality="juelich")
    assert messages[0]["text"].startswith("🛡️ Counselling on")


async def test_a_topic_without_offers_says_so_and_shows_the_fallback(content: Content) -> None:
    action = ActionFindOffers(content, Catalog())
    messages, events = await run(action, topic="health", language="de", municipality="kreuzau")

    assert messages[0]["text"].startswith(
        "🩺 Zum Thema „Gesundheit“ kennen wir leider noch keine eigene Beratungsstelle."
    )
    assert all("Deutsch" in message["text"] for message in messages[1:4])
    assert "☎ 112 – Feuerwehr und Rettungsdienst" in messages[4]["text"]
    assert events == slot_events(1, True)


async def test_nearby_ranks_from_her_shared_location(content: Content) -> None:
    action = ActionFindOffers(content, english_catalog())
    at_linnich = [50.98, 6.27]
    messages, _ = await run(
        action, topic="violence", language="en", municipality="nearby", location=at_linnich
    )
    assert messages[0]["text"] == "🛡️ Counselling on “Violence & protection” near you:"

    german, _ = await run(action, topic="violence", language="de", municipality="nearby", location=at_linnich)
    assert [message["text"].splitlines()[0] for message in german[1:4]] == [
        "Frauenberatungsstelle Jülich (Beratungsstelle für Frauen)",  # 13 km from Linnich
        "Frauenberatungsstelle Frauen helfen Frauen Düren (Beratungsstelle für Frauen)",  # 26 km
        "Frauenhaus Düren (Schutzhaus für Frauen)",
    ]

    without_location, _ = await run(action, topic="violence", language="de", municipality="nearby")
    assert without_location[0]["text"] == "🛡️ Beratung zum Thema „Gewalt & Schutz“ im Kreis Düren:"


async def test_a_page_past_the_end_shows_the_last_page(content: Content) -> None:
    action = ActionFindOffers(content, Catalog())
    messages, events = await run(
        action, topic="violence", language="de", municipality="juelich", offers_page=99
    )
    assert messages[0]["text"] == "Weitere Angebote (Seite 2 von 2):"
    assert events == slot_events(0, False)


async def test_no_topic_yet_lists_general_counselling(content: Content) -> None:
    action = ActionFindOffers(content, Catalog())
    messages, _ = await run(action, language="de")
    assert messages[0]["text"] == "Beratungsstellen im Kreis Düren:"
    assert len(messages) == 4


async def test_a_translation_that_lost_its_placeholder_falls_back_to_german(content: Content) -> None:
    broken = {(context("heading_place"), TEXTS["heading_place"]): Localized("Beratung für {ort}", "draft")}
    action = ActionFindOffers(content, Catalog(entries={"fr": broken}))
    messages, _ = await run(action, topic="violence", language="fr", municipality="juelich")
    assert messages[0]["text"] == "🛡️ Beratung zum Thema „Gewalt & Schutz“ für Jülich:"


def test_every_text_has_its_context() -> None:
    assert source_texts()[0] == ("action_find_offers/heading_place", TEXTS["heading_place"])
    assert len(source_texts()) == len(TEXTS)
