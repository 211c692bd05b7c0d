"""The engine: a session and an input in, a turn out. No I/O, no clocks, no randomness.

It walks the steps of the current flow until it needs her answer (a `collect` step) or an
action's result (an `action` step), and says everything in her language through the catalog.
Bad input never moves her: she gets a kind word and the same question again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.engine.commands import Command, CommandSet
from bot.engine.flows import END, Choice, Flow, Step
from bot.engine.matching import Candidate, clean, match_choice, script_of
from bot.engine.model import Button, Input, Message, Session, Turn
from bot.i18n.catalog import Catalog, Localized
from bot.i18n.languages import LANGUAGES, SOURCE, direction, resolve

WELCOME = "welcome"
MAIN_MENU = "main_menu"
LANGUAGE_PAYLOAD = "lang:"
_MAX_STEPS = 100
_SCRIPT_LANGUAGES = {"arabic": ("ar", "fa", "ps"), "cyrillic": ("uk", "ru"), "ethiopic": ("ti",)}


@dataclass
class _Draft:
    """A turn being built: the session (a private copy) and the messages so far."""

    session: Session
    language: str
    messages: list[Message] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    action: str = ""
    forget: bool = False

    def turn(self) -> Turn:
        return Turn(tuple(self.messages), self.session, self.action, self.forget, tuple(self.events))


class Engine:
    """Runs flows. Construct once with the loaded flows, commands, catalog and content menus."""

    def __init__(
        self,
        flows: Mapping[str, Flow],
        commands: CommandSet,
        catalog: Catalog,
        menus: Mapping[str, Sequence[Choice]],
        detect: Callable[[str], str | None] | None = None,
    ) -> None:
        """`detect` guesses the language of free text (to suggest one, never to switch)."""
        self.detect = detect
        self.flows = flows
        self.commands = commands
        self.catalog = catalog
        self.menus: dict[str, Sequence[Choice]] = {"languages": _language_choices(), **menus}
        self._candidate_cache: dict[tuple[str, str, str], list[Candidate]] = {}

    # -- entry points -------------------------------------------------------------------------

    def handle(self, session: Session, user_input: Input) -> Turn:
        draft = _Draft(_copy(session), session.language or resolve(user_input.language_hint) or SOURCE)
        if user_input.kind == "start":
            self._start(draft, user_input.text)
        elif not draft.session.flow:
            self._fresh(draft, user_input)
        else:
            self._answer(draft, user_input)
        return draft.turn()

    def resume(self, session: Session, events: Sequence[Mapping[str, Any]]) -> Turn:
        """Continue after the action the last turn asked for, applying its events."""
        draft = _Draft(_copy(session), session.language or SOURCE)
        for event in events:
            if event.get("event") == "slot":
                draft.session.slots[str(event["name"])] = event.get("value")
            elif event.get("event") == "restart":
                draft.forget = True
        step = self._step(draft.session)
        if step is None:
            self._goto(draft, MAIN_MENU)
        else:
            self._follow(draft, step)
        if draft.forget:
            draft.session = Session()
        return draft.turn()

    # -- input handling -----------------------------------------------------------------------

    def _start(self, draft: _Draft, payload: str) -> None:
        link = self.commands.parse_deep_link(payload)
        first_contact = not draft.session.language and not draft.session.slots
        if link.source and first_contact:  # a flyer counts the women it brought, not their restarts
            draft.events.append({"event": "source", "source": link.source})
        if link.language:
            self._set_language(draft, link.language)
        self._leave_all(draft)
        if link.flow:
            draft.session.slots["entry"] = link.flow
        if draft.session.slots.get("consent") == "yes":
            self._goto(draft, str(draft.session.slots.pop("entry", "") or MAIN_MENU))
        else:
            self._goto(draft, WELCOME)

    def _fresh(self, draft: _Draft, user_input: Input) -> None:
        command = self._command(draft, user_input)
        if command is not None and command.interrupt:
            self._goto(draft, WELCOME, speak=False)
            self._interrupt(draft, command)
        else:
            self._goto(draft, WELCOME)
            if user_input.kind == "text":
                self._suggest_language(draft, clean(user_input.text))

    def _answer(self, draft: _Draft, user_input: Input) -> None:
        step = self._step(draft.session)
        if step is None or step.kind != "collect":
            self._goto(draft, MAIN_MENU)
            return
        if user_input.kind == "unsupported":
            self._reask(draft, step, "unsupported")
            return
        if user_input.kind == "payload" and user_input.payload.startswith(LANGUAGE_PAYLOAD):
            self._language_payload(draft, step, user_input.payload[len(LANGUAGE_PAYLOAD) :])
            return
        text = clean(user_input.text) if user_input.kind == "text" else ""
        if text.startswith("/") and self.commands.by_command(text) is None:
            self._reask(draft, step, "unknown_command")
            return
        command = self._command(draft, user_input)
        if command is not None:
            self._run_command(draft, command)
            return
        if user_input.kind == "location":
            self._location(draft, step, user_input)
        elif user_input.kind == "payload":
            self._payload(draft, step, user_input.payload)
        elif not text:
            self._reask(draft, step, "empty")
        elif step.free_text:
            self._fill(draft, step, text[: step.max_length] if step.max_length else text)
        else:
            self._typed(draft, step, text)

    def _command(self, draft: _Draft, user_input: Input) -> Command | None:
        if user_input.kind == "payload":
            return self.commands.by_payload(user_input.payload)
        if user_input.kind != "text":
            return None
        text = clean(user_input.text)
        if text.startswith("/"):
            return self.commands.by_command(text)
        return self.commands.by_keyword(text)

    def _run_command(self, draft: _Draft, command: Command) -> None:
        if command.interrupt:
            self._interrupt(draft, command)
        elif draft.session.slots.get("consent") != "yes" and command.flow != "choose_language":
            step = self._step(draft.session)
            if step is not None:
                self._reask(draft, step, "")
        else:
            self._leave_all(draft)
            self._goto(draft, command.flow)

    def _interrupt(self, draft: _Draft, command: Command) -> None:
        draft.session.stack.append({"flow": draft.session.flow, "step": draft.session.step})
        self._goto(draft, command.flow, leave=False)

    def _language_payload(self, draft: _Draft, step: Step, code: str) -> None:
        if code not in {language.code for language in LANGUAGES}:
            self._reask(draft, step, "stale")
        elif step.slot == "language":
            self._fill(draft, step, code)
        else:
            self._set_language(draft, code)
            self._ask(draft, step)

    def _location(self, draft: _Draft, step: Step, user_input: Input) -> None:
        if not step.location or user_input.latitude is None or user_input.longitude is None:
            self._reask(draft, step, "no_location")
            return
        draft.session.slots["location"] = [user_input.latitude, user_input.longitude]
        self._fill(draft, step, "nearby")

    def _payload(self, draft: _Draft, step: Step, payload: str) -> None:
        prefix = f"{draft.session.flow}/{step.id}="
        value = payload[len(prefix) :] if payload.startswith(prefix) else None
        choice = next((choice for choice in self._choices(draft, step) if choice.value == value), None)
        if choice is None:
            self._reask(draft, step, "stale")
        else:
            self._choose(draft, step, choice)

    def _candidates(self, draft: _Draft, step: Step) -> list[Candidate]:
        """Her choices in comparable form; cached per step and language, filtered by conditions."""
        key = (draft.session.flow, step.id, draft.language)
        cached = self._candidate_cache.get(key)
        if cached is None:
            listed = [*self.menus.get(step.choices_from, ()), *step.choices]
            cached = [
                Candidate.of(
                    choice.value,
                    (self._localize(draft, choice.title, choice.context, notice=False).text, choice.title),
                    [word for words in choice.keywords.values() for word in words],
                )
                for choice in listed
            ]
            self._candidate_cache[key] = cached
        allowed = {choice.value for choice in self._choices(draft, step)}
        return [candidate for candidate in cached if candidate.value in allowed]

    def _typed(self, draft: _Draft, step: Step, text: str) -> None:
        choices = self._choices(draft, step)
        value = match_choice(text, self._candidates(draft, step))
        chosen = next((choice for choice in choices if choice.value == value), None)
        if chosen is not None:
            self._choose(draft, step, chosen)
            return
        self._reask(draft, step, "not_understood")
        self._suggest_language(draft, text)

    def _choose(self, draft: _Draft, step: Step, choice: Choice) -> None:
        if choice.link:
            draft.session.slots[step.slot] = choice.value
            self._leave(draft)
            self._goto(draft, choice.link)
        else:
            self._fill(draft, step, choice.value)

    def _fill(self, draft: _Draft, step: Step, value: Any) -> None:
        draft.session.slots[step.slot] = value
        if step.slot == "language":
            self._set_language(draft, str(value))
        self._follow(draft, step)

    # -- walking the flow ---------------------------------------------------------------------

    def _goto(self, draft: _Draft, flow_id: str, *, speak: bool = True, leave: bool = True) -> None:
        if leave and draft.session.flow:
            self._leave(draft)
        flow = self.flows[flow_id]
        draft.session.flow = flow.id
        self._run(draft, flow.steps[0], speak=speak)

    def _follow(self, draft: _Draft, step: Step) -> None:
        """Go on after `step` by its `next` rules, or to the step after it."""
        flow = self.flows[draft.session.flow]
        target = ""
        for branch in step.next:
            if branch.condition is None or branch.condition.holds(draft.session.slots):
                target = branch.target
                break
        if not target:
            position = flow.index(step.id) + 1
            target = flow.steps[position].id if position < len(flow.steps) else END
        if target == END:
            self._end(draft)
        else:
            self._run(draft, flow.step(target))

    def _run(self, draft: _Draft, step: Step, *, speak: bool = True) -> None:
        for _ in range(_MAX_STEPS):
            draft.session.step = step.id
            if step.kind == "collect":
                if step.skip_if_filled and draft.session.slots.get(step.slot) not in (None, ""):
                    self._follow(draft, step)
                elif speak:
                    self._ask(draft, step)
                return
            if step.kind == "action":
                draft.action = step.action
                return
            if step.kind == "link":
                self._goto(draft, step.link)
                return
            if step.kind == "say":
                message = self._message(draft, step.text, f"{draft.session.flow}/{step.id}")
                draft.messages.append(dataclasses.replace(message, effect=step.effect))
            elif step.kind == "set_slots":
                draft.session.slots.update(step.set_slots)
            self._follow(draft, step)
            return
        raise RuntimeError(f"flow {draft.session.flow} does not stop asking")

    def _end(self, draft: _Draft) -> None:
        self._leave(draft)
        if draft.forget:
            return
        if draft.session.stack:
            frame = draft.session.stack.pop()
            flow = self.flows.get(frame["flow"])
            if flow is not None:
                draft.session.flow = flow.id
                step = flow.step(frame["step"])
                draft.session.step = step.id
                self._ask(draft, step)
                return
        if draft.session.flow == WELCOME and draft.session.slots.get("entry"):
            self._goto(draft, str(draft.session.slots.pop("entry")), leave=False)
        else:
            self._goto(draft, MAIN_MENU, leave=False)

    def _leave(self, draft: _Draft) -> None:
        """Forget what the flow collected (Rasa's reset_after_flow_ends), all of it for sensitive flows."""
        flow = self.flows.get(draft.session.flow)
        if flow is None:
            return
        for step in flow.steps:
            if step.kind == "collect" and not step.keep_slot:
                draft.session.slots.pop(step.slot, None)
            if flow.sensitive and step.kind == "set_slots":
                for slot in step.set_slots:
                    draft.session.slots.pop(slot, None)
        if flow.sensitive:
            draft.events.append({"event": "flow_state_erased", "flow": flow.id})

    def _leave_all(self, draft: _Draft) -> None:
        while draft.session.stack:
            self._leave(draft)
            frame = draft.session.stack.pop()
            draft.session.flow = frame["flow"]
        self._leave(draft)

    def _step(self, session: Session) -> Step | None:
        flow = self.flows.get(session.flow)
        if flow is None:
            return None
        try:
            return flow.step(session.step)
        except KeyError:
            return None

    # -- speaking -----------------------------------------------------------------------------

    def _set_language(self, draft: _Draft, code: str) -> None:
        draft.session.language = code
        draft.session.slots["language"] = code
        draft.language = code

    def _ask(self, draft: _Draft, step: Step) -> None:
        buttons = [
            Button(self._title(draft, choice), choice.payload(draft.session.flow, step.id))
            for choice in self._choices(draft, step)
        ]
        if step.menu_buttons:
            for command in self.commands.commands:
                if command.button and command.flow != draft.session.flow:
                    title = self._localize(draft, command.button, f"commands/{command.id}")
                    buttons.append(Button(title.text, command.payload))
        context = f"{draft.session.flow}/{step.id}"
        draft.messages.append(self._message(draft, step.text, context, tuple(buttons)))

    def _reask(self, draft: _Draft, step: Step, reason: str) -> None:
        if reason:
            draft.messages.append(self._engine_text(draft, reason))
        self._ask(draft, step)

    def _suggest_language(self, draft: _Draft, text: str) -> None:
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

    def _choices(self, draft: _Draft, step: Step) -> list[Choice]:
        listed = [*self.menus.get(step.choices_from, ()), *step.choices]
        return [
            choice
            for choice in listed
            if choice.condition is None or choice.condition.holds(draft.session.slots)
        ]

    def _title(self, draft: _Draft, choice: Choice) -> str:
        if not choice.translate:
            return choice.title
        title = self._localize(draft, choice.title, choice.context).text
        return f"{choice.emoji} {title}" if choice.emoji else title

    def _engine_text(self, draft: _Draft, key: str) -> Message:
        return self._message(draft, self.commands.texts.get(key, key), f"engine/{key}")

    def _localize(self, draft: _Draft, german: str, context: str, *, notice: bool = True) -> Localized:
        localized = self.catalog.text(draft.language, german, context)
        if not notice:
            return localized
        key = {"draft": "notice_draft", "missing": "notice_missing"}.get(localized.status)
        if key and key not in draft.session.notices and key in self.commands.texts:
            draft.session.notices.append(key)
            draft.messages.append(self._message(draft, self.commands.texts[key], f"engine/{key}"))
        return localized

    def _message(self, draft: _Draft, german: str, context: str, buttons: tuple[Button, ...] = ()) -> Message:
        localized = self._localize(draft, german, context)
        language = SOURCE if localized.status in ("missing", "source") else draft.language
        return Message(
            localized.text, buttons, direction(language), context, localized.status, language=language
        )


def _language_choices() -> list[Choice]:
    return [Choice(language.code, language.native_name, translate=False) for language in LANGUAGES]


def _copy(session: Session) -> Session:
    """A private copy to work on; slot values are replaced, never changed in place, so one level is enough."""
    return Session(
        session.language,
        session.flow,
        session.step,
        dict(session.slots),
        [dict(frame) for frame in session.stack],
        list(session.notices),
    )
