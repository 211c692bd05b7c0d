"""Docker cannot run here, so the Dockerfile and docker-compose.yml are read and checked as files."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from bot.config import Settings
from tests.deploy.dockerfile import Instruction, parse

ROOT = Path(__file__).resolve().parents[2]
INTERPOLATION = re.compile(r"^\$\{[A-Z_]+(:?[-?][^}]*)?\}$")
FIELDS = set(Settings.model_fields)


@pytest.fixture(scope="module")
def dockerfile() -> list[Instruction]:
    return parse((ROOT / "Dockerfile").read_text())


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def _all(instructions: list[Instruction], keyword: str) -> list[Instruction]:
    return [each for each in instructions if each.keyword == keyword]


def _env(instructions: list[Instruction]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for each in _all(instructions, "ENV"):
        merged.update(each.env())
    return merged


def _setting(variable: str) -> str:
    assert variable.startswith("WEGWEISER_"), variable
    return variable.removeprefix("WEGWEISER_").lower()


def _pattern(glob: str) -> re.Pattern[str]:
    """A .dockerignore line as a regex: `**` spans folders, `*` and `?` stay within one."""
    parts = re.split(r"(\*\*/|\*\*|\*|\?)", glob.strip("/"))
    wildcards = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(wildcards.get(part, re.escape(part)) for part in parts) + "$")


def _ignored(path: str) -> bool:
    """Whether Docker leaves `path` out of the build context (a folder takes its contents with it)."""
    lines = (line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines())
    patterns = [_pattern(line) for line in lines if line and not line.startswith(("#", "!"))]
    parts = PurePosixPath(path).parts
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    return any(pattern.match(prefix) for pattern in patterns for prefix in prefixes)


# --- Dockerfile ----------------------------------------------------------------------------------------


def test_dockerfile_is_one_stage_on_python_311_slim(dockerfile: list[Instruction]) -> None:
    assert [each.arguments for each in _all(dockerfile, "FROM")] == ["python:3.11-slim"]
    assert dockerfile[0].keyword == "FROM"


def test_dockerfile_runs_as_a_non_root_user(dockerfile: list[Instruction]) -> None:
    users = _all(dockerfile, "USER")
    assert users, "no USER instruction: the bot would run as root"
    assert users[-1].words()[0] not in ("root", "0")
    last_run = max(each.line for each in _all(dockerfile, "RUN"))
    assert users[-1].line > last_run, "USER must follow the last RUN"
    assert any(
        "useradd" in each.arguments and users[-1].words()[0] in each.arguments
        for each in _all(dockerfile, "RUN")
    )


def test_dockerfile_installs_the_package_and_starts_the_bot(dockerfile: list[Instruction]) -> None:
    assert any(re.search(r"\bpip install \.(\s|$)", each.arguments) for each in _all(dockerfile, "RUN"))
    cmd = _all(dockerfile, "CMD")
    assert len(cmd) == 1 and cmd[0].exec_form() == ["wegweiser", "run"]
    assert cmd[0] is dockerfile[-1]


def test_dockerfile_listens_on_all_interfaces_at_the_exposed_port(dockerfile: list[Instruction]) -> None:
    env = _env(dockerfile)
    assert [word for each in _all(dockerfile, "EXPOSE") for word in each.words()] == ["8080"]
    assert env["WEGWEISER_HOST"] == "0.0.0.0"
    assert env["WEGWEISER_PORT"] == "8080"


def test_dockerfile_variables_are_settings(dockerfile: list[Instruction]) -> None:
    ours = [name for name in _env(dockerfile) if name.startswith("WEGWEISER_")]
    assert ours and {_setting(name) for name in ours} <= FIELDS


def test_every_folder_setting_points_at_a_copied_folder(dockerfile: list[Instruction]) -> None:
    """The package is installed into site-packages, so each data folder must be named in ENV."""
    workdir = PurePosixPath(_all(dockerfile, "WORKDIR")[-1].arguments)
    copied = {workdir / each.words()[-1] for each in _all(dockerfile, "COPY")}
    env = _env(dockerfile)
    folders = [name for name, field in Settings.model_fields.items() if field.annotation in (Path, "Path")]
    assert folders, "Settings has no folder fields any more: revisit this test"
    for name in folders:
        variable = f"WEGWEISER_{name.upper()}"
        assert variable in env, f"{variable} is not set in the Dockerfile"
        assert PurePosixPath(env[variable]) in copied, f"{variable}={env[variable]} is not a COPY destination"


def test_every_copied_file_exists_and_reaches_the_build_context(dockerfile: list[Instruction]) -> None:
    copies = _all(dockerfile, "COPY") + _all(dockerfile, "ADD")
    assert copies
    problems = []
    for each in copies:
        assert "from" not in each.options(), "single-stage image: nothing to copy from another stage"
        for source in each.words()[:-1]:
            if not (ROOT / source).exists():
                problems.append(f"line {each.line}: {source} does not exist")
            elif _ignored(source):
                problems.append(f"line {each.line}: {source} is excluded by .dockerignore")
    assert not problems, "Dockerfile COPY: " + "; ".join(problems)


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    for path in (
        ".env",
        "wegweiser.db",
        ".venv/bin/python",
        ".git",
        "bot/store/__pycache__/store.cpython-311.pyc",
    ):
        assert _ignored(path), path
    assert not _ignored("bot/store/migrations/versions/0001_contacts.py")


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/health" else 404)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture(params=[200, 503])
def health_server(request: pytest.FixtureRequest) -> Iterator[tuple[int, int]]:
    """A /health endpoint on 127.0.0.1 that answers with the given status; yields (port, status)."""
    handler = type("Handler", (_Health,), {"status": request.param})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], request.param
    server.shutdown()
    server.server_close()


def test_healthcheck_command_reports_the_health_endpoint(
    dockerfile: list[Instruction], health_server: tuple[int, int]
) -> None:
    """Run the HEALTHCHECK's command against a real HTTP server: healthy on 200, unhealthy otherwise."""
    (check,) = _all(dockerfile, "HEALTHCHECK")
    options, _, command = check.arguments.partition("CMD ")
    assert "--interval" in options
    argv = Instruction("CMD", command, check.line).exec_form()
    assert argv is not None and argv[0] == "python"
    port, status = health_server
    environment = {**os.environ, "WEGWEISER_PORT": str(port)}
    result = subprocess.run([sys.executable, *argv[1:]], env=environment, capture_output=True, timeout=30)
    assert (result.returncode == 0) == (status == 200)


def test_healthcheck_fails_when_nothing_listens(dockerfile: list[Instruction]) -> None:
    (check,) = _all(dockerfile, "HEALTHCHECK")
    argv = Instruction("CMD", check.arguments.partition("CMD ")[2], check.line).exec_form()
    assert argv is not None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {**os.environ, "WEGWEISER_PORT": str(port)}
    result = subprocess.run([sys.executable, *argv[1:]], env=environment, capture_output=True, timeout=30)
    assert result.returncode != 0


# --- docker-compose.yml --------------------------------------------------------------------------------


def test_compose_services_and_the_opt_in_translator(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"bot", "db", "translate"}
    assert "profiles" not in services["bot"] and "profiles" not in services["db"]
    assert services["translate"]["profiles"] == ["translate"]
    assert services["translate"]["image"].startswith("libretranslate/libretranslate")
    assert "ports" not in services["translate"], "the translator must not be reachable from outside"
    assert "healthcheck" in services["translate"]


def test_compose_bot_is_built_here_and_waits_for_a_healthy_database(compose: dict[str, Any]) -> None:
    bot = compose["services"]["bot"]
    assert bot["build"] == "."
    assert bot["depends_on"] == {"db": {"condition": "service_healthy"}}


def test_compose_bot_variables_are_settings(compose: dict[str, Any]) -> None:
    environment = compose["services"]["bot"]["environment"]
    assert isinstance(environment, dict)
    unknown = {name for name in environment if _setting(name) not in FIELDS}
    assert not unknown, f"not fields of bot.config.Settings: {sorted(unknown)}"


def test_compose_database_is_postgres_16_with_a_volume_and_a_healthcheck(compose: dict[str, Any]) -> None:
    db = compose["services"]["db"]
    assert db["image"] == "postgres:16"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "ports" not in db, "the database is reachable from the bot only"
    volume, _, target = db["volumes"][0].partition(":")
    assert target == "/var/lib/postgresql/data"
    assert volume in compose["volumes"]


def test_compose_declares_every_named_volume(compose: dict[str, Any]) -> None:
    used = {
        mount.partition(":")[0]
        for service in compose["services"].values()
        for mount in service.get("volumes", [])
        if not mount.startswith((".", "/"))
    }
    assert used == set(compose["volumes"])


def test_compose_publishes_the_exposed_port_on_loopback(
    compose: dict[str, Any], dockerfile: list[Instruction]
) -> None:
    exposed = _all(dockerfile, "EXPOSE")[0].words()[0]
    mappings = [mapping.split(":") for mapping in compose["services"]["bot"]["ports"]]
    assert {host for host, _, _ in mappings} == {"127.0.0.1"}, "published on loopback only"
    assert [host_port for _, host_port, container in mappings if container == exposed] == [exposed]
