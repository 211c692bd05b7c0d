"""docker-compose.yml with a sample .env, rendered as compose renders it: every service gets what it needs.

`docker compose config` (or Debian's `docker-compose config`) renders the same files when it is installed
(`.ci/run` installs it when the package registry has it) and must agree with the reading here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import make_url

from bot.config import Settings
from bot.i18n.languages import LANGUAGES
from bot.store.location import locate
from tests.conftest import require_or_skip
from tests.deploy.compose import MissingVariable, read_env_file, render

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "p@ss/w%rd:#x?"  # every character that breaks a URL written by hand
# Language codes with a LibreTranslate (Argos) model, from the argospm index (index.json, June 2025).
LIBRETRANSLATE_CODES = frozenset(
    [
        "ar",
        "az",
        "bg",
        "bn",
        "ca",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "eo",
        "es",
        "et",
        "eu",
        "fa",
        "fi",
        "fr",
        "ga",
        "gl",
        "he",
        "hi",
        "hu",
        "id",
        "it",
        "ja",
        "ko",
        "ky",
        "lt",
        "lv",
        "ms",
        "nb",
        "nl",
        "pb",
        "pl",
        "pt",
        "ro",
        "ru",
        "sk",
        "sl",
        "sq",
        "sv",
        "th",
        "tl",
        "tr",
        "uk",
        "ur",
        "zh",
        "zt",
    ]
)


def _sample(folder: Path, **changes: str) -> Path:
    """docker-compose.yml beside a .env made from .env.example as the README says: required lines filled."""
    shutil.copy(ROOT / "docker-compose.yml", folder / "docker-compose.yml")
    filled = {
        "POSTGRES_PASSWORD": f"'{PASSWORD}'",
        "WEGWEISER_SECRET_KEY": "a" * 64,
        "WEGWEISER_REPORT_PEPPER": "b" * 64,
        "WEGWEISER_TELEGRAM_TOKEN": "123456:ABC-token",
        **changes,
    }
    lines = []
    for raw in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        name = raw.lstrip("# ").partition("=")[0]
        lines.append(f"{name}={filled.pop(name)}" if name in filled and "=" in raw else raw)
    lines += [f"{name}={value}" for name, value in filled.items()]
    (folder / ".env").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _settings(environment: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The bot's settings as the container would read them from its environment."""
    for name in list(os.environ):
        if name.startswith("WEGWEISER_"):
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_the_bot_gets_its_database_secrets_and_translator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = render(_sample(tmp_path), profiles=("translate",))
    bot, db, translate = (rendered["services"][name] for name in ("bot", "db", "translate"))
    settings = _settings(bot["environment"], monkeypatch)

    url = make_url(locate(settings.database_url, settings.database_password, settings.data_dir).url_string)
    assert (url.drivername, url.host, url.port) == ("postgresql+psycopg", "db", 5432)
    assert (url.username, url.password, url.database) == (
        db["environment"]["POSTGRES_USER"],
        db["environment"]["POSTGRES_PASSWORD"],
        db["environment"]["POSTGRES_DB"],
    )
    assert url.password == PASSWORD
    assert (settings.secret_key, settings.report_pepper) == ("a" * 64, "b" * 64)
    assert settings.secret_key != settings.report_pepper
    assert settings.telegram_token == "123456:ABC-token"  # from .env through env_file

    translator = re.fullmatch(r"http://([a-z]+):(\d+)", settings.libretranslate_url)
    assert translator and translator.group(1) == "translate" and translator.group(1) in rendered["services"]
    assert translator.group(2) == "5000"
    assert "LT_PORT" not in translate["environment"]  # LibreTranslate's default port is 5000

    mounted = {mount.split(":")[1] for mount in bot["volumes"]}
    assert str(settings.data_dir) in mounted, "the data folder (SQLite, backups) must be a volume"
    assert (settings.host, settings.port) == ("0.0.0.0", 8080)
    published = {mapping.split(":")[2] for mapping in bot["ports"]}
    assert {str(settings.port), str(settings.metrics_port)} <= published


def test_the_environment_block_wins_over_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stray WEGWEISER_HOST or database URL in .env must not move the bot off its container layout."""
    folder = _sample(tmp_path, WEGWEISER_HOST="127.0.0.1", WEGWEISER_DATABASE_URL="sqlite:///x.db")
    settings = _settings(render(folder)["services"]["bot"]["environment"], monkeypatch)
    assert settings.host == "0.0.0.0"
    assert settings.database_url.startswith("postgresql+psycopg://wegweiser@db:5432/")


@pytest.mark.parametrize("name", ["POSTGRES_PASSWORD", "WEGWEISER_SECRET_KEY", "WEGWEISER_REPORT_PEPPER"])
def test_compose_refuses_to_start_without_a_secret(tmp_path: Path, name: str) -> None:
    with pytest.raises(MissingVariable, match=f"set {name} in .env"):
        render(_sample(tmp_path, **{name: ""}))


def test_the_translator_is_opt_in(tmp_path: Path) -> None:
    assert set(render(_sample(tmp_path))["services"]) == {"bot", "db"}
    on = render(_sample(tmp_path, COMPOSE_PROFILES="translate"))
    assert set(on["services"]) == {"bot", "db", "translate"}


def test_the_translator_loads_every_language_it_has_a_model_for() -> None:
    translate = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["translate"]
    loaded = translate["environment"]["LT_LOAD_ONLY"].split(",")
    ours = {language.code for language in LANGUAGES}
    assert set(loaded) == ours & LIBRETRANSLATE_CODES
    missing = sorted(ours - LIBRETRANSLATE_CODES)
    assert missing == ["ku", "ps", "so", "ti"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "no LibreTranslate model for ti, ps, so and ku" in readme


def test_env_example_lists_every_setting() -> None:
    listed = set(read_env_file(ROOT / ".env.example"))
    listed |= set(re.findall(r"^# (WEGWEISER_[A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    missing = [name for name in Settings.model_fields if f"WEGWEISER_{name.upper()}" not in listed]
    assert missing == []
    assert "POSTGRES_PASSWORD" in listed


def _compose_command() -> list[str] | None:
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        return ["docker", "compose"]
    found = shutil.which("docker-compose")
    return [found] if found else None


def _normalised(environment: Any) -> dict[str, str]:
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in (environment or {}).items()}


def test_docker_compose_config_agrees(tmp_path: Path) -> None:
    command = _compose_command()
    if command is None:
        reason = os.environ.get("WEGWEISER_COMPOSE_MISSING")
        if reason:  # .ci/run found no compose package to install; the rendering tests above carry the check
            pytest.skip(f"docker compose is not installable here ({reason})")
        require_or_skip("docker compose is not installed (Debian: apt-get install docker-compose)")
    folder = _sample(tmp_path)
    result = subprocess.run(
        [*command, "--profile", "translate", "config", "--format", "json"]
        if command[0] == "docker"
        else [*command, "--profile", "translate", "config"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    theirs = (
        json.loads(result.stdout) if result.stdout.lstrip().startswith("{") else yaml.safe_load(result.stdout)
    )
    ours = render(folder, profiles=("translate",))
    assert set(theirs["services"]) == set(ours["services"])
    for name, service in ours["services"].items():
        assert _normalised(theirs["services"][name].get("environment")) == service["environment"], name
    missing = subprocess.run(
        [*command, "config"],
        cwd=_sample(tmp_path, WEGWEISER_SECRET_KEY=""),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode != 0 and "WEGWEISER_SECRET_KEY" in missing.stderr
