"""Golden conversation transcripts, replayed through the whole host in every shipped language.

Each `*.yml` here is a script: what she sends and which messages (by catalog id) must come back.
Beside the script, `golden/<name>.<lang>.txt` holds the full rendered conversation; a change in
any text shows up as a diff. Regenerate after an intended change with
`WEGWEISER_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/transcripts`.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli.wiring import Wiring, build
from bot.config import Settings
from bot.engine.model import Input, Message

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
SCRIPTS = sorted(HERE.glob("*.yml"))
LANGUAGES = ("de", "en", "ar", "fa", "uk", "ru", "tr", "ku", "ti", "ps", "so", "fr")
RTL = {"ar", "fa", "ps"}
NOTICES = {"engine/notice_draft", "engine/notice_missing"}


def shipped(wiring: Wiring) -> list[str]:
    """German plus every language that has a catalog."""
    return ["de", *[code for code in LANGUAGES if code in wiring.catalog.languages()]]


@pytest.fixture(scope="module")
def wiring(tmp_path_factory: pytest.TempPathFactory) -> Wiring:
    database = tmp_path_factory.mktemp("transcripts") / "w.db"
    return build(Settings(database_url=f"sqlite:///{database}", _env_file=None))  # type: ignore[call-arg]


def to_input(send: dict[str, Any], language: str) -> Input:
    if "start" in send:
        return Input(kind="start", text=str(send["start"]).format(lang=language))
    if "payload" in send:
        return Input.of_payload(str(send["payload"]).format(lang=language))
    if "location" in send:
        latitude, longitude = send["location"]
        return Input(kind="location", latitude=latitude, longitude=longitude)
    if "unsupported" in send:
        return Input(kind="unsupported", text=str(send["unsupported"]))
    if "long_text" in send:
        return Input.of_text("🙂 " * (int(send["long_text"]) // 2))
    text = send["text"]
    return Input.of_text(str(text[language] if isinstance(text, dict) else text))


def matches(expected: Sequence[str], msgids: Sequence[str]) -> bool:
    """`x+` stands for one or more messages with id x; `x*` for one or more whose id starts with x."""
    pattern = "".join(
        f"(?:{re.escape(item[:-1])}\n)+"
        if item.endswith("+")
        else f"(?:{re.escape(item[:-1])}[^\n]*\n)+"
        if item.endswith("*")
        else f"{re.escape(item)}\n"
        for item in expected
    )
    return re.fullmatch(pattern, "".join(f"{msgid}\n" for msgid in msgids)) is not None


def render(messages: Sequence[Message]) -> str:
    lines = []
    for message in messages:
        lines.append(f"  [{message.msgid}] ({message.dir}, {message.status})")
        lines.extend(f"    {line}" for line in message.text.splitlines())
        lines.extend(f"    ( {button.title} ) -> {button.payload}" for button in message.buttons)
        if message.venue:
            lines.append(f"    📍 {message.venue.title}: {message.venue.latitude}, {message.venue.longitude}")
    return "\n".join(lines)


def replay(wiring: Wiring, script: Path, language: str) -> str:
    data = yaml.safe_load(script.read_text(encoding="utf-8"))
    platform_id = f"{script.stem}-{language}"
    transcript = [f"# {data['name']} ({language})"]
    for number, step in enumerate(data["steps"], 1):
        user_input = to_input(step["send"], language)
        messages = asyncio.run(wiring.host.handle("web", platform_id, user_input))
        msgids = [message.msgid for message in messages if message.msgid not in NOTICES]
        assert matches(step["expect"], msgids), f"step {number}: expected {step['expect']}, got {msgids}"
        payloads = {button.payload for message in messages for button in message.buttons}
        assert set(step.get("buttons", [])) <= payloads, f"step {number}: buttons {payloads}"
        text = "\n".join(message.text for message in messages)
        for needle in step.get("contains", []):
            assert needle in text, f"step {number}: {needle!r} missing"
        if language != "de" and language in wiring.catalog.languages():
            german = [message.msgid for message in messages if message.status == "missing"]
            assert german == [], f"step {number}: German fallback in {language}: {german}"
        if language in RTL:
            ltr = [m.msgid for m in messages if m.language != "de" and m.dir != "rtl"]
            assert ltr == [], f"step {number}: left to right in {language}: {ltr}"
        if step.get("stored") is False:
            assert wiring.store.load("web", platform_id) is None
        send = step["send"]
        shown = str(
            {key: value[language] if isinstance(value, dict) else value for key, value in send.items()}
        )
        shown = shown.replace("'", "")
        if "long_text" in step["send"]:
            shown = "{long text}"
        transcript.append(f"> {shown}\n{render(messages)}")
    return "\n".join(transcript) + "\n"


@pytest.mark.parametrize("script", SCRIPTS, ids=[path.stem for path in SCRIPTS])
def test_transcript_in_every_shipped_language(wiring: Wiring, script: Path) -> None:
    only = yaml.safe_load(script.read_text(encoding="utf-8")).get("languages")
    for language in only or shipped(wiring):
        rendered = replay(wiring, script, language)
        golden = GOLDEN / f"{script.stem}.{language}.txt"
        if os.environ.get("WEGWEISER_UPDATE_GOLDEN") == "1":
            golden.parent.mkdir(exist_ok=True)
            golden.write_text(rendered, encoding="utf-8")
        assert golden.exists(), f"{golden.name} is missing; see the module docstring"
        assert rendered == golden.read_text(encoding="utf-8"), (
            f"{golden.name} differs; see the module docstring"
        )
