"""An offer's card and a hotline's block, as the counselling search, the emergency screen and the
report's closing answer show them: one way to write a service, in her language and direction."""

from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError

from bot.actions.texts import TEXTS, context
from bot.content.model import Content, Hotline, Offer
from bot.content.translatable import hotline_context, offer_context
from bot.i18n.compose import Composition
from bot.i18n.languages import BY_CODE

SEPARATOR = " · "


class Cards:
    def __init__(self, content: Content) -> None:
        self.content = content

    def offer(self, offer: Offer, parts: Composition, *, brief: bool = False) -> str:
        """Name (with what it is, in her language), description, languages, marks, how to reach it."""
        say = _say(parts)
        title = parts.name(offer.name)
        if offer.gloss:
            title = f"{title} ({parts.text(offer.gloss, offer_context(offer.id, 'gloss'))})"
        lines = [title, parts.text(offer.description, offer_context(offer.id, "description"))]
        if not brief:
            spoken = [parts.name(_language_name(code, parts.language)) for code in offer.languages]
            if offer.interpreters:
                spoken.append(say("interpreters"))
            if spoken:
                lines.append("🗣 " + say("languages", languages=SEPARATOR.join(spoken)))
            marks = [say(key) for key in ("free", "anonymous", "women_only") if getattr(offer, key)]
            if marks:
                lines.append("✓ " + SEPARATOR.join(marks))
            if offer.region:
                lines.append("🧭 " + say("neighbour_region", region=offer.region))
        if offer.address:
            lines.append(f"📍 {parts.name(offer.address.line())}")
        if offer.opening_hours and not brief:
            hours = parts.text(offer.opening_hours, offer_context(offer.id, "opening_hours"))
            lines.append(f"🕒 {hours}")
        for mark, value in (("☎", offer.phone), ("✉", offer.email), ("🌐", offer.web)):
            if value:
                lines.append(f"{mark} {parts.name(value)}")
        if offer.verified and offer.last_checked is not None and not brief:
            lines.append("✔ " + say("checked_on", day=offer.last_checked.strftime("%d.%m.%Y")))
        return "\n".join(lines)

    def venue(self, offer: Offer) -> dict[str, Any] | None:
        """A map pin at the office: its own coordinates, else the centre of its town."""
        address = offer.address
        if address is None:
            return None
        if address.latitude is not None and address.longitude is not None:
            point = (address.latitude, address.longitude)
        elif (town := self.content.municipality(address.municipality)) is not None:
            point = town.point
        else:
            return None
        return {"latitude": point[0], "longitude": point[1], "title": offer.name, "address": address.line()}

    def hotlines(self, hotlines: list[Hotline], parts: Composition, *, email: bool = False) -> str:
        """The hotlines as blocks of number, name, description, hours and languages (and e-mail)."""
        say = _say(parts)
        blocks = []
        for hotline in hotlines:
            numbers = " / ".join(
                f"☎ {parts.name(number)}" for number in (hotline.number, *hotline.other_numbers)
            )
            name = parts.text(hotline.name, hotline_context(hotline.id, "name"))
            details = [parts.text(hotline.hours, hotline_context(hotline.id, "hours"))]
            details += [say(key) for key in ("free", "anonymous") if getattr(hotline, key)]
            lines = [
                f"{numbers} – {name}",
                parts.text(hotline.description, hotline_context(hotline.id, "description")),
                SEPARATOR.join(details),
            ]
            if hotline.languages_note:
                note = parts.text(hotline.languages_note, hotline_context(hotline.id, "languages_note"))
                lines.append("🗣 " + note)
            if email and hotline.email:
                lines.append(f"✉ {parts.name(hotline.email)}")
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)

    def hotline_line(self, hotline: Hotline, parts: Composition) -> str:
        """`☎ 110 – Polizei-Notruf`: a number and its name, for the short emergency screen."""
        name = parts.text(hotline.name, hotline_context(hotline.id, "name"))
        return f"☎ {parts.name(hotline.number)} – {name}"


def _say(parts: Composition) -> Any:
    def say(key: str, **fields: str) -> str:
        return parts.filled(TEXTS[key], context(key), **fields)

    return say


def _language_name(code: str, audience: str) -> str:
    """Our languages by their own name (she recognises her script); others in her language, else English."""
    if code in BY_CODE:
        return BY_CODE[code].native_name
    for locale in (audience, "en"):
        try:
            name = Locale.parse(locale).languages.get(code)
        except (UnknownLocaleError, ValueError):
            continue
        if name:
            return str(name)
    return code
