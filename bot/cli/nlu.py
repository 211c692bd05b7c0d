"""`wegweiser nlu ...`: train the understanding and measure it, like `rasa train nlu` / `rasa test nlu`.

train  train the model for the current examples into the cache (the bot also does this at start-up)
test   k-fold cross-validation: per language and intent precision, recall, F1, a confusion matrix, and
       danger recall (exit 1 when it is below 0.95 in any language); `--png` draws the matrices
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.config import Settings
from bot.understanding.data import NluData, NluError, load
from bot.understanding.evaluation import Evaluation, cross_validate
from bot.understanding.listener import cache_dir, model_path, save, train

nlu_app = typer.Typer(
    help="Understanding what she types: training examples and the model.", no_args_is_help=True
)
console = Console()

DANGER_RECALL = 0.95
NluDir = Annotated[Path | None, typer.Option(help="Folder of the training files (default: settings).")]


def _data(nlu_dir: Path | None) -> NluData:
    folder = nlu_dir or Settings().nlu_dir
    try:
        return load(folder)
    except NluError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error


@nlu_app.command("train")
def train_command(nlu_dir: NluDir = None) -> None:
    """Train the model for the current examples and keep it in the data folder's cache."""
    data = _data(nlu_dir)
    started = time.perf_counter()
    classifier = train(data)
    path = model_path(data, cache_dir(Settings().data_dir))
    save(classifier, path)
    console.print(
        f"trained on {len(data.examples)} examples, {len(data.intents())} intents, "
        f"{len(data.languages())} languages in {time.perf_counter() - started:.1f} s -> {path}"
    )


def _scores_table(evaluation: Evaluation, language: str) -> Table:
    table = Table(title=f"{language}: held-out folds")
    for column in ("intent", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="left" if column == "intent" else "right")
    for intent, scores in evaluation.scores(language).items():
        table.add_row(
            intent, f"{scores.precision:.2f}", f"{scores.recall:.2f}", f"{scores.f1:.2f}", str(scores.support)
        )
    return table


def _confusion_table(evaluation: Evaluation, language: str | None) -> Table:
    intents = evaluation.intents()
    confusion = evaluation.confusion(language)
    table = Table(title=f"confusion ({language or 'all languages'}): rows true, columns predicted")
    table.add_column("true \\ predicted")
    for number, _ in enumerate(intents, 1):
        table.add_column(str(number), justify="right")
    for number, intent in enumerate(intents, 1):
        cells = [str(confusion.get((intent, said), "")) for said in intents]
        table.add_row(f"{number} {intent}", *cells)
    return table


def _png(evaluation: Evaluation, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    intents = evaluation.intents()
    confusion = evaluation.confusion()
    matrix = [[confusion.get((true, said), 0) for said in intents] for true in intents]
    figure, axes = plt.subplots(figsize=(12, 10))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(intents)), intents, rotation=90)
    axes.set_yticks(range(len(intents)), intents)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title("Wegweiser understanding: held-out folds, all languages")
    for row, values in enumerate(matrix):
        for column, value in enumerate(values):
            if value:
                axes.text(column, row, str(value), ha="center", va="center", fontsize=6)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


@nlu_app.command("test")
def test_command(
    nlu_dir: NluDir = None,
    folds: Annotated[int, typer.Option(help="Number of folds.")] = 5,
    lang: Annotated[list[str] | None, typer.Option("--lang", help="Show these languages only.")] = None,
    confusion: Annotated[bool, typer.Option(help="Print a confusion matrix per language.")] = False,
    png: Annotated[Path | None, typer.Option(help="Draw the confusion matrix into this PNG file.")] = None,
) -> None:
    """Cross-validate; exit 1 when danger recall is below 0.95 in any language."""
    data = _data(nlu_dir)
    started = time.perf_counter()
    evaluation = cross_validate(data, folds=folds)
    seconds = time.perf_counter() - started
    console.print(f"{folds}-fold cross-validation of {len(data.examples)} examples in {seconds:.0f} s")
    languages = [code for code in evaluation.languages() if not lang or code in lang]
    for language in languages:
        console.print(_scores_table(evaluation, language))
        if confusion:
            console.print(_confusion_table(evaluation, language))
    summary = Table(title="per language: macro F1 of the model, danger recall of model and lexicon together")
    for column in ("language", "macro F1", "danger recall"):
        summary.add_column(column, justify="right")
    failing = []
    for language in languages:
        scores = evaluation.scores(language).values()
        macro = sum(score.f1 for score in scores) / max(1, len(scores))
        recall = evaluation.danger_recall(language)
        if recall < DANGER_RECALL:
            failing.append(language)
        summary.add_row(language, f"{macro:.2f}", f"{recall:.2f}" + ("" if recall >= DANGER_RECALL else " ✗"))
    console.print(summary)
    if png is not None:
        _png(evaluation, png)
        console.print(f"confusion matrix drawn: {png}")
    if failing:
        console.print(f"[red]danger recall below {DANGER_RECALL} in: {', '.join(failing)}[/red]")
        raise typer.Exit(1)
