"""The real content loads, is complete, and keeps the promises made to the women who read it."""

from __future__ import annotations

from bot.content import Content, check_content
from bot.content.translatable import source_texts
from bot.i18n.languages import LANGUAGES

from .copies import CONTENT_DIR, TODAY

STAEDTE = {"Düren", "Heimbach", "Jülich", "Linnich", "Nideggen"}
GEMEINDEN = {
    "Aldenhoven", "Hürtgenwald", "Inden", "Kreuzau", "Langerwehe",
    "Merzenich", "Niederzier", "Nörvenich", "Titz", "Vettweiß",
}  # fmt: skip
REQUIRED_TOPICS = {
    "residence", "violence", "pregnancy", "health", "work", "education", "housing",
    "money", "psychosocial", "language_course", "discrimination",
}  # fmt: skip


def test_the_real_content_has_no_errors() -> None:
    problems = check_content(CONTENT_DIR, TODAY)
    assert [str(problem) for problem in problems if problem.severity == "error"] == []


def test_all_fifteen_municipalities_with_their_kind(content: Content) -> None:
    by_kind = {
        kind: {m.name for m in content.municipalities if m.kind == kind} for kind in ("Stadt", "Gemeinde")
    }
    assert by_kind == {"Stadt": STAEDTE, "Gemeinde": GEMEINDEN}
    for municipality in content.municipalities:
        assert municipality.id.isascii()
        assert 50.5 < municipality.latitude < 51.1 and 6.2 < municipality.longitude < 6.7


def test_topics_cover_the_needs_and_every_language(content: Content) -> None:
    assert {topic.id for topic in content.topics} >= REQUIRED_TOPICS
    for topic in content.topics:
        assert topic.id.isascii() and len(topic.id) <= 20
        assert {language.code for language in LANGUAGES} <= set(topic.keywords), topic.id


def test_every_fact_has_a_source_and_waits_for_verification(content: Content) -> None:
    for item in (*content.offers, *content.hotlines):
        assert item.source, item.id
        assert item.verified is False, item.id
        assert item.last_checked >= TODAY, item.id  # checked against the sources on or after that day


def test_the_shelter_address_is_never_published(content: Content) -> None:
    shelters = [offer for offer in content.offers if offer.shelter]
    assert [offer.id for offer in shelters] == ["frauenhaus_dueren"]
    assert shelters[0].address is None
    assert shelters[0].phone == "02421 17355"


def test_the_emergency_numbers(content: Content) -> None:
    emergency = {hotline.number for hotline in content.hotlines if hotline.emergency}
    assert emergency == {"110", "112", "116 016", "0800 40 40 020"}
    violence = content.hotline("hilfetelefon_gewalt")
    assert violence is not None and "18 Sprachen" in (violence.languages_note or "")


def test_lookups_by_id(content: Content) -> None:
    offer = content.offer("fbs_juelich")
    assert offer is not None and offer.address is not None
    assert offer.address.line() == "Römerstraße 10, 52428 Jülich"
    assert content.municipality("juelich") is not None
    assert content.topic("no_such_topic") is None


def test_translatable_texts_have_unique_contexts(content: Content) -> None:
    texts = source_texts(content)
    contexts = [context for context, _ in texts]
    assert len(contexts) == len(set(contexts))
    assert ("topic/violence", "Gewalt & Schutz") in texts
    assert (
        "offer/one_stop_shop/opening_hours",
        "Jeden ersten Freitag im Monat, 9–12 Uhr, mit Anmeldung",
    ) in texts
    assert ("offer/job_com/gloss", "Jobcenter") in texts
