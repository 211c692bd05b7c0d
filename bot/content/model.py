"""The counselling directory as typed data: topics, places, offers, hotlines.

Every fact about an organisation carries its `source`, the date it was `last_checked` and whether staff have
`verified` it, because phone numbers and addresses go stale and a wrong number can cost a woman her chance.
A boolean mark (`free`, `anonymous`, ...) is only true where a source says so; false means "not stated".
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
TopicId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=20)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
PhoneNumber = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 /-]*[0-9]$")]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Sources = Annotated[list[Url], Field(min_length=1)]

ALL = "all"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Topic(_Strict):
    """A counselling need she can pick from a menu or name in her own words."""

    id: TopicId
    emoji: Text
    title: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    keywords: dict[LanguageCode, list[Text]]


class Municipality(_Strict):
    """One of the 15 towns and municipalities of Kreis Düren, with the centre used for distances."""

    id: Id
    name: Text
    kind: Literal["Stadt", "Gemeinde"]
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    source: Sources

    @property
    def point(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)


class Address(_Strict):
    """A street address as the sources give it; coordinates only where a source has them."""

    building: Text | None = None
    street: Text
    postcode: Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")] | None = None
    city: Text
    municipality: Id
    latitude: float | None = None
    longitude: float | None = None

    def line(self) -> str:
        """One line for a message or a map pin: `Gutenbergstr. 20, 52349 Düren`."""
        town = f"{self.postcode} {self.city}" if self.postcode else self.city
        parts = [self.building, self.street, town]
        return ", ".join(part for part in parts if part)


class Offer(_Strict):
    """A free counselling service, as one organisation offers it.

    `municipalities` is `all` or the ids it serves; an offer of a neighbouring region serves none
    and names its `region`. `place` is the town of the office when the street is not known.
    """

    id: Id
    name: Text
    gloss: Text | None = None  # what it is in a few German words, translated ("Frauenberatungsstelle")
    organisation: Text
    description: Text
    topics: Annotated[list[TopicId], Field(min_length=1)]
    general: bool = False
    municipalities: Literal["all"] | list[Id]
    region: Text | None = None
    place: Id | None = None
    address: Address | None = None
    phone: PhoneNumber | None = None
    web: Url | None = None
    email: Email | None = None
    opening_hours: Text | None = None
    languages: list[LanguageCode] = Field(default_factory=lambda: ["de"])
    interpreters: bool = False
    free: bool = False
    anonymous: bool = False
    women_only: bool = False
    shelter: bool = False
    source: Sources
    last_checked: date
    verified: bool = False

    @model_validator(mode="after")
    def _served_somewhere(self) -> Offer:
        if self.municipalities != ALL and not self.municipalities and not self.region:
            raise ValueError("an offer that serves no municipality must name its neighbouring `region`")
        return self

    def serves(self, municipality: str | None) -> bool:
        """True when she can use it from `municipality` (None: anywhere in the district)."""
        if self.municipalities == ALL:
            return True
        return municipality is None or municipality in self.municipalities

    @property
    def location(self) -> str | None:
        """The municipality id of the office, if known."""
        return self.address.municipality if self.address else self.place


class Hotline(_Strict):
    """A national telephone number: the safety net under every answer."""

    id: Id
    name: Text
    number: PhoneNumber
    other_numbers: list[PhoneNumber] = Field(default_factory=list)
    description: Text
    hours: Text
    languages: list[LanguageCode] = Field(default_factory=list)
    languages_note: Text | None = None
    web: Url | None = None
    email: Email | None = None
    free: bool = False
    anonymous: bool = False
    emergency: bool = False
    topics: list[TopicId] = Field(default_factory=list)
    source: Sources
    last_checked: date
    verified: bool = False


class Content(BaseModel):
    """Everything in `content/`, with lookups by id."""

    model_config = ConfigDict(frozen=True)

    topics: tuple[Topic, ...]
    municipalities: tuple[Municipality, ...]
    offers: tuple[Offer, ...]
    hotlines: tuple[Hotline, ...]

    _topics: dict[str, Topic] = PrivateAttr(default_factory=dict)
    _municipalities: dict[str, Municipality] = PrivateAttr(default_factory=dict)
    _offers: dict[str, Offer] = PrivateAttr(default_factory=dict)
    _hotlines: dict[str, Hotline] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        self._topics = {topic.id: topic for topic in self.topics}
        self._municipalities = {place.id: place for place in self.municipalities}
        self._offers = {offer.id: offer for offer in self.offers}
        self._hotlines = {hotline.id: hotline for hotline in self.hotlines}

    def topic(self, topic_id: str) -> Topic | None:
        return self._topics.get(topic_id)

    def municipality(self, municipality_id: str) -> Municipality | None:
        return self._municipalities.get(municipality_id)

    def offer(self, offer_id: str) -> Offer | None:
        return self._offers.get(offer_id)

    def hotline(self, hotline_id: str) -> Hotline | None:
        return self._hotlines.get(hotline_id)
