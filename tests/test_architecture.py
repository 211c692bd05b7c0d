"""The import rules of DESIGN.md, checked by walking every module's imports and their closure."""

from __future__ import annotations

import ast
import graphlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[1] / "bot"
COMPOSITION_ROOT = ("bot/cli/", "bot/__main__")
# Where she gets her answers: nothing here may reach the translators' tools or the command line.
ANSWERING_PATH = (
    "bot/engine/",
    "bot/runtime/",
    "bot/channels/",
    "bot/web/",
    "bot/understanding/",
    "bot/actions/",
)


@dataclass(frozen=True)
class Module:
    path: str  # bot/engine/flows.py
    imported: frozenset[str]  # every name imported, at the top or inside a function
    bot_modules: frozenset[str]  # the modules of bot/ among them; `from package import module` counts


def module_name(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = BOT.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


@cache
def modules() -> dict[str, Module]:
    found: dict[str, Module] = {}
    for path in sorted(BOT.rglob("*.py")):
        if "migrations" in path.parts and path.name != "env.py":
            continue
        imported: set[str] = set()
        bot_modules: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
                bot_modules.update(alias.name for alias in node.names if alias.name.startswith("bot."))
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module)
                if node.module == "bot" or node.module.startswith("bot."):
                    for alias in node.names:
                        submodule = f"{node.module}.{alias.name}"
                        bot_modules.add(submodule if is_module(submodule) else node.module)
        found[module_name(path)] = Module(
            path.relative_to(BOT.parent).as_posix(), frozenset(imported), frozenset(bot_modules)
        )
    return found


def import_graph() -> dict[str, set[str]]:
    return {name: set(module.bot_modules) for name, module in modules().items()}


@cache
def closure(name: str) -> frozenset[str]:
    """Every module of bot/ that importing `name` runs, itself and the parent packages included."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen or current not in modules():
            continue
        seen.add(current)
        todo.extend(modules()[current].bot_modules)
        parts = current.split(".")
        todo.extend(".".join(parts[:end]) for end in range(1, len(parts)))
    return frozenset(seen)


def names(imported: set[str] | frozenset[str], roots: tuple[str, ...]) -> set[str]:
    return {name for name in imported if any(name == root or name.startswith(root + ".") for root in roots)}


def importers_of(*roots: str) -> set[str]:
    """The files that import one of `roots` themselves."""
    return {module.path for module in modules().values() if names(module.imported, roots)}


def reachers_of(*roots: str) -> set[str]:
    """The files whose import closure imports one of `roots` somewhere."""
    found = set()
    for name, module in modules().items():
        if any(names(modules()[other].imported, roots) for other in closure(name)):
            found.add(module.path)
    return found


def package_of(module: str) -> str:
    """`bot.engine.flows` belongs to `bot.engine`; a module directly in bot/ is its own package."""
    return ".".join(module.split(".")[:2])


def cycle_in(graph: dict[str, set[str]]) -> list[str]:
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        return list(error.args[1])
    return []


def test_engine_does_no_io() -> None:
    """Not even through a module it imports: the engine's whole closure stays free of I/O."""
    forbidden = (
        "sqlalchemy",
        "alembic",
        "telegram",
        "pywa",
        "starlette",
        "uvicorn",
        "httpx",
        "deep_translator",
        "apscheduler",
        "rasa_sdk",
        "bot.store",
        "bot.channels",
        "bot.web",
        "bot.runtime",
        "bot.actions",
        "bot.outbox",
        "bot.scheduling",
        "bot.staff",
        "bot.translation",
        "bot.cli",
        "socket",
        "requests",
    )
    offenders = {module for module in reachers_of(*forbidden) if module.startswith("bot/engine/")}
    assert offenders == set()


def test_understanding_stays_pure() -> None:
    """Hearing what she typed needs no web, no database, no messenger: the closure of
    bot/understanding reaches none of them."""
    forbidden = (
        "sqlalchemy",
        "alembic",
        "telegram",
        "pywa",
        "starlette",
        "uvicorn",
        "httpx",
        "requests",
        "socket",
        "urllib",
        "deep_translator",
        "apscheduler",
        "rasa_sdk",
        "bot.store",
        "bot.channels",
        "bot.web",
        "bot.runtime",
        "bot.actions",
        "bot.outbox",
        "bot.scheduling",
        "bot.staff",
        "bot.reports",
        "bot.translation",
        "bot.cli",
    )
    offenders = {module for module in reachers_of(*forbidden) if module.startswith("bot/understanding/")}
    assert offenders == set()


@pytest.mark.parametrize(
    ("package", "allowed"),
    [
        ("sqlalchemy", ("bot/store/",)),
        ("alembic", ("bot/store/",)),
        ("telegram", ("bot/channels/telegram/",)),
        ("pywa", ("bot/channels/whatsapp/",)),
        ("starlette", ("bot/web/",)),
        ("deep_translator", ("bot/translation/draft", "bot/translation/machine")),
        ("rasa_sdk", ("bot/actions/", "bot/web/action_server", *COMPOSITION_ROOT)),
        ("apscheduler", ("bot/scheduling/", *COMPOSITION_ROOT)),
        # Babel's PO tooling: the translators' tools, and the catalog reading the PO files at start
        ("babel.messages", ("bot/translation/", "bot/i18n/catalog", "bot/i18n/status")),
        # the rest of Babel (dates, language names in her language) also where actions write answers
        ("babel", ("bot/translation/", "bot/i18n/catalog", "bot/i18n/status", "bot/actions/")),
    ],
)
def test_frameworks_stay_in_their_layer(package: str, allowed: tuple[str, ...]) -> None:
    offenders = {module for module in importers_of(package) if not module.startswith(allowed)}
    assert offenders == set(), f"{package} imported outside {allowed}"


@pytest.mark.parametrize(
    ("package", "allowed"),
    [
        ("telegram", ("bot/channels/telegram/", *COMPOSITION_ROOT)),
        ("pywa", ("bot/channels/whatsapp/", *COMPOSITION_ROOT)),
        ("starlette", ("bot/web/", *COMPOSITION_ROOT)),
        ("uvicorn", ("bot/web/", *COMPOSITION_ROOT)),
        ("rasa_sdk", ("bot/actions/", "bot/web/action_server", *COMPOSITION_ROOT)),
        ("apscheduler", ("bot/scheduling/", *COMPOSITION_ROOT)),
        # machine drafts: the translators' tools and the staff desk's drafts of a broadcast
        ("deep_translator", ("bot/translation/", "bot/staff/drafts", *COMPOSITION_ROOT)),
    ],
)
def test_frameworks_are_reached_only_from_their_layer(package: str, allowed: tuple[str, ...]) -> None:
    """Transitively: no module pulls a framework in through a module that imports it."""
    offenders = {module for module in reachers_of(package) if not module.startswith(allowed)}
    assert offenders == set(), f"{package} reached from outside {allowed}"


def test_answering_path_never_reaches_the_translators_tools() -> None:
    offenders = {
        module for module in reachers_of("bot.translation", "bot.cli") if module.startswith(ANSWERING_PATH)
    }
    assert offenders == set()


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
        for module in reachers_of("bot.store", "bot.engine.engine", "bot.runtime")
        if module.startswith(("bot/channels/", "bot/web/"))
    }
    assert offenders == set()


def test_no_any_from_helpers_that_import_locally() -> None:
    """A helper that imports inside itself (to keep a command's start fast) names its types
    under TYPE_CHECKING instead of answering `Any`, so mypy still checks its callers."""
    offenders = []
    for path in sorted(BOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if not any(isinstance(inner, ast.Import | ast.ImportFrom) for inner in ast.walk(node)):
                continue
            arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            annotations = [argument.annotation for argument in arguments if argument.annotation]
            annotations += [node.returns] if node.returns else []
            if any(
                isinstance(part, ast.Name) and part.id == "Any" for a in annotations for part in ast.walk(a)
            ):
                offenders.append(f"{path.relative_to(BOT.parent)}:{node.lineno} {node.name}")
    assert offenders == []


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
