"""The understanding the bot runs with: the danger lexicon first, then the classifier."""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from pathlib import Path

from platformdirs import user_cache_path

from bot.understanding.classifier import Classifier
from bot.understanding.data import FOLDER, NluData, load
from bot.understanding.hearing import DANGER, OTHER, VIOLENCE, Hearing
from bot.understanding.lexicon import Lexicon
from bot.understanding.normalize import normalize

log = logging.getLogger(__name__)

ALARM = 0.35  # P(danger) + P(violence at home) from which the numbers are shown: recall before precision
LEADING = 0.25  # ... or when danger is the likeliest intent at this probability
SPECIFIC = 0.5  # "help" in a short message brings the numbers unless the model is this sure of a named need
UNSPECIFIC = (DANGER, VIOLENCE, OTHER, "counselling", "greeting", "thanks", "menu")


class Listener:
    """Hears one message: pure, no I/O (the model was loaded before)."""

    def __init__(self, lexicon: Lexicon, classifier: Classifier) -> None:
        self.lexicon = lexicon
        self.classifier = classifier

    def hear(self, text: str) -> Hearing:
        said = normalize(text)
        ranking = self.classifier.rank(text)
        alarm = sum(probability for intent, probability in ranking if intent in (DANGER, VIOLENCE))
        heard = Hearing(False, ranking)
        specific = heard.confidence >= SPECIFIC and heard.intent not in UNSPECIFIC
        danger = (
            alarm >= ALARM
            or (heard.intent in (DANGER, VIOLENCE) and heard.confidence >= LEADING)
            or self.lexicon.names_danger(said)
            or self.lexicon.only_help(said)
            or (self.lexicon.calls_for_help(said) and not specific)
        )
        return Hearing(danger, ranking)


def train(data: NluData) -> Classifier:
    return Classifier.train(
        [example.text for example in data.examples],
        [example.intent for example in data.examples],
        data.synonyms,
    )


def cache_dir(data_dir: Path | None = None) -> Path:
    """Where trained models are kept: the data folder when there is one, else the user's cache folder."""
    if data_dir is not None:
        return data_dir.expanduser() / "nlu-models"
    return user_cache_path("wegweiser", appauthor=False) / "nlu-models"


def model_path(data: NluData, folder: Path) -> Path:
    return folder / f"model-{data.digest}.pickle"


def save(classifier: Classifier, path: Path) -> None:
    """Written under a temporary name and renamed, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
        pickle.dump(classifier, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(handle.name, path)


def trained(data: NluData, folder: Path) -> Classifier:
    """The model for exactly this data: from the cache when it is there (our own file), else trained now."""
    path = model_path(data, folder)
    if path.exists():
        try:
            with path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, Classifier):
                return loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            log.warning("nlu model cache unreadable, training again")
    classifier = train(data)
    try:
        save(classifier, path)
    except OSError:
        log.warning("nlu model cache not writable; the model lives in memory only")
    return classifier


def start(nlu_dir: Path = FOLDER, data_dir: Path | None = None) -> Listener:
    """Load the data, the lexicon and the model (trained now if the cache lacks this data's model)."""
    data = load(nlu_dir)
    return Listener(Lexicon.of(data.lookups, data.regexes), trained(data, cache_dir(data_dir)))
