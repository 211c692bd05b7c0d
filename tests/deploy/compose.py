"""docker compose's reading of docker-compose.yml and .env, enough of it to check ours without Docker.

Interpolation as compose does it: `$$` is a dollar sign; `${NAME}`, `$NAME`; `${NAME:-default}` (unset or
empty) and `${NAME-default}` (unset); `${NAME:?message}` and `${NAME?message}` stop with the message.
The `.env` file: NAME=value lines, `#` comments, optional quotes. Then a service's `env_file` is merged
under its `environment` (the `environment` lines win), as compose does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))"
)


class MissingVariable(ValueError):
    """A `${NAME:?message}` whose variable is not set: compose stops with the message."""


def read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, separator, value = line.partition("=")
        if not separator:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def interpolate(text: str, env: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group("escaped"):
            return "$"
        name = match.group("braced") or match.group("plain")
        op, arg = match.group("op"), match.group("arg") or ""
        value = env.get(name)
        unset_or_empty = value is None or (value == "" and op is not None and op.startswith(":"))
        if op in (":-", "-"):
            return arg if (value is None or unset_or_empty) else value
        if op in (":?", "?"):
            if value is None or unset_or_empty:
                raise MissingVariable(f"{name}: {arg}")
            return value
        return value or ""

    return _VARIABLE.sub(replace, text)


def _walk(node: Any, env: dict[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [_walk(item, env) for item in node]
    if isinstance(node, dict):
        return {key: _walk(value, env) for key, value in node.items()}
    return node


def render(folder: Path, profiles: tuple[str, ...] = ()) -> dict[str, Any]:
    """docker-compose.yml in `folder` with its `.env` applied, services outside `profiles` left out."""
    env_path = folder / ".env"
    env = read_env_file(env_path) if env_path.exists() else {}
    data: dict[str, Any] = _walk(yaml.safe_load((folder / "docker-compose.yml").read_text()), env)
    active = set(profiles) | {p.strip() for p in env.get("COMPOSE_PROFILES", "").split(",") if p.strip()}
    services = {}
    for name, service in data["services"].items():
        if service.get("profiles") and not active & set(service["profiles"]):
            continue
        files = service.pop("env_file", [])
        merged: dict[str, str] = {}
        for file in [files] if isinstance(files, str) else files:
            merged.update(read_env_file(folder / file))
        environment = service.get("environment", {})
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) for item in environment)
        merged.update({key: str(value) for key, value in environment.items()})
        service["environment"] = merged
        services[name] = service
    data["services"] = services
    return data
