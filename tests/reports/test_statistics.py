"""Statistics on generated reports: counts, suppressed small cells, the chart as a real image, the CLI."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from typer.testing import CliRunner

from bot.cli.reports import reports_app
from bot.reports import categories, receipt
from bot.reports.export import table
from bot.reports.stats import (
    BY_ACTOR,
    BY_FORM,
    BY_GROUND,
    BY_PLACE,
    BY_STAGE,
    PER_MONTH,
    render_chart,
    summary,
    tabulate,
    telegram_stats,
)
from bot.store import Store
from bot.store.reports import ReportStore
from tests.fakes.libretranslate import serve_libretranslate
from tests.reports.generated import PLACES, generated_reports


def test_counts_and_small_cells_are_suppressed() -> None:
    reports = generated_reports(60)
    stats = tabulate(reports, "2026-01", "2026-06", places=PLACES, min_cell=3)
    assert stats.total == 60
    places = {cell.label: cell for cell in stats.breakdown(BY_PLACE).cells}
    expected = Counter(report.municipality for report in reports)
    for place_id, name in PLACES.items():
        assert places[name].count == expected[place_id]
        assert places[name].suppressed == (0 < expected[place_id] < 3)
    for breakdown in stats.breakdowns:
        for cell in breakdown.cells:
            assert cell.suppressed == (0 < cell.count < 3)
            expected_shown = "*" if cell.hidden else "<3" if cell.suppressed else str(cell.count)
            assert cell.shown(3) == expected_shown
    months = stats.breakdown(PER_MONTH)
    assert [cell.label for cell in months.cells] == [f"2026-0{month}" for month in range(1, 7)]
    assert sum(cell.count for cell in months.cells) == 60


def test_a_single_report_is_never_shown_as_a_number() -> None:
    [report] = generated_reports(1)
    stats = tabulate([report], "2026-01", "2026-12", places=PLACES)
    shown = [cell.shown(3) for breakdown in stats.breakdowns for cell in breakdown.cells if cell.count]
    assert shown and set(shown) == {"<3"}


def test_the_total_is_suppressed_like_its_cells() -> None:
    """One report gave 'n = 1' beside cells shown as '<3'."""
    for count in (1, 2):
        stats = tabulate(generated_reports(count), "2026-01", "2026-12", places=PLACES)
        assert stats.total == count and stats.total_shown == "<3"
        assert f": {count}" not in summary(stats).splitlines()[0]
    assert tabulate(generated_reports(3), "2026-01", "2026-12", places=PLACES).total_shown == "3"


def test_a_lone_small_cell_cannot_be_computed_from_the_total() -> None:
    """Where every report has one answer, total minus the shown cells must not give a suppressed count."""
    reports = generated_reports(60)
    for count in range(3, 30):
        stats = tabulate(reports[:count], "2026-01", "2026-06", places=PLACES)
        for title in (PER_MONTH, BY_STAGE, BY_ACTOR, BY_PLACE):
            cells = stats.breakdown(title).cells
            assert sum(cell.count for cell in cells) == stats.total
            unknown = [cell for cell in cells if cell.suppressed or cell.hidden]
            assert len(unknown) != 1, (title, count)
            if unknown:  # what the total leaves over is the sum of at least two hidden cells
                shown = sum(cell.count for cell in cells if cell not in unknown)
                assert stats.total - shown == sum(cell.count for cell in unknown)


def test_the_chart_is_a_real_image(tmp_path: Path) -> None:
    stats = tabulate(generated_reports(40), "2026-01", "2026-06", places=PLACES)
    path = tmp_path / "chart.png"
    path.write_bytes(render_chart(stats))
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (1200, 1500)
        low, high = image.convert("L").getextrema()
        assert high - low > 100  # something is drawn on the white


def test_the_telegram_stats_are_a_png_and_a_german_summary() -> None:
    png, text = telegram_stats(generated_reports(40), date(2026, 6, 15), places=PLACES)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
    assert text.startswith("📊 Meldungen 2025-07 bis 2026-06: 40")
    assert "Zahlen unter 3 sind ausgeblendet." in text
    assert "(1)" not in text and "(2)" not in text  # a suppressed count is never named


def test_export_has_every_answer_and_no_formula(tmp_path: Path) -> None:
    reports = generated_reports(10)
    rows = table(reports, PLACES)
    header = rows[0]
    assert len(rows) == 11
    assert "Freitext" in header and f"Was: {categories.plain(categories.FORMS['violence'])}" in header
    for row in rows[1:]:
        assert not any(cell.startswith("=") for cell in row)


@pytest.fixture
def runner_env(store: Store, database_url: str, tmp_path: Path) -> dict[str, str]:
    reports = ReportStore.of(store)
    for report in generated_reports(30):
        reports.add(report, receipt.seal(receipt.new_code(), b""), day=date(2026, 6, 30))
    reports.mix(today=date(2026, 6, 30))
    return {"WEGWEISER_DATABASE_URL": database_url}


def test_the_stats_command_prints_a_table_and_draws_the_chart(
    runner_env: dict[str, str], tmp_path: Path
) -> None:
    png = tmp_path / "chart.png"
    result = CliRunner().invoke(
        reports_app,
        ["stats", "--since", "2026-01", "--until", "2026-06", "--png", str(png), "--min-cell", "3"],
        env=runner_env,
    )
    assert result.exit_code == 0, result.output
    assert "Meldungen 2026-01 bis 2026-06: 30" in result.output
    assert BY_ACTOR in result.output and "<3" in result.output
    with Image.open(png) as image:
        assert image.size == (1200, 1500)


def test_the_stats_command_refuses_a_bad_month(runner_env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        reports_app, ["stats", "--since", "2026-13", "--until", "2026-06"], env=runner_env
    )
    assert result.exit_code != 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_command_writes_every_report(runner_env: dict[str, str], tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"reports.{fmt}"
    result = CliRunner().invoke(reports_app, ["export", "--format", fmt, "--out", str(out)], env=runner_env)
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        with out.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle, delimiter=";"))
    else:
        sheet = load_workbook(out).active
        rows = [
            [str(cell) if cell is not None else "" for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    assert len(rows) == 31
    assert rows[0][:3] == ["Meldung", "Meldewoche", "Monat des Vorfalls"]
    texts = {row[rows[0].index("Freitext")] for row in rows[1:]}
    assert '\'=HYPERLINK("x")' in texts  # shown, never run as a formula
    assert {row[rows[0].index("Ort")] for row in rows[1:]} <= set(PLACES.values())


def test_her_words_in_german_come_only_from_the_self_hosted_libretranslate(
    runner_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "reports.csv"
    without = CliRunner().invoke(
        reports_app,
        ["export", "--out", str(out), "--translate"],
        env={**runner_env, "WEGWEISER_LIBRETRANSLATE_URL": ""},
    )
    assert without.exit_code == 1 and "self-hosted LibreTranslate" in without.output
    with serve_libretranslate() as fake:
        result = CliRunner().invoke(
            reports_app,
            ["export", "--out", str(out), "--translate"],
            env={**runner_env, "WEGWEISER_LIBRETRANSLATE_URL": fake.url},
        )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    column = rows[0].index("Freitext auf Deutsch (maschinell übersetzt)")
    written = rows[0].index("Freitext")
    language = rows[0].index("Sprache")
    for row in rows[1:]:
        if row[written] and row[language] != "de":
            assert row[column].startswith("de: "), row  # the fake's translation of her words
        else:
            assert row[column] == ""
    assert fake.requests and all(request.get("target") == "de" for request in fake.requests)


def test_answers_of_the_earlier_questions_count_under_todays() -> None:
    """Reports sent with the longer questions (stage "ad", form "religion") still add up in the tables."""
    old = [
        replace(report, stage="ad", forms=("religion", "no_foreigners"), grounds=("language",))
        for report in generated_reports(5)
    ]
    stats = tabulate(old, "2026-01", "2026-12", places=PLACES)
    stages = {cell.label: cell.count for cell in stats.breakdown(BY_STAGE).cells}
    assert stages[categories.plain(categories.STAGES["contact"])] == 5
    forms = {cell.label: cell.count for cell in stats.breakdown(BY_FORM).cells}
    assert forms[categories.plain(categories.FORMS["no_answer"])] == 5
    assert forms[categories.plain(categories.FORMS["other"])] == 5
    grounds = {cell.label: cell.count for cell in stats.breakdown(BY_GROUND).cells}
    assert grounds[categories.plain(categories.GROUNDS["origin"])] == 5
