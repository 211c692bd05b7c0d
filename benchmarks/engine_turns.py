"""Engine turns per second (pure, no I/O), beside a baseline that only echoes, in the same run.

    .venv/bin/python -m benchmarks.engine_turns [--seconds 3]

A "turn" is one input through `Engine.handle` (and `resume` when an action is asked for), as in a
real conversation: start, language, consent, menu, topic, place, results, emergency, typed text.
The engine hears typed text with the understanding `wegweiser run` loads; a second conversation of
button presses only shows what buttons cost with it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bot.engine.commands import load_commands
from bot.engine.engine import Engine
from bot.engine.flows import Choice, load_flows
from bot.engine.model import Input, Message, Session
from bot.i18n.catalog import Catalog

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = [
    Input(kind="start"),
    Input.of_payload("welcome/choose_language=ar"),
    Input.of_text("ok"),
    Input.of_payload("main_menu/choose=counselling"),
    Input.of_text("2"),
    Input.of_payload("find_counselling/ask_place=dueren"),
    Input.of_text("notfall"),
    Input.of_payload("find_counselling/after_offers=other_topic"),
    Input.of_text("gesundheit"),
    Input.of_text("ich weiß nicht was ich schreiben soll"),
]

BUTTONS = [
    Input(kind="start"),
    Input.of_payload("welcome/choose_language=ar"),
    Input.of_payload("welcome/privacy=yes"),
    Input.of_payload("main_menu/choose=counselling"),
    Input.of_payload("find_counselling/ask_topic=health"),
    Input.of_payload("find_counselling/ask_place=dueren"),
    Input.of_payload("emergency"),
    Input.of_payload("find_counselling/after_offers=other_topic"),
    Input.of_payload("find_counselling/ask_topic=work"),
    Input.of_payload("menu"),
]


def build_engine() -> Engine:
    try:
        from bot.cli.wiring import content_menus
        from bot.content import load_content

        menus: dict[str, list[Choice]] = content_menus(load_content(ROOT / "content"))
    except ImportError:
        menus = {"topics": [Choice("health", "Gesundheit")], "municipalities": [Choice("dueren", "Düren")]}
    catalog = Catalog.load(ROOT / "locale")
    from bot.understanding.listener import start

    return Engine(
        load_flows(ROOT / "flows"),
        load_commands(ROOT / "flows" / "commands.yml"),
        catalog,
        menus,
        understanding=start(ROOT / "nlu"),
    )


def engine_conversation(engine: Engine, script: list[Input] = SCRIPT) -> int:
    session = Session()
    turns = 0
    for user_input in script:
        turn = engine.handle(session, user_input)
        turns += 1
        while turn.action:
            turn = engine.resume(turn.session, [{"event": "slot", "name": "offers_more", "value": True}])
        session = turn.session
    return turns


def button_conversation(engine: Engine) -> int:
    return engine_conversation(engine, BUTTONS)


def echo_conversation(_: Engine) -> int:
    """Baseline: the least a bot can do per input (build one reply and a new state)."""
    session = Session()
    for user_input in SCRIPT:
        _reply = Message(text=user_input.text or user_input.payload)
        session = Session(language=session.language, slots=dict(session.slots))
    return len(SCRIPT)


def measure(run: Callable[[Engine], int], engine: Engine, seconds: float) -> tuple[float, list[float]]:
    per_turn: list[float] = []
    turns = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        began = time.perf_counter()
        done = run(engine)
        per_turn.append((time.perf_counter() - began) / done)
        turns += done
    return turns / (time.perf_counter() - start), per_turn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    engine = build_engine()
    engine_conversation(engine)  # warm up
    rows = []
    runs = (
        ("echo baseline", echo_conversation),
        ("wegweiser engine", engine_conversation),
        ("buttons only", button_conversation),
    )
    for name, run in runs:
        rate, per_turn = measure(run, engine, args.seconds)
        per_turn.sort()
        p50 = statistics.median(per_turn) * 1e6
        p99 = per_turn[int(len(per_turn) * 0.99) - 1] * 1e6
        rows.append((name, rate, p50, p99))
    print(f"{'run':<18} {'turns/s':>12} {'p50 µs/turn':>12} {'p99 µs/turn':>12}")
    for name, rate, p50, p99 in rows:
        print(f"{name:<18} {rate:>12,.0f} {p50:>12.1f} {p99:>12.1f}")
    print(f"engine / echo throughput ratio: {rows[1][1] / rows[0][1]:.3f} (target: >= 5,000 engine turns/s)")
    print(f"button presses: {rows[2][1]:,.0f} turns/s (target: >= 5,000)")


if __name__ == "__main__":
    main()
