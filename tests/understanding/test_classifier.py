"""The classifier's fast path gives scikit-learn's own probabilities; long messages are read only in part."""

from __future__ import annotations

import pytest

from bot.understanding.classifier import MODEL_LIMIT, prepare
from bot.understanding.listener import Listener


@pytest.mark.parametrize(
    "text",
    ["ich brauche hilfe bei meiner wohnung", "زوجي يضربني", "x", "hallo мир ሰላም", "kocam beni dövüyor"],
)
def test_rank_equals_the_pipelines_probabilities(listener: Listener, text: str) -> None:
    classifier = listener.classifier
    ranked = dict(classifier.rank(text))
    expected = classifier.pipeline.predict_proba([prepare(text, classifier.synonyms)])[0]
    assert ranked == pytest.approx(dict(zip(classifier.intents, expected, strict=True)), abs=1e-5)


def test_only_the_start_of_a_long_message_is_classified(listener: Listener) -> None:
    start = "mein mann schlägt mich "
    assert listener.classifier.rank(start + "a" * 60_000) == listener.classifier.rank(
        (start + "a" * 60_000)[: MODEL_LIMIT + 50]
    )


def test_nothing_to_read_gives_no_ranking(listener: Listener) -> None:
    assert listener.classifier.rank("🙂🙂") == ()
    assert not listener.hear("🙂🙂").danger
