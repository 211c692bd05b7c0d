"""`check_content` finds each kind of mistake an editor can make, on the line she has to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import ContentError, Problem, check_content, content_check_report, load_content

from .copies import CONTENT_DIR, TODAY, edit


def problems_in(content_dir: Path, file_name: str, severity: str = "error") -> list[Problem]:
    problems = check_content(content_dir, TODAY)
    return [p for p in problems if p.file.endswith(file_name) and p.severity == severity]


def test_broken_yaml_is_reported_with_its_line(content_copy: Path) -> None:
    line = edit(
        content_copy / "offers" / "goldrute.yml", "    topics: [violence]\n", "    topics: [violence\n"
    )
    (problem,) = problems_in(content_copy, "offers/goldrute.yml")
    assert "broken YAML" in problem.message
    assert problem.line is not None and line <= problem.line <= line + 2

    with pytest.raises(ContentError) as raised:
        load_content(content_copy)
    assert f"goldrute.yml:{problem.line}: error: broken YAML" in str(raised.value)


def test_a_duplicate_key_is_broken_yaml(content_copy: Path) -> None:
    path = content_copy / "offers" / "goldrute.yml"
    line = edit(path, "    interpreters: true\n", "    web: https://example.org\n    interpreters: true\n")
    (problem,) = problems_in(content_copy, "offers/goldrute.yml")
    assert problem.message == "broken YAML: duplicate key 'web'"
    assert problem.line == line


def test_an_unknown_topic(content_copy: Path) -> None:
    old = "    topics: [youth, education, work, language_course]"
    line = edit(content_copy / "offers" / "skf_dueren.yml", old, old.replace("education", "educaton"))
    (problem,) = problems_in(content_copy, "offers/skf_dueren.yml")
    assert problem.message == "'jmd_skf_dueren': unknown topic 'educaton'"
    assert problem.line == line


def test_an_unknown_municipality_in_the_served_list_and_in_an_address(content_copy: Path) -> None:
    served = edit(
        content_copy / "offers" / "caritas_dueren_juelich.yml", "[juelich, linnich,", "[juelich, linich,"
    )
    address = edit(
        content_copy / "offers" / "frauenberatungsstelle_juelich.yml",
        "municipality: juelich",
        "municipality: juelch",
    )
    (in_list,) = problems_in(content_copy, "caritas_dueren_juelich.yml")
    assert (in_list.line, in_list.message) == (served, "'ada_caritas_juelich': unknown municipality 'linich'")
    (in_address,) = problems_in(content_copy, "frauenberatungsstelle_juelich.yml")
    assert (in_address.line, in_address.message) == (
        address,
        "offer 'fbs_juelich': unknown municipality 'juelch'",
    )


def test_a_missing_source(content_copy: Path) -> None:
    path = content_copy / "offers" / "goldrute.yml"
    start = edit(path, "  - id: goldrute", "  - id: goldrute")
    edit(
        path,
        "    source:\n      - https://dueren-magazin.de",
        "    sources:\n      - https://dueren-magazin.de",
    )
    messages = {(p.line, p.message) for p in problems_in(content_copy, "goldrute.yml")}
    assert (start, "offer 'goldrute': `source`: missing") in messages


def test_an_offer_she_cannot_reach_is_an_error(content_copy: Path) -> None:
    path = content_copy / "offers" / "goldrute.yml"
    start = edit(path, "  - id: goldrute", "  - id: goldrute")
    edit(path, '    phone: "02421 188196"\n', "")
    edit(path, "    web: https://goldrute-ev.de\n", "")
    (problem,) = problems_in(content_copy, "goldrute.yml")
    assert problem.line == start and "no way to reach it" in problem.message


def test_an_empty_source_list(content_copy: Path) -> None:
    path = content_copy / "hotlines.yml"
    line = edit(
        path,
        "      - http://www.berlinerratschlagfuerdemokratie.de/projekte/muslimisches-seelsorgetelefon-mutes/\n",
        "",
    )
    edit(path, "    source:\n    last_checked", "    source: []\n    last_checked")
    (problem,) = problems_in(content_copy, "hotlines.yml")
    assert problem.message.startswith(
        "hotline 'muslimisches_seelsorgetelefon': `source`: List should have at least 1"
    )
    assert problem.line == line - 1


def test_a_phone_number_must_be_written_as_text(content_copy: Path) -> None:
    line = edit(content_copy / "hotlines.yml", 'number: "110"', "number: 110")
    (problem,) = problems_in(content_copy, "hotlines.yml")
    assert problem.line == line
    assert problem.message == "hotline 'police': `number`: Input should be a valid string"


def test_a_duplicate_id_names_both_places(content_copy: Path) -> None:
    line = edit(content_copy / "offers" / "goldrute.yml", "  - id: goldrute", "  - id: fbs_juelich")
    (problem,) = problems_in(content_copy, "goldrute.yml")
    assert problem.line == line
    assert problem.message.startswith("duplicate offer id 'fbs_juelich' (also ")
    assert "frauenberatungsstelle_juelich.yml:" in problem.message


def test_a_stale_offer_is_a_warning_not_an_error(content_copy: Path) -> None:
    line = edit(
        content_copy / "offers" / "goldrute.yml", "last_checked: 2026-12-04", "last_checked: 2025-11-24"
    )
    (warning,) = problems_in(content_copy, "goldrute.yml", "warning")
    assert warning.line == line
    assert warning.message == "'goldrute' was last checked on 2025-11-24, over a year ago: please verify it"
    assert problems_in(content_copy, "goldrute.yml") == []
    assert load_content(content_copy).offer("goldrute") is not None


def test_exactly_one_year_is_not_stale_yet(content_copy: Path) -> None:
    edit(content_copy / "offers" / "goldrute.yml", "last_checked: 2026-12-04", "last_checked: 2025-11-25")
    assert problems_in(content_copy, "goldrute.yml", "warning") == []


def test_one_broken_offer_does_not_hide_the_others(content_copy: Path) -> None:
    path = content_copy / "offers" / "evangelische_gemeinde_dueren.yml"
    edit(path, "    topics: [arrival, residence, language_course, work]", "    topics: []")
    edit(path, "    topics: [discrimination, housing]", "    topics: [discrimination, hausing]")
    messages = sorted(p.message for p in problems_in(content_copy, "evangelische_gemeinde_dueren.yml"))
    assert messages == [
        "'ada_ev_gemeinde_dueren': unknown topic 'hausing'",
        "offer 'mbe_ev_gemeinde_dueren': `topics`: List should have at least 1 item after validation, not 0",
    ]


def test_the_report_for_the_cli(content_copy: Path) -> None:
    code, lines = content_check_report(CONTENT_DIR, TODAY)
    assert code == 0
    assert lines[-1].startswith("Content OK: 13 topics, 15 municipalities, ")

    line = edit(content_copy / "offers" / "goldrute.yml", "    topics: [violence]", "    topics: [violense]")
    code, lines = content_check_report(content_copy, TODAY)
    assert code == 1
    expected = f"goldrute.yml:{line}: error: 'goldrute': unknown topic 'violense'"
    assert any(printed.endswith(expected) for printed in lines)
    assert lines[-1].startswith("1 error(s), ")
