"""The import rules of DESIGN.md, checked by walking every module's imports."""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[1] / "bot"


def modules() -> Iterator[tuple[str, set[str]]]:
    for path in sorted(BOT.rglob("*.py")):
        if "migrations" in path.parts and path.name != "env.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module)
        yield path.relative_to(BOT.parent).as_posix(), imported


def module_name(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = BOT.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def import_graph() -> dict[str, set[str]]:
    """Every module of bot/ and the modules of bot/ it imports, at the top or inside a function;
    `from package import module` counts as importing the module."""
    graph: dict[str, set[str]] = {}
    for path in sorted(BOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    targets.add(submodule if is_module(submodule) else node.module)
        graph[module_name(path)] = {name for name in targets if name == "bot" or name.startswith("bot.")}
    return graph


def package_of(module: str) -> str:
    """`bot.engine.flows` belongs to `bot.engine`; a module directly in bot/ is its own package."""
    return ".".join(module.split(".")[:2])


def cycle_in(graph: dict[str, set[str]]) -> list[str]:
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        return list(error.args[1])
    return []


def importers_of(*roots: str) -> set[str]:
    return {
        module
        for module, imported in modules()
        if any(name == root or name.startswith(root + ".") for name in imported for root in roots)
    }


def test_engine_does_no_io() -> None:
    forbidden = (
        "sqlalchemy",
        "telegram",
        "starlette",
        "uvicorn",
        "httpx",
        "deep_translator",
        "apscheduler",
        "bot.store",
        "bot.channels",
        "bot.web",
        "bot.runtime",
        "bot.actions",
        "socket",
        "requests",
    )
    offenders = {module for module in importers_of(*forbidden) if module.startswith("bot/engine/")}
    assert offenders == set()


@pytest.mark.parametrize(
    ("package", "allowed"),
    [
        ("sqlalchemy", ("bot/store/",)),
        ("alembic", ("bot/store/",)),
        ("telegram", ("bot/channels/telegram/",)),
        ("starlette", ("bot/web/",)),
        ("deep_translator", ("bot/translation/draft", "bot/translation/machine")),
    ],
)
def test_frameworks_stay_in_their_layer(package: str, allowed: tuple[str, ...]) -> None:
    offenders = {module for module in importers_of(package) if not module.startswith(allowed)}
    assert offenders == set(), f"{package} imported outside {allowed}"


def test_no_package_imports_itself_through_another() -> None:
    packages: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        packages.setdefault(package_of(module), set()).update(
            package_of(target) for target in targets if package_of(target) != package_of(module)
        )
    assert cycle_in(packages) == []


def test_no_module_imports_itself_through_another() -> None:
    """Within a package too: a module's imports form no loop (a parent package's `__init__` aside)."""
    graph = {
        module: {target for target in targets if not module.startswith(target + ".")}
        for module, targets in import_graph().items()
    }
    assert cycle_in(graph) == []


def test_channels_do_not_reach_into_store_or_engine_internals() -> None:
    offenders = {
        module
        for module in importers_of("bot.store", "bot.engine.engine", "bot.runtime")
        if module.startswith(("bot/channels/", "bot/web/"))
    }
    assert offenders == set()


def test_no_conversation_handler_or_ptb_persistence() -> None:
    """The conversation state is the engine's session; PTB keeps none of it."""
    forbidden = {"ConversationHandler", "PicklePersistence", "BasePersistence", "DictPersistence", "JobQueue"}
    for path in BOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        used |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        used |= {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names
        }
        assert not used & forbidden, f"{used & forbidden} in {path}"


def test_actions_are_rasa_sdk_actions_reaching_data_through_the_store_interface() -> None:
    offenders = {module for module in importers_of("sqlalchemy") if module.startswith("bot/actions/")}
    assert offenders == set()
    for path in (BOT / "actions").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name.startswith("Action"):
                bases = {ast.unparse(base) for base in node.bases}
                assert bases & {"Action", "rasa_sdk.Action"}, (
                    f"{node.name} in {path.name} is not a rasa_sdk Action"
                )


def test_no_utils_and_no_managers() -> None:
    assert not [path for path in BOT.rglob("*.py") if path.stem in {"utils", "helpers", "misc", "common"}]
    for path in BOT.rglob("*.py"):
        assert "Manager(" not in path.read_text(encoding="utf-8") or "class " not in path.read_text(), path


def test_modules_stay_small() -> None:
    large = {
        path.relative_to(BOT).as_posix(): n
        for path in BOT.rglob("*.py")
        if (n := len(path.read_text().splitlines())) > 450
    }
    assert large == {}
