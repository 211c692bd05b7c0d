"""The contact key never lives in the database; production refuses to start without its two secrets."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from bot.config import Settings
from bot.store import Store
from bot.store.secret import key_file

ROOT = Path(__file__).resolve().parents[2]


def secrets_in_database(store: Store) -> list[str]:
    with store.engine.connect() as connection:
        return list(connection.execute(text("SELECT name FROM store_secrets")).scalars())


def test_the_embedded_database_keeps_its_key_in_a_private_file_beside_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    store = Store(url)
    store.upgrade()
    key = store.key("telegram", "42")
    path = key_file(url)
    assert path == tmp_path / "w.db.key" and path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secrets_in_database(store) == []
    again = Store(url)
    assert again.key("telegram", "42") == key  # the same woman is recognised after a restart
    store.dispose()
    again.dispose()


def test_a_key_older_versions_kept_in_the_database_moves_to_the_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    store = Store(url)
    store.upgrade()
    old = "ab" * 32
    with store.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO store_secrets (name, value) VALUES ('contact_key', :v)"), {"v": old}
        )
    store.dispose()
    (tmp_path / "w.db.key").unlink()
    moved = Store(url)
    moved.upgrade()
    assert (tmp_path / "w.db.key").read_text().strip() == old
    assert secrets_in_database(moved) == []
    moved.dispose()


def test_a_given_key_is_used_and_none_is_kept(database_url: str) -> None:
    store = Store(database_url, secret=b"k" * 40)
    store.upgrade()
    assert secrets_in_database(store) == []
    assert Store(database_url, secret=b"k" * 40).key("web", "x") == store.key("web", "x")
    store.dispose()


def test_production_is_a_setting_or_a_server_database() -> None:
    assert not Settings(_env_file=None).production  # type: ignore[call-arg]
    assert Settings(database_url="postgresql+psycopg://db/wegweiser", _env_file=None).production  # type: ignore[call-arg]
    ready = Settings(  # type: ignore[call-arg]
        database_url="postgresql+psycopg://db/w", secret_key="s" * 43, report_pepper="p" * 43, _env_file=None
    )
    assert ready.missing_secrets() == [] and ready.refusal() == ""
    short = Settings(
        database_url="postgresql://db/w", secret_key="short", report_pepper="p" * 43, _env_file=None
    )  # type: ignore[call-arg]
    assert short.missing_secrets() == ["WEGWEISER_SECRET_KEY"]


def test_run_refuses_to_start_in_production_without_the_secrets(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("WEGWEISER_")} | {
        "WEGWEISER_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/no_such_database",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    message = " ".join(done.stderr.split())
    assert "WEGWEISER_SECRET_KEY and WEGWEISER_REPORT_PEPPER" in message
    assert "python -c 'import secrets; print(secrets.token_urlsafe(32))'" in message
    assert "database:" not in done.stderr  # refused before opening any database
