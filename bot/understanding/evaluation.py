"""Cross-validation of the understanding, like `rasa test nlu`: k folds, every example held out once.

Per language and intent: precision, recall, F1 and a confusion matrix of the model; and the figure that
matters most, danger recall: how many held-out danger examples made the bot show the emergency numbers
(the model and the lexicon together, as she meets them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sklearn.model_selection import StratifiedKFold

from bot.understanding.data import Example, NluData
from bot.understanding.hearing import DANGER
from bot.understanding.lexicon import Lexicon
from bot.understanding.listener import Listener, train


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class Evaluation:
    """Held-out predictions: (example, predicted intent, danger heard)."""

    predictions: list[tuple[Example, str, bool]] = field(default_factory=list)

    def languages(self) -> list[str]:
        return sorted({example.language for example, _, _ in self.predictions})

    def intents(self) -> list[str]:
        return sorted({example.intent for example, _, _ in self.predictions})

    def scores(self, language: str | None = None) -> dict[str, Scores]:
        rows = [row for row in self.predictions if language is None or row[0].language == language]
        result = {}
        for intent in self.intents():
            true_positive = sum(1 for example, said, _ in rows if example.intent == intent and said == intent)
            predicted = sum(1 for _, said, _ in rows if said == intent)
            support = sum(1 for example, _, _ in rows if example.intent == intent)
            precision = true_positive / predicted if predicted else 0.0
            recall = true_positive / support if support else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            result[intent] = Scores(precision, recall, f1, support)
        return result

    def danger_recall(self, language: str) -> float:
        heard = [
            alarm
            for example, _, alarm in self.predictions
            if example.language == language and example.intent == DANGER
        ]
        return sum(heard) / len(heard) if heard else 1.0

    def confusion(self, language: str | None = None) -> dict[tuple[str, str], int]:
        return dict(
            Counter(
                (example.intent, said)
                for example, said, _ in self.predictions
                if language is None or example.language == language
            )
        )


def cross_validate(data: NluData, folds: int = 5, seed: int = 0) -> Evaluation:
    """Train on k-1 folds, predict the held-out fold; strata are language and intent together."""
    examples = data.examples
    strata = [f"{example.language}/{example.intent}" for example in examples]
    lexicon = Lexicon.of(data.lookups, data.regexes)
    evaluation = Evaluation()
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_index, test_index in splitter.split(examples, strata):
        fold = NluData([examples[index] for index in train_index], synonyms=data.synonyms)
        listener = Listener(lexicon, train(fold))
        for index in test_index:
            example = examples[index]
            heard = listener.hear(example.text)
            evaluation.predictions.append((example, heard.intent, heard.danger))
    return evaluation
