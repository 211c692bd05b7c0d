"""The engine: a session and an input in, a turn out. No I/O, no clocks, no randomness.

It walks the steps of the current flow until it needs her answer (a `collect` step) or an
action's result (an `action` step), and says everything in her language through the catalog.
Bad input never moves her: she gets a kind word and the same question again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.engine.commands import Command, CommandSet
from bot.engine.flows import END, Choice, Flow, Step
from bot.engine.matching import Candidate, clean, match_choice, normalize
from bot.engine.model import Input, Session, Turn
from bot.engine.needs import (
    COUNSELLING_FLOW,
    NEED_PAYLOAD,
    NEEDS,
    TOPIC_STEP,
    is_alarm,
    likely_needs,
    sure_need,
    topic_of,
)
from bot.engine.speaking import EMERGENCY, LANGUAGE_PAYLOAD, Draft, Speaker
from bot.i18n.catalog import Catalog
from bot.i18n.detect import by_letters
from bot.i18n.languages import LANGUAGES, SOURCE, resolve
from bot.understanding.hearing import NOTHING, OTHER, SMALL_TALK, Hearing, Understanding

WELCOME = "welcome"
MAIN_MENU = "main_menu"
_MAX_STEPS = 100
_HEARD = "heard"  # a stack frame's mark: the numbers were shown because of what she typed
_THEN = "then"  # a stack frame's mark: after the numbers, go on after this step (her words are kept)


class Engine(Speaker):
    """Runs flows. Construct once with the loaded flows, commands, catalog and content menus."""

    def __init__(
        self,
        flows: Mapping[str, Flow],
        commands: CommandSet,
        catalog: Catalog,
        menus: Mapping[str, Sequence[Choice]],
        detect: Callable[[str], str | None] | None = None,
        understanding: Understanding | None = None,
    ) -> None:
        """`detect` guesses the language of free text (to suggest one, never to switch);
        `understanding` hears danger and her need in what she types (without it: buttons and keywords)."""
        self.detect = detect
        self.understanding = understanding
        self.flows = flows
        self.commands = commands
        self.catalog = catalog
        self.menus: dict[str, Sequence[Choice]] = {"languages": _language_choices(), **menus}
        self._candidate_cache: dict[tuple[str, str, str], list[Candidate]] = {}

    # -- entry points -------------------------------------------------------------------------

    def handle(self, session: Session, user_input: Input) -> Turn:
        draft = Draft(_copy(session), session.language or resolve(user_input.language_hint) or SOURCE)
        if user_input.kind == "start":
            self._start(draft, user_input.text)
        elif not draft.session.flow:
            self._fresh(draft, user_input)
        else:
            self._answer(draft, user_input)
        return draft.turn()

    def resume(self, session: Session, events: Sequence[Mapping[str, Any]]) -> Turn:
        """Continue after the action the last turn asked for, applying its events."""
        draft = Draft(_copy(session), session.language or SOURCE)
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

    def _start(self, draft: Draft, payload: str) -> None:
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

    def _fresh(self, draft: Draft, user_input: Input) -> None:
        """First contact: answered in the language she wrote in; danger brings the numbers at once."""
        text = clean(user_input.text) if user_input.kind == "text" else ""
        self._guess_language(draft, text)
        command = self._command(draft, user_input)
        if (command is not None and command.interrupt) or self._hear(text).danger:
            self._goto(draft, WELCOME, speak=False)
            interrupt = command if command is not None and command.interrupt else None
            self._interrupt(draft, interrupt or self.commands.by_id(EMERGENCY))
        else:
            self._goto(draft, WELCOME)
            if text:
                self._suggest_language(draft, text)

    def _guess_language(self, draft: Draft, text: str) -> None:
        """Before she chose a language, answer in the one she wrote in (she still chooses)."""
        if text and not draft.session.language:
            guessed = (self.detect(text) if self.detect else None) or by_letters(text)
            if guessed:
                draft.session.language = draft.language = guessed

    def _answer(self, draft: Draft, user_input: Input) -> None:
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
        if user_input.kind == "payload" and user_input.payload.startswith(NEED_PAYLOAD):
            self._need(draft, step, user_input.payload[len(NEED_PAYLOAD) :])
            return
        text = clean(user_input.text) if user_input.kind == "text" else ""
        if not text.startswith("/"):
            self._guess_language(draft, text)
        if text.startswith("/") and self.commands.by_command(text) is None:
            self._reask(draft, step, "unknown_command")
            return
        hearing = NOTHING if text.startswith("/") else self._hear(text)
        if hearing.danger and not step.free_text and not self._exact_choice(draft, step, text):
            self._alarm(draft)
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
            self._free_text(draft, step, text[: step.max_length] if step.max_length else text, hearing)
        else:
            self._typed(draft, step, text, hearing)

    def _command(self, draft: Draft, user_input: Input) -> Command | None:
        if user_input.kind == "payload":
            return self.commands.by_payload(user_input.payload)
        if user_input.kind != "text":
            return None
        text = clean(user_input.text)
        if text.startswith("/"):
            return self.commands.by_command(text)
        return self.commands.by_keyword(text)

    def _run_command(self, draft: Draft, command: Command) -> None:
        if command.interrupt:
            self._interrupt(draft, command)
        elif draft.session.slots.get("consent") != "yes" and command.flow != "choose_language":
            step = self._step(draft.session)
            if step is not None:
                self._reask(draft, step, "")
        else:
            self._leave_all(draft)
            self._goto(draft, command.flow)

    def _interrupt(self, draft: Draft, command: Command) -> None:
        draft.session.stack.append({"flow": draft.session.flow, "step": draft.session.step})
        self._goto(draft, command.flow, leave=False)

    def _language_payload(self, draft: Draft, step: Step, code: str) -> None:
        if code not in {language.code for language in LANGUAGES}:
            self._reask(draft, step, "stale")
        elif step.slot == "language":
            self._fill(draft, step, code)
        else:
            self._set_language(draft, code)
            self._ask(draft, step)

    def _location(self, draft: Draft, step: Step, user_input: Input) -> None:
        if not step.location or user_input.latitude is None or user_input.longitude is None:
            self._reask(draft, step, "no_location")
            return
        # Rounded before it is kept at all: 0.01° is about 1.1 km north-south and 0.7 km east-west in
        # Kreis Düren, enough to sort offers by distance, not enough to find her door.
        draft.session.slots["location"] = [round(user_input.latitude, 2), round(user_input.longitude, 2)]
        self._fill(draft, step, "nearby")

    def _payload(self, draft: Draft, step: Step, payload: str) -> None:
        prefix = f"{draft.session.flow}/{step.id}="
        value = payload[len(prefix) :] if payload.startswith(prefix) else None
        choice = next((choice for choice in self._choices(draft, step) if choice.value == value), None)
        if choice is None:
            self._reask(draft, step, "stale")
        else:
            self._choose(draft, step, choice)

    def _candidates(self, draft: Draft, step: Step) -> list[Candidate]:
        """Her choices in comparable form; cached per step and language, filtered by conditions."""
        key = (draft.session.flow, step.id, draft.language)
        cached = self._candidate_cache.get(key)
        if cached is None:
            listed = [*self.menus.get(step.choices_from, ()), *step.choices]
            cached = [
                Candidate.of(
                    choice.value,
                    (
                        self._localize(draft, choice.title, choice.context, notice=False).text,
                        choice.title,
                        self.catalog.text("en", choice.title, choice.context).text,
                    ),
                    [
                        word
                        for code in dict.fromkeys((draft.language, SOURCE, "en"))
                        for word in choice.keywords.get(code, ())
                    ],
                )
                for choice in listed
            ]
            self._candidate_cache[key] = cached
        allowed = {choice.value for choice in self._choices(draft, step)}
        return [candidate for candidate in cached if candidate.value in allowed]

    def _typed(self, draft: Draft, step: Step, text: str, hearing: Hearing) -> None:
        """The question's own options first, then her need from anywhere, then "Did you mean …?"."""
        choices = self._choices(draft, step)
        consented = draft.session.slots.get("consent") == "yes"
        need = sure_need(hearing)
        value = match_choice(text, self._candidates(draft, step), inside=not (need and consented))
        chosen = next((choice for choice in choices if choice.value == value), None)
        if chosen is not None:
            self._choose(draft, step, chosen)
        elif need and (consented or need in SMALL_TALK):
            self._need(draft, step, need)
        elif consented and hearing.intent != OTHER and likely_needs(hearing):
            self._did_you_mean(draft, likely_needs(hearing))
        else:
            self._reask(draft, step, "not_understood")
        if chosen is None:
            self._suggest_language(draft, text)

    def _exact_choice(self, draft: Draft, step: Step, text: str) -> bool:
        """She typed a button title exactly ("⚠️ Bedrohung oder Gewalt" in the report): her answer."""
        said = normalize(text)
        return bool(said) and any(said in candidate.titles for candidate in self._candidates(draft, step))

    def _hear(self, text: str) -> Hearing:
        return self.understanding.hear(text) if self.understanding is not None and text else NOTHING

    def _free_text(self, draft: Draft, step: Step, text: str, hearing: Hearing) -> None:
        """Her words are her account; if they speak of danger, the numbers come first, then she goes on."""
        if not hearing.danger:
            self._fill(draft, step, text)
            return
        draft.session.slots[step.slot] = text
        draft.session.stack.append({"flow": draft.session.flow, "step": step.id, _THEN: "follow"})
        self._goto(draft, EMERGENCY, leave=False)

    def _alarm(self, draft: Draft) -> None:
        """Danger heard: the emergency numbers at once, then violence counselling offered, then back."""
        draft.session.stack.append({"flow": draft.session.flow, "step": draft.session.step, _HEARD: "danger"})
        self._goto(draft, EMERGENCY, leave=False)

    def _need(self, draft: Draft, step: Step, intent: str) -> None:
        """Take her where her need is served, from any step."""
        if is_alarm(intent) and intent != "violence_at_home":
            self._alarm(draft)
        elif intent in SMALL_TALK:
            self._reask(draft, step, intent)
        elif draft.session.slots.get("consent") != "yes":
            self._reask(draft, step, "")
        elif topic := topic_of(intent):
            if topic not in {choice.value for choice in self.menus.get("topics", ())}:
                self._reask(draft, step, "stale")
                return
            self._leave_all(draft)
            draft.session.flow = COUNSELLING_FLOW
            draft.session.slots["topic"] = topic
            flow = self.flows[COUNSELLING_FLOW]
            self._follow(draft, flow.step(TOPIC_STEP))
        elif intent in NEEDS and NEEDS[intent].command:
            self._run_command(draft, self.commands.by_id(NEEDS[intent].command))
        elif intent in NEEDS:
            self._leave_all(draft)
            self._goto(draft, NEEDS[intent].flow)
        else:
            self._reask(draft, step, "stale")

    def _choose(self, draft: Draft, step: Step, choice: Choice) -> None:
        if choice.link:
            draft.session.slots[step.slot] = choice.value
            self._leave(draft)
            self._goto(draft, choice.link)
        else:
            self._fill(draft, step, choice.value)

    def _fill(self, draft: Draft, step: Step, value: Any) -> None:
        draft.session.slots[step.slot] = value
        if step.slot == "language":
            self._set_language(draft, str(value))
        self._follow(draft, step)

    # -- walking the flow ---------------------------------------------------------------------

    def _goto(self, draft: Draft, flow_id: str, *, speak: bool = True, leave: bool = True) -> None:
        if leave and draft.session.flow:
            self._leave(draft)
        flow = self.flows[flow_id]
        draft.session.flow = flow.id
        self._run(draft, flow.steps[0], speak=speak)

    def _follow(self, draft: Draft, step: Step) -> None:
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

    def _run(self, draft: Draft, step: Step, *, speak: bool = True) -> None:
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

    def _end(self, draft: Draft) -> None:
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
                if frame.get(_THEN) == "follow":
                    self._follow(draft, step)
                    return
                if frame.get(_HEARD) and draft.session.slots.get("consent") == "yes":
                    self._offer_violence_counselling(draft)
                self._ask(draft, step)
                return
        if draft.session.flow == WELCOME and draft.session.slots.get("entry"):
            self._goto(draft, str(draft.session.slots.pop("entry")), leave=False)
        else:
            self._goto(draft, MAIN_MENU, leave=False)

    def _leave(self, draft: Draft) -> None:
        """Forget what the flow collected (Rasa's reset_after_flow_ends), all of it for sensitive flows."""
        flow = self.flows.get(draft.session.flow)
        draft.session.slots.pop("location", None)  # a shared location lives only for the search that used it
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

    def _leave_all(self, draft: Draft) -> None:
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
