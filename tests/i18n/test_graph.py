"""`wegweiser flows graph`: each flow as Mermaid with the texts in one language, SVG/PNG through Graphviz."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import typer
from typer.testing import CliRunner, Result

from bot.cli.graph import graph
from bot.i18n.status import mark_reviewed
from bot.translation.po import entries, read_catalog, write_catalog
from tests.conftest import require_or_skip
from tests.i18n.conftest import Project


def run_graph(project: Project, *args: str) -> Result:
    app = typer.Typer()
    app.command()(graph)
    options = ["--flows-dir", str(project.flows), "--locale-dir", str(project.locale)]
    return CliRunner().invoke(app, [*args, *options], catch_exceptions=False)


def translate_arabic(project: Project) -> None:
    path = project.po("ar")
    catalog = read_catalog(path, "ar")
    for message in entries(catalog):
        if message.id == "Wie kann ich Ihnen helfen?":
            message.string = "كيف يمكنني مساعدتك؟"
            mark_reviewed(message, "Amina K.", date(2026, 11, 20))
    write_catalog(path, catalog)


def test_mermaid_in_the_chosen_language(project: Project, tmp_path: Path) -> None:
    translate_arabic(project)
    out = tmp_path / "flows.md"
    result = run_graph(project, "--lang", "ar", "--out", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.count("```mermaid") == 3
    assert "flowchart TD" in text
    assert 'main_menu__choose("choose<br>كيف يمكنني مساعدتك؟")' in text
    assert "Bitte wählen Sie Ihre Sprache. [de]" in text  # no translation yet: German, marked
    assert 'main_menu__choose -->|"ℹ️ Hilfe [de]"| main_menu__to_help' in text
    assert 'welcome__privacy -->|"slots.consent == #quot;more#quot;"| welcome__details' in text
    assert "welcome__details -->" in text and "welcome__privacy" in text


def test_svg_through_graphviz(project: Project, tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        require_or_skip("Graphviz `dot` is not installed (apt-get install graphviz)")
    translate_arabic(project)
    out = tmp_path / "flows.svg"
    result = run_graph(project, "--lang", "ar", "--out", str(out))
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "كيف يمكنني مساعدتك؟" in svg


def test_an_unknown_output_type_is_refused(project: Project, tmp_path: Path) -> None:
    result = run_graph(project, "--out", str(tmp_path / "flows.pdf"))
    assert result.exit_code == 2
    assert "unknown output type" in result.output
