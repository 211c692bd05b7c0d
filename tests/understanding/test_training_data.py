"""The training data: every language, every intent, enough examples, read in Rasa's format; and the
cross-validation that fails the suite when danger recall on held-out folds drops below 0.95."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.understanding.data import FOLDER, NluError, load, read_file
from bot.understanding.evaluation import cross_validate

LANGUAGES = {"de", "en", "ar", "fa", "uk", "ru", "tr", "ku", "ti", "ps", "so", "fr"}
MIN_EXAMPLES = 25
DANGER_RECALL = 0.95


def test_every_language_has_every_intent_with_enough_examples() -> None:
    data = load()
    assert set(data.languages()) == LANGUAGES
    counts = Counter((example.language, example.intent) for example in data.examples)
    thin = {key: count for key, count in counts.items() if count < MIN_EXAMPLES}
    assert thin == {}
    assert {intent for _, intent in counts} == set(data.intents())
    assert all(counts[(language, intent)] for language in LANGUAGES for intent in data.intents())


def test_every_file_is_rasa_nlu_with_drafts_marked_and_a_danger_lookup() -> None:
    for path in sorted(FOLDER.glob("*.yml")):
        raw = read_file(path)
        assert str(raw["version"]) == "3.1"
        intents = [item for item in raw["nlu"] if "intent" in item]
        assert all(item.get("metadata", {}).get("status") in ("draft", "reviewed") for item in intents)
        assert any(item.get("lookup") == "danger" for item in raw["nlu"]), path.name


def test_a_broken_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "xx.yml").write_text("nlu: {not: a list}\n", encoding="utf-8")
    with pytest.raises(NluError, match=r"xx\.yml"):
        load(tmp_path)


def test_danger_recall_on_held_out_folds_in_every_language() -> None:
    evaluation = cross_validate(load(), folds=3)
    recall = {language: evaluation.danger_recall(language) for language in evaluation.languages()}
    print("danger recall on held-out folds:", {code: f"{value:.2f}" for code, value in recall.items()})
    assert {code: value for code, value in recall.items() if value < DANGER_RECALL} == {}
