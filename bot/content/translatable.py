"""The German texts in `content/` that a woman sees, with the catalog context each is looked up under.

The extraction tool writes these into the PO catalogs; the actions look them up with the same contexts.
Names of organisations, places and numbers are not translated.
"""

from __future__ import annotations

from bot.content.model import Content


def topic_context(topic_id: str) -> str:
    return f"topic/{topic_id}"


def offer_context(offer_id: str, field: str) -> str:
    return f"offer/{offer_id}/{field}"


def hotline_context(hotline_id: str, field: str) -> str:
    return f"hotline/{hotline_id}/{field}"


def source_texts(content: Content) -> list[tuple[str, str]]:
    """(context, German text) for every translatable text, in file order."""
    texts: list[tuple[str, str]] = [(topic_context(topic.id), topic.title) for topic in content.topics]
    for offer in content.offers:
        if offer.gloss:
            texts.append((offer_context(offer.id, "gloss"), offer.gloss))
        texts.append((offer_context(offer.id, "description"), offer.description))
        if offer.opening_hours:
            texts.append((offer_context(offer.id, "opening_hours"), offer.opening_hours))
    for hotline in content.hotlines:
        texts.append((hotline_context(hotline.id, "name"), hotline.name))
        texts.append((hotline_context(hotline.id, "description"), hotline.description))
        texts.append((hotline_context(hotline.id, "hours"), hotline.hours))
        if hotline.languages_note:
            texts.append((hotline_context(hotline.id, "languages_note"), hotline.languages_note))
    return texts
