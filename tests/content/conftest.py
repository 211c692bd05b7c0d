"""Fixtures for the content tests: the real `content/` and throw-away copies of it to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content import Content, load_content

from .copies import CONTENT_DIR


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(CONTENT_DIR)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target
