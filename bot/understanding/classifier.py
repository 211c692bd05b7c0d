"""The need classifier: character n-grams (Rasa's CountVectorsFeaturizer with `char_wb` 2–5) and a
linear model with probabilities (scikit-learn's LogisticRegression), one model for all languages so that
a message mixing her language with German or English is still heard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import Pipeline

from bot.understanding.normalize import normalize


def prepare(text: str, synonyms: Mapping[str, str]) -> str:
    """Normalised, each spelling in the synonym table replaced by its main form."""
    said = normalize(text)
    if not synonyms:
        return said
    return " ".join(synonyms.get(word, word) for word in said.split())


def MODEL() -> SGDClassifier:
    """Logistic regression fitted by stochastic gradient descent: probabilities, and seconds to train."""
    return SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=30, tol=None, random_state=0)


def build() -> Pipeline:
    return Pipeline(
        [
            (
                "features",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    min_df=2,
                    sublinear_tf=True,
                    lowercase=False,
                    dtype=np.float32,
                ),
            ),
            ("model", MODEL()),
        ]
    )


class Classifier:
    """A trained pipeline and the synonym table it was trained with."""

    def __init__(self, pipeline: Pipeline, synonyms: Mapping[str, str]) -> None:
        self.pipeline = pipeline
        self.synonyms = dict(synonyms)
        self.intents: tuple[str, ...] = tuple(str(name) for name in pipeline.classes_)

    @staticmethod
    def train(texts: Sequence[str], intents: Sequence[str], synonyms: Mapping[str, str]) -> Classifier:
        pipeline = build()
        pipeline.fit([prepare(text, synonyms) for text in texts], list(intents))
        model: Any = pipeline.named_steps["model"]
        model.coef_ = model.coef_.astype(np.float32)  # half the memory, the same answers
        return Classifier(pipeline, synonyms)

    def rank(self, text: str) -> tuple[tuple[str, float], ...]:
        """Every intent with its probability, likeliest first."""
        said = prepare(text, self.synonyms)
        if not said:
            return ()
        probabilities = self.pipeline.predict_proba([said])[0]
        order = np.argsort(probabilities)[::-1]
        return tuple((self.intents[index], float(probabilities[index])) for index in order)
