"""Sentences nobody put into the training data, typed through the whole host (store, engine, actions),
from the main menu and from the middle of the counselling flow. Measures the issue's aims:

acute danger ≥ 95 % shows the emergency numbers; violence at home ≥ 90 % reaches the numbers or violence
counselling; a named topic ≥ 80 % reaches that topic's place question; discrimination ≥ 80 % starts the
report; "delete my data" ≥ 90 % reaches the confirmation; small talk raises a false alarm ≤ 10 %.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from bot.cli.wiring import Wiring, build
from bot.config import Settings
from bot.engine.model import Input, Message, Session

HELDOUT = Path(__file__).resolve().parent / "heldout"
LANGUAGES = ("de", "en", "ar", "fa", "uk", "ru", "tr", "ku", "ti", "ps", "so", "fr")
AIMS = {"danger": 0.95, "violence": 0.90, "topic": 0.80, "report": 0.80, "delete": 0.90}
FALSE_ALARMS = 0.10


@pytest.fixture(scope="module")
def wiring(tmp_path_factory: pytest.TempPathFactory) -> Wiring:
    database = tmp_path_factory.mktemp("heldout") / "w.db"
    return build(Settings(database_url=f"sqlite:///{database}", _env_file=None))  # type: ignore[call-arg]


def send(wiring: Wiring, contact: str, user_input: Input) -> list[Message]:
    return asyncio.run(wiring.host.handle("web", contact, user_input))


def typed(wiring: Wiring, language: str, where: str, text: str, number: int) -> tuple[list[Message], Session]:
    contact = f"heldout-{language}-{where}-{number}"
    send(wiring, contact, Input(kind="start", text=language))
    send(wiring, contact, Input.of_payload("welcome/privacy=yes"))
    if where == "mid_flow":
        send(wiring, contact, Input.of_payload("main_menu/choose=counselling"))
        send(wiring, contact, Input.of_payload("find_counselling/ask_topic=money"))
    messages = send(wiring, contact, Input.of_text(text))
    stored = wiring.store.load("web", contact)
    assert stored is not None and stored.state is not None
    return messages, Session.from_json(stored.state)


def outcome(kind: str, expected: str, messages: list[Message], session: Session) -> bool:
    alarm = any(message.msgid == "emergency/intro" for message in messages)
    topic = session.flow == "find_counselling" and session.step == "ask_place"
    if kind == "danger":
        return alarm
    if kind == "violence":
        return alarm or (topic and session.slots.get("topic") == "violence")
    if kind == "topic":
        return topic and session.slots.get("topic") == expected
    if kind == "report":
        return session.flow == "report"
    if kind == "delete":
        return (session.flow, session.step) == ("delete_data", "confirm")
    return not alarm  # small talk: no false alarm


def cases(language: str) -> list[tuple[str, str, str]]:
    data = yaml.safe_load((HELDOUT / f"{language}.yml").read_text(encoding="utf-8"))
    found = [(kind, "", text) for kind in ("danger", "violence", "report", "delete") for text in data[kind]]
    found += [("topic", topic, text) for topic, texts in data["topics"].items() for text in texts]
    found += [("small_talk", "", text) for text in data["small_talk"]]
    return found


def test_every_language_has_a_heldout_set() -> None:
    for language in LANGUAGES:
        kinds = {kind for kind, _, _ in cases(language)}
        assert kinds == {"danger", "violence", "topic", "report", "delete", "small_talk"}, language


def test_aims_on_sentences_nobody_trained_on(wiring: Wiring) -> None:
    hits: dict[str, list[bool]] = defaultdict(list)
    by_language: dict[tuple[str, str], list[bool]] = defaultdict(list)
    missed = []
    for language in LANGUAGES:
        for number, (kind, expected, text) in enumerate(cases(language)):
            for where in ("menu", "mid_flow"):
                messages, session = typed(wiring, language, where, text, number)
                good = outcome(kind, expected, messages, session)
                hits[kind].append(good)
                by_language[(language, kind)].append(good)
                if not good:
                    missed.append(f"{language} {where} {kind}: {text} -> {session.flow}/{session.step}")
    rates = {kind: sum(results) / len(results) for kind, results in hits.items()}
    print("\nheld-out rates:", {kind: f"{rate:.0%}" for kind, rate in rates.items()})
    for language in LANGUAGES:
        row = {kind: sum(by_language[(language, kind)]) / len(by_language[(language, kind)]) for kind in hits}
        print(language, " ".join(f"{kind} {rate:.0%}" for kind, rate in row.items()))
    print("\n".join(missed))
    for kind, aim in AIMS.items():
        assert rates[kind] >= aim, f"{kind}: {rates[kind]:.0%} < {aim:.0%}"
    assert 1 - rates["small_talk"] <= FALSE_ALARMS
