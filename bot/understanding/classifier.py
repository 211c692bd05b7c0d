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

MODEL_LIMIT = 300  # characters the model reads (the lexicon reads more): time does not grow with length


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
        """Every intent with its probability, likeliest first.

        The same numbers as the pipeline's `predict_proba`, computed on the few features the message
        has (a test keeps them equal): scikit-learn's checks cost more than the arithmetic here.
        """
        said = prepare(text, self.synonyms)[:MODEL_LIMIT]
        if not said:
            return ()
        features: Any = self.pipeline.named_steps["features"]
        model: Any = self.pipeline.named_steps["model"]
        if not hasattr(self, "_analyzer"):
            self._analyzer = features.build_analyzer()
        counts: dict[int, int] = {}
        vocabulary = features.vocabulary_
        for gram in self._analyzer(said):
            index = vocabulary.get(gram)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        indices = np.fromiter(counts, dtype=np.int64, count=len(counts))
        weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * (
            features.idf_[indices]
        )
        norm = float(np.sqrt(weights @ weights)) if len(weights) else 0.0
        scores = model.coef_[:, indices] @ (weights / norm if norm else weights) + model.intercept_
        probabilities = 1.0 / (1.0 + np.exp(-scores))
        total = probabilities.sum()
        probabilities = (
            probabilities / total if total else np.full(len(probabilities), 1 / len(probabilities))
        )
        order = np.argsort(probabilities)[::-1]
        return tuple((self.intents[index], float(probabilities[index])) for index in order)
