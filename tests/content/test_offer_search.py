"""find_offers: her language first, then the nearest; a fallback instead of an empty answer."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import Content, Offer, emergency_hotlines, find_offers, hotlines_for, match_topics, shelters
from bot.content.search import distance_km, nearest_municipality

from .copies import TODAY


def offer(offer_id: str, **fields: Any) -> Offer:
    defaults: dict[str, Any] = {
        "id": offer_id,
        "name": offer_id,
        "organisation": "Verein",
        "description": "Beratung.",
        "topics": ["housing"],
        "municipalities": "all",
        "source": ["https://example.org"],
        "last_checked": TODAY,
    }
    return Offer.model_validate(defaults | fields)


def directory(real: Content, *offers: Offer) -> Content:
    return Content(
        topics=real.topics, municipalities=real.municipalities, offers=offers, hotlines=real.hotlines
    )


def ids(offers: list[Offer]) -> list[str]:
    return [item.id for item in offers]


def test_her_language_first_then_interpreters_then_the_rest(content: Content) -> None:
    german = offer("german", place="juelich")
    arabic = offer("arabic", place="linnich", languages=["de", "ar"])
    interpreted = offer("interpreted", place="heimbach", interpreters=True)
    small = directory(content, german, arabic, interpreted)

    assert ids(find_offers(small, "housing", None, "ar", None)) == ["arabic", "interpreted", "german"]
    assert ids(find_offers(small, "housing", None, "de", None)) == ["german", "arabic", "interpreted"]


def test_nearest_first_from_where_she_is(content: Content) -> None:
    small = directory(
        content,
        offer("in_dueren", place="dueren"),
        offer("in_linnich", place="linnich"),
        offer("in_juelich", address={"street": "Markt 1", "city": "Jülich", "municipality": "juelich"}),
    )
    at_aldenhoven = (50.90, 6.283)
    assert ids(find_offers(small, "housing", None, "de", at_aldenhoven)) == [
        "in_juelich",
        "in_linnich",
        "in_dueren",
    ]
    # Without a shared location, the centre of her municipality is the starting point.
    assert ids(find_offers(small, "housing", "kreuzau", "de", None)) == [
        "in_dueren",
        "in_juelich",
        "in_linnich",
    ]


def test_own_coordinates_beat_the_town_centre(content: Content) -> None:
    far_corner = {
        "street": "Feldweg 1",
        "city": "Düren",
        "municipality": "dueren",
        "latitude": 50.9,
        "longitude": 6.45,
    }
    small = directory(content, offer("centre", place="dueren"), offer("corner", address=far_corner))
    assert ids(find_offers(small, "housing", None, "de", (50.92, 6.36))) == ["corner", "centre"]


def test_only_offers_that_serve_her_municipality(content: Content) -> None:
    small = directory(
        content,
        offer("north_only", municipalities=["juelich", "linnich"]),
        offer("everywhere"),
        offer("neighbour", municipalities=[], region="Aachen"),
    )
    assert ids(find_offers(small, "housing", "heimbach", "de", None)) == ["everywhere"]
    assert ids(find_offers(small, "housing", "linnich", "de", None)) == ["north_only", "everywhere"]
    # Anywhere in the district: local offers, then the neighbouring region.
    assert ids(find_offers(small, "housing", "anywhere", "de", None)) == [
        "north_only",
        "everywhere",
        "neighbour",
    ]


def test_a_location_outside_the_district_filters_no_place(content: Content) -> None:
    small = directory(content, offer("north_only", municipalities=["juelich"]), offer("everywhere"))
    berlin = (52.52, 13.40)
    assert nearest_municipality(content, berlin) is None
    assert set(ids(find_offers(small, "housing", None, "de", berlin))) == {"north_only", "everywhere"}
    at_juelich = nearest_municipality(content, (50.92, 6.36))
    assert at_juelich is not None and at_juelich.id == "juelich"


def test_no_offer_for_the_topic_falls_back_to_general_counselling_only(content: Content) -> None:
    """A question about debts never gets a violence network first, however many languages it speaks."""
    small = directory(
        content,
        offer("housing_only"),
        offer("general", general=True, topics=["arrival"]),
        offer("multilingual", interpreters=True, topics=["violence"]),
        offer("general_far", general=True, municipalities=["heimbach"]),
    )
    found = ids(find_offers(small, "health", "juelich", "ar", None))
    assert found == ["general"]
    money = find_offers(content, "money", "dueren", "ar", None)
    assert money and all("money" in offer.topics or offer.general for offer in money)
    assert "violence" not in money[0].topics


def test_the_real_directory(content: Content) -> None:
    violence_in_juelich = find_offers(content, "violence", "juelich", "de", None)
    assert violence_in_juelich[0].id == "fbs_juelich"
    assert "frauenhaus_dueren" in ids(violence_in_juelich)
    assert find_offers(content, "violence", "juelich", "ar", None)[0].id == "goldrute"
    assert ids(find_offers(content, "discrimination", "titz", "de", None)) == [
        "ada_caritas_juelich",
        "ada_ev_gemeinde_dueren",
    ]
    assert ids(find_offers(content, "discrimination", "anywhere", "de", None))[-1] == "gbb_aachen"
    assert "ada_caritas_juelich" not in ids(find_offers(content, "discrimination", "heimbach", "de", None))


@settings(max_examples=200, deadline=None)
@given(
    topic=st.one_of(st.sampled_from(["violence", "health", "money", "housing", ""]), st.text(max_size=12)),
    place=st.one_of(
        st.none(), st.sampled_from(["anywhere", "nearby", "dueren", "titz", "heimbach", "koeln"])
    ),
    language=st.sampled_from(["de", "en", "ar", "fa", "uk", "ti", "xx"]),
    near=st.one_of(st.none(), st.tuples(st.floats(-90, 90), st.floats(-180, 180))),
)
def test_never_empty(content: Content, topic: str, place: str | None, language: str, near: Any) -> None:
    assert find_offers(content, topic, place, language, near)


def test_hotlines_and_shelters(content: Content) -> None:
    assert [hotline.id for hotline in hotlines_for(content, "violence")] == ["police", "hilfetelefon_gewalt"]
    assert [hotline.id for hotline in hotlines_for(content, "money")] == []
    assert {hotline.number for hotline in emergency_hotlines(content)} == {
        "110",
        "112",
        "116 016",
        "0800 40 40 020",
    }
    assert [shelter.id for shelter in shelters(content)] == ["frauenhaus_dueren"]


def test_distance() -> None:
    dueren, juelich = (50.800, 6.483), (50.922, 6.358)
    assert 15.0 < distance_km(dueren, juelich) < 17.5
    assert distance_km(dueren, dueren) == 0.0


def test_topics_from_her_own_words(content: Content) -> None:
    def topics(text: str, language: str) -> list[str]:
        return [topic.id for topic in match_topics(content, text, language)]

    assert topics("Mein Mann schlägt mich", "de") == ["violence"]
    assert topics("زوجي يضربني", "ar") == ["violence"]
    assert topics("У мене борги", "uk") == ["money"]
    assert topics("ev arıyorum", "tr") == ["housing"]
    assert topics("evet", "tr") == []  # short keywords only as whole words
    assert topics("I am PREGNANT", "de") == ["pregnancy"]  # other languages' keywords as a second try
    assert topics("", "de") == []
