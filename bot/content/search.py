"""Finding the offers that fit her: topic, place, language, distance; never an empty answer.

Pure functions over `Content`, so the engine, the actions and the tests can all use them without I/O.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable

from bot.content.model import ALL, Content, Hotline, Municipality, Offer, Topic

ANYWHERE = "anywhere"
NEARBY = "nearby"
EARTH_RADIUS_KM = 6371.0
# A shared location farther than this from every town centre is not "in" the district.
NEAREST_LIMIT_KM = 25.0

SHORT_KEYWORD = 3

Point = tuple[float, float]


def distance_km(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def nearest_municipality(content: Content, point: Point) -> Municipality | None:
    """The municipality with the closest centre, if `point` is near enough to count as in the district."""
    ranked = sorted(content.municipalities, key=lambda place: distance_km(point, place.point))
    if ranked and distance_km(point, ranked[0].point) <= NEAREST_LIMIT_KM:
        return ranked[0]
    return None


def find_offers(
    content: Content, topic: str, municipality: str | None, language: str, near: Point | None
) -> list[Offer]:
    """Offers for `topic` that serve `municipality` (None or "anywhere": the whole district).

    Offers in her language come first, then those with interpreters, then the rest; within each group the
    nearest first (from `near`, else from the centre of her municipality). Offers of a neighbouring region
    come after local ones. When nothing fits the topic, general counselling (migration counselling, the
    welcome office) that serves her place is returned instead, never a service for another need (a
    violence network for a question about debts): the list is never empty while there are offers at all.
    """
    place = None if municipality in (None, ANYWHERE, NEARBY) else municipality
    if place is None and near is not None:
        nearest = nearest_municipality(content, near)
        place = nearest.id if nearest else None
    if near is None and place is not None and (centre := content.municipality(place)) is not None:
        near = centre.point

    local = [offer for offer in content.offers if offer.municipalities == ALL or offer.municipalities]
    matching = [offer for offer in content.offers if topic in offer.topics and offer.serves(place)]
    for candidates in (
        matching,
        [offer for offer in local if offer.serves(place) and offer.general],
        [offer for offer in local if offer.general],
        list(content.offers),
    ):
        if candidates:
            return _ranked(content, candidates, language, near)
    return []


def matches_topic(offer: Offer, topic: str) -> bool:
    return topic in offer.topics


def hotlines_for(content: Content, topic: str) -> list[Hotline]:
    """The national numbers that serve `topic`, in file order (emergency numbers are listed first there)."""
    return [hotline for hotline in content.hotlines if topic in hotline.topics]


def emergency_hotlines(content: Content) -> list[Hotline]:
    return [hotline for hotline in content.hotlines if hotline.emergency]


def shelters(content: Content) -> list[Offer]:
    return [offer for offer in content.offers if offer.shelter]


def match_topics(content: Content, text: str, language: str) -> list[Topic]:
    """Topics whose keywords occur in what she wrote: her language's keywords first, then any language's."""
    wanted = _normalized(text)
    if not wanted:
        return []

    def hits(topic: Topic, languages: Iterable[str]) -> int:
        words = (word for code in languages for word in topic.keywords.get(code, []))
        return sum(_occurs(_normalized(word), wanted) for word in words)

    for languages in ([language], sorted({code for topic in content.topics for code in topic.keywords})):
        scored = [(hits(topic, languages), index, topic) for index, topic in enumerate(content.topics)]
        found = sorted((item for item in scored if item[0]), key=lambda item: (-item[0], item[1]))
        if found:
            return [topic for _, _, topic in found]
    return []


def _ranked(content: Content, offers: list[Offer], language: str, near: Point | None) -> list[Offer]:
    def key(item: tuple[int, Offer]) -> tuple[int, int, float, int]:
        index, offer = item
        distance = _distance(content, offer, near) if near is not None else 0.0
        return (_language_rank(offer, language), 0 if offer.region is None else 1, distance, index)

    return [offer for _, offer in sorted(enumerate(offers), key=key)]


def _language_rank(offer: Offer, language: str) -> int:
    if language in offer.languages:
        return 0
    return 1 if offer.interpreters else 2


def _distance(content: Content, offer: Offer, near: Point) -> float:
    """From `near` to the office (own coordinates, else its town centre), else to the nearest served town."""
    address = offer.address
    if address is not None and address.latitude is not None and address.longitude is not None:
        return distance_km(near, (address.latitude, address.longitude))
    if offer.location is not None and (office := content.municipality(offer.location)) is not None:
        return distance_km(near, office.point)
    if offer.municipalities != ALL:
        served = [place for place_id in offer.municipalities if (place := content.municipality(place_id))]
        if served:
            return min(distance_km(near, place.point) for place in served)
    return math.inf


def _occurs(keyword: str, text: str) -> bool:
    """Long keywords anywhere (inflected forms, compounds); short ones (`ev`, `kar`) only as whole words."""
    if len(keyword) > SHORT_KEYWORD:
        return keyword in text
    return re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", text) is not None


def _normalized(text: str) -> str:
    """Case- and accent-insensitive; Arabic-script diacritics and tatweel dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'"))
    kept = (char for char in decomposed if not unicodedata.combining(char) and char != "\u0640")
    return " ".join("".join(kept).split())
