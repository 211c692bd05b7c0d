"""How the engine speaks: her language, the catalog, buttons, and the short answers of the hearing order.

A base of the engine, kept apart so that walking the flows and speaking stay one concept each.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.engine.commands import CommandSet
from bot.engine.flows import Choice, Step
from bot.engine.matching import script_of
from bot.engine.model import Button, Message, Session, Turn
from bot.engine.needs import NEED_PAYLOAD, NEEDS, topic_of
from bot.i18n.catalog import Catalog, Localized
from bot.i18n.languages import LANGUAGES, SOURCE, direction

LANGUAGE_PAYLOAD = "lang:"
EMERGENCY = "emergency"
_SCRIPT_LANGUAGES = {"arabic": ("ar", "fa", "ps"), "cyrillic": ("uk", "ru"), "ethiopic": ("ti",)}


@dataclass
class Draft:
    """A turn being built: the session (a private copy) and the messages so far."""

    session: Session
    language: str
    messages: list[Message] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    action: str = ""
    forget: bool = False

    def turn(self) -> Turn:
        return Turn(tuple(self.messages), self.session, self.action, self.forget, tuple(self.events))


class Speaker:
    """Says things in her language; the engine sets these attributes."""

    catalog: Catalog
    commands: CommandSet
    menus: dict[str, Sequence[Choice]]
    detect: Callable[[str], str | None] | None

    def _set_language(self, draft: Draft, code: str) -> None:
        draft.session.language = code
        draft.session.slots["language"] = code
        draft.language = code

    def _ask(self, draft: Draft, step: Step) -> None:
        buttons = [
            Button(self._title(draft, choice), choice.payload(draft.session.flow, step.id))
            for choice in self._choices(draft, step)
        ]
        if step.menu_buttons or step.emergency_button:
            for command in self.commands.commands:
                if step.emergency_button and command.id != EMERGENCY:
                    continue
                if command.button and command.flow != draft.session.flow:
                    title = self._localize(draft, command.button, f"commands/{command.id}")
                    buttons.append(Button(title.text, command.payload))
        context = f"{draft.session.flow}/{step.id}"
        draft.messages.append(self._message(draft, step.text, context, tuple(buttons)))

    def _reask(self, draft: Draft, step: Step, reason: str) -> None:
        if reason:
            draft.messages.append(self._engine_text(draft, reason))
        self._ask(draft, step)

    def _suggest_language(self, draft: Draft, text: str) -> None:
        """Her letters suggest another language: offer it, never switch silently."""
        guessed = self.detect(text) if self.detect else None
        codes = (guessed,) if guessed else _SCRIPT_LANGUAGES.get(script_of(text), ())
        if not codes or draft.language in codes:
            return
        buttons = tuple(
            Button(language.native_name, LANGUAGE_PAYLOAD + language.code)
            for language in LANGUAGES
            if language.code in codes
        )
        message = self._engine_text(draft, "suggest_language")
        draft.messages.append(dataclasses.replace(message, buttons=buttons))

    def _choices(self, draft: Draft, step: Step) -> list[Choice]:
        listed = [*self.menus.get(step.choices_from, ()), *step.choices]
        return [
            choice
            for choice in listed
            if choice.condition is None or choice.condition.holds(draft.session.slots)
        ]

    def _title(self, draft: Draft, choice: Choice) -> str:
        if not choice.translate:
            return choice.title
        title = self._localize(draft, choice.title, choice.context).text
        return f"{choice.emoji} {title}" if choice.emoji else title

    def _engine_text(self, draft: Draft, key: str) -> Message:
        return self._message(draft, self.commands.texts.get(key, key), f"engine/{key}")

    def _localize(self, draft: Draft, german: str, context: str, *, notice: bool = True) -> Localized:
        localized = self.catalog.text(draft.language, german, context)
        if not notice:
            return localized
        key = {"draft": "notice_draft", "missing": "notice_missing"}.get(localized.status)
        if key and key not in draft.session.notices and key in self.commands.texts:
            draft.session.notices.append(key)
            draft.messages.append(self._message(draft, self.commands.texts[key], f"engine/{key}"))
        return localized

    def _message(self, draft: Draft, german: str, context: str, buttons: tuple[Button, ...] = ()) -> Message:
        localized = self._localize(draft, german, context)
        language = SOURCE if localized.status in ("missing", "source") else draft.language
        return Message(
            localized.text, buttons, direction(language), context, localized.status, language=language
        )

    def _offer_violence_counselling(self, draft: Draft) -> None:
        topic = next((choice for choice in self.menus.get("topics", ()) if choice.value == "violence"), None)
        if topic is None:
            return
        button = Button(self._title(draft, topic), NEED_PAYLOAD + "topic_violence")
        draft.messages.append(
            self._message(draft, self.commands.texts["offer_violence"], "engine/offer_violence", (button,))
        )

    def _did_you_mean(self, draft: Draft, intents: Sequence[str]) -> None:
        """Not sure: her two or three likeliest needs as buttons, and 🆘 (Rasa's two-stage fallback)."""
        topics = {choice.value: choice for choice in self.menus.get("topics", ())}
        buttons = []
        for intent in intents:
            need = NEEDS.get(intent)
            topic = topics.get(topic_of(intent))
            if topic is not None:
                buttons.append(Button(self._title(draft, topic), NEED_PAYLOAD + intent))
            elif need is not None and need.title:
                buttons.append(
                    Button(self._localize(draft, need.title, need.context).text, NEED_PAYLOAD + intent)
                )
        emergency = self.commands.by_id(EMERGENCY)
        buttons.append(
            Button(
                self._localize(draft, emergency.button, f"commands/{emergency.id}").text, emergency.payload
            )
        )
        draft.messages.append(
            self._message(draft, self.commands.texts["did_you_mean"], "engine/did_you_mean", tuple(buttons))
        )
