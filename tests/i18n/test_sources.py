"""The extraction finds the texts of every source of the real project, each with its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.i18n.languages import LANGUAGES
from bot.translation.sources import SOURCES, Roots, SourceError, collect_texts, load_module

ROOTS = Roots(PROJECT_ROOT / "flows", PROJECT_ROOT / "content", PROJECT_ROOT)


@pytest.mark.parametrize("name", list(SOURCES))
def test_every_source_gives_texts_with_a_real_place(name: str) -> None:
    texts = SOURCES[name](ROOTS)
    assert texts, f"source {name} found no texts"
    for text in texts:
        file, line = text.location
        lines = (PROJECT_ROOT / file).read_text(encoding="utf-8").splitlines()
        assert 1 <= line <= len(lines), text
        assert text.note and text.limits and text.context


def test_flow_texts_point_at_the_line_that_holds_them() -> None:
    for text in SOURCES["flows"](ROOTS):
        file, line = text.location
        written = (PROJECT_ROOT / file).read_text(encoding="utf-8").splitlines()[line - 1]
        assert text.text[:15] in written.replace('\\"', '"'), (text.context, written)


def test_all_sources_in_conversation_order_without_native_names() -> None:
    texts = collect_texts(ROOTS)
    assert texts[0].context.startswith("welcome/")
    contexts = [text.context for text in texts]
    first_menu = next(index for index, context in enumerate(contexts) if context.startswith("main_menu/"))
    first_topic = next(index for index, context in enumerate(contexts) if context.startswith("topic/"))
    assert first_menu < first_topic
    assert not {text.text for text in texts} & {language.native_name for language in LANGUAGES}


def test_a_module_that_cannot_be_imported_is_an_error_not_silence() -> None:
    with pytest.raises(SourceError, match=r"bot\.actions\.not_written_yet cannot be imported"):
        load_module("bot.actions.not_written_yet")


def test_a_flows_folder_without_commands_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"commands\.yml does not exist"):
        collect_texts(Roots(tmp_path, tmp_path, tmp_path), skip=("content", "actions", "channels"))


def test_an_unknown_source_to_skip_is_an_error() -> None:
    with pytest.raises(SourceError, match="unknown source"):
        collect_texts(ROOTS, skip=("flow",))
