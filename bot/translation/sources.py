"""Every German text a woman can see, with where it is written and where it appears.

Each source is one small function returning `SourceText`s; `SOURCES` names them. A source that
cannot be read (a module not there yet, content with errors) raises `SourceError` naming it, so the
extraction never silently drops texts. Native language names are not collected: they are shown as
they are in every language.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from bot.engine.commands import CommandSet, load_commands
from bot.engine.flows import Flow, FlowError, Step, flow_files, parse_flows, read_flow_file
from bot.translation import limits
from bot.translation.limits import Limit
from bot.yaml_file import YamlFile


@dataclass(frozen=True)
class SourceText:
    """One German text: its catalog context, where it is written, and a note for translators.

    `group` places it in conversation order: `<flow>/<step>` for flow texts, else a section such
    as `content:topics` or `action:action_find_offers`.
    """

    context: str
    text: str
    location: tuple[str, int]
    note: str
    limits: tuple[Limit, ...]
    group: str


class SourceError(Exception):
    """A source of texts cannot be read; the message names it and the cause."""


@dataclass(frozen=True)
class Roots:
    flows_dir: Path
    content_dir: Path
    root: Path = field(default_factory=Path.cwd)

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def _commands(roots: Roots) -> CommandSet:
    path = roots.flows_dir / "commands.yml"
    if not path.exists():
        raise SourceError(f"{path} does not exist")
    return load_commands(path)


def _choice_lines(source: YamlFile, flow_id: str, position: int) -> list[int]:
    """The line of each listed choice of a step (after the content ones for `choices: {from:, add:}`)."""
    place: tuple[str | int, ...] = ("flows", flow_id, "steps", position, "choices")
    choices = source.data["flows"][flow_id]["steps"][position].get("choices")
    if isinstance(choices, dict):
        place, choices = (*place, "add"), choices.get("add")
    return [source.line((*place, index)) or 1 for index in range(len(choices or []))]


def _step_texts(
    roots: Roots, path: Path, flow: Flow, step: Step, choice_lines: list[int], commands: CommandSet
) -> list[SourceText]:
    file = roots.relative(path)
    context = f"{flow.id}/{step.id}"
    command_buttons = sum(1 for command in commands.commands if command.button and command.flow != flow.id)
    buttons = len(step.choices) + (command_buttons if step.menu_buttons else 0)
    texts = []
    text_line = _line_of(path, r"(?:^|[\s{,])(?:ask|say)\s*:", step.origin.line)
    if step.text and step.kind == "collect":
        body = limits.WHATSAPP_BODY if buttons or step.choices_from else limits.TELEGRAM_MESSAGE
        note = f"Question in flow {flow.id}, step {step.id}, sent with buttons for her answer."
        texts.append(SourceText(context, step.text, (file, text_line), note, (body,), context))
    elif step.text:
        note = f"Message in flow {flow.id}, step {step.id}."
        texts.append(
            SourceText(context, step.text, (file, text_line), note, (limits.TELEGRAM_MESSAGE,), context)
        )
    listed = buttons + (limits.MAX_REPLY_BUTTONS + 1 if step.choices_from else 0)
    for position, choice in enumerate(step.choices):
        if not choice.translate:
            continue
        start = choice_lines[position] if position < len(choice_lines) else step.origin.line
        line = _line_of(path, r"(?:^|[\s{,])title\s*:", start)
        note = f"Button in flow {flow.id}, step {step.id}: an answer to the question of this step."
        limit = limits.button_limit(listed)
        texts.append(
            SourceText(choice.context or context, choice.title, (file, line), note, (limit,), context)
        )
    return texts


def flow_texts(roots: Roots) -> list[SourceText]:
    """Questions, messages and button titles of `flows/*.yml`."""
    commands = _commands(roots)
    texts: list[SourceText] = []
    for path in flow_files(roots.flows_dir):
        try:
            source = read_flow_file(path)
            flows = parse_flows(source)
        except FlowError as error:
            raise SourceError(f"flows: {error}") from error
        for flow in flows.values():
            for position, step in enumerate(flow.steps):
                lines = _choice_lines(source, flow.id, position)
                texts.extend(_step_texts(roots, path, flow, step, lines, commands))
    return texts


def _line_of(path: Path, pattern: str, after: int = 0) -> int:
    """The first line (1-based) at or after `after` that matches `pattern`, else `after` or 1."""
    regex = re.compile(pattern)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if number >= after and regex.search(line):
            return number
    return max(after, 1)


def command_texts(roots: Roots) -> list[SourceText]:
    """The command buttons under every question and the engine's own messages (`flows/commands.yml`)."""
    path = roots.flows_dir / "commands.yml"
    commands = _commands(roots)
    file = roots.relative(path)
    texts = []
    for command in commands.commands:
        if command.button:
            line = _line_of(path, r"^\s*button:", command.origin.line)
            note = f"Button under most questions: the command {command.id!r} (flow {command.flow})."
            limit = limits.WHATSAPP_BUTTON
            texts.append(
                SourceText(f"commands/{command.id}", command.button, (file, line), note, (limit,), "commands")
            )
    texts_line = _line_of(path, r"^texts:")
    for key, german in commands.texts.items():
        line = _line_of(path, rf"^\s+{re.escape(key)}:", texts_line)
        note = f"The bot's own message {key!r}, in any flow (for example when an answer does not fit)."
        texts.append(
            SourceText(f"engine/{key}", german, (file, line), note, (limits.WHATSAPP_BODY,), "engine")
        )
    return texts


def _content_location(roots: Roots, item_id: str, field_name: str) -> tuple[str, int]:
    """The file and line of `field_name` of the content item `item_id` (best effort: its id line)."""
    for path in sorted(roots.content_dir.rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        if not re.search(rf"^\s*-?\s*id:\s*{re.escape(item_id)}\s*$", text, re.MULTILINE):
            continue
        start = _line_of(path, rf"^\s*-?\s*id:\s*{re.escape(item_id)}\s*$")
        return roots.relative(path), _line_of(path, rf"^\s*{re.escape(field_name)}:", start)
    return roots.relative(roots.content_dir), 1


def content_texts(roots: Roots) -> list[SourceText]:
    """Topic titles, offers' descriptions and hours, hotlines (`content/`, bot/content/translatable.py)."""
    try:
        from bot.content import load_content
        from bot.content.translatable import source_texts
    except ImportError as error:
        raise SourceError(f"content: module cannot be imported ({error})") from error
    try:
        content = load_content(roots.content_dir)
    except Exception as error:
        raise SourceError(f"content: {error}") from error
    texts = []
    for context, german in source_texts(content):
        kind, item_id, *rest = context.split("/")
        field_name = rest[0] if rest else "title"
        location = _content_location(roots, item_id, "title" if kind == "topic" else field_name)
        if kind == "topic":
            topic = content.topic(item_id)
            emoji = topic.emoji if topic else ""
            note = "Topic button in the menu of 'Beratung finden' (find_counselling, ask_topic)."
            limit = limits.button_limit(limits.MAX_REPLY_BUTTONS + 1, emoji)
            texts.append(SourceText(context, german, location, note, (limit,), "content:topics"))
        elif kind == "municipality":
            note = "Name of a town in the place menu (find_counselling, ask_place)."
            limit = limits.WHATSAPP_ROW
            texts.append(SourceText(context, german, location, note, (limit,), "content:municipalities"))
        elif kind == "offer":
            offer = content.offer(item_id)
            name = f"{offer.name} ({offer.organisation})" if offer else item_id
            note = f"Offer {name}: {field_name.replace('_', ' ')}, in the list of counselling offers."
            texts.append(
                SourceText(context, german, location, note, (limits.TELEGRAM_MESSAGE,), "content:offers")
            )
        else:
            hotline = content.hotline(item_id)
            name = hotline.name if hotline else item_id
            note = f"Hotline {name}: {field_name.replace('_', ' ')}, with the emergency numbers and offers."
            texts.append(
                SourceText(context, german, location, note, (limits.TELEGRAM_MESSAGE,), "content:hotlines")
            )
    return texts


ACTIONS = "bot.actions"
CHANNELS = "bot.channels"
TELEGRAM_LIMITS: dict[str, Limit] = {
    "telegram/description": limits.TELEGRAM_DESCRIPTION,
    "telegram/short_description": limits.TELEGRAM_SHORT_DESCRIPTION,
}


def _pairs(module: ModuleType) -> list[tuple[str, str]]:
    """(context, German) of a texts module: its `source_texts()`, else `TEXTS` with `context(key)`."""
    provided = getattr(module, "source_texts", None)
    if callable(provided):
        return [(str(context), str(german)) for context, german in provided()]
    table = getattr(module, "TEXTS", None)
    to_context = getattr(module, "context", None)
    if isinstance(table, dict) and callable(to_context):
        return [(str(to_context(key)), str(german)) for key, german in table.items()]
    raise SourceError(f"module {module.__name__} needs source_texts(), or TEXTS and context(key)")


def _own(module: ModuleType, name: str) -> bool:
    """The module defines the function `name` itself (a module that imports another's texts has none)."""
    function = getattr(module, name, None)
    return callable(function) and getattr(function, "__module__", "") == module.__name__


def _has_texts(module: ModuleType) -> bool:
    return _own(module, "source_texts") or (
        isinstance(getattr(module, "TEXTS", None), dict) and _own(module, "context")
    )


def load_module(module_name: str) -> ModuleType:
    try:
        return importlib.import_module(module_name)
    except Exception as error:
        raise SourceError(
            f"module {module_name} cannot be imported ({type(error).__name__}: {error})"
        ) from error


def module_texts(roots: Roots, module: ModuleType, note: Callable[[str], str]) -> list[SourceText]:
    """The texts of one Python module (see `_pairs`), each with the line of its key."""
    path = Path(inspect.getsourcefile(module) or module.__name__)
    table = getattr(module, "TEXTS", None)
    keys = {str(german): str(key) for key, german in table.items()} if isinstance(table, dict) else {}
    texts = []
    for context, german in _pairs(module):
        key = keys.get(german, context)
        line = _line_of(path, rf"^\s*[\"']{re.escape(key)}[\"']\s*:")
        if context.startswith("telegram/command/"):
            limit = limits.TELEGRAM_COMMAND
        else:
            limit = TELEGRAM_LIMITS.get(context, limits.TELEGRAM_MESSAGE)
        group = (
            f"channel:{context.split('/')[0]}"
            if module.__name__.startswith(CHANNELS)
            else f"action:{context.split('/')[0]}"
        )
        texts.append(
            SourceText(context, german, (roots.relative(path), line), note(context), (limit,), group)
        )
    return texts


def _modules(package_name: str, module_names: Callable[[ModuleType], list[str]]) -> list[ModuleType]:
    package = load_module(package_name)
    return [module for name in module_names(package) if _has_texts(module := load_module(name))]


def action_texts(roots: Roots) -> list[SourceText]:
    """What the actions say: every module of `bot.actions` with texts (`texts.py`, `emergency.py`, ...)."""

    def names(package: ModuleType) -> list[str]:
        return [f"{package.__name__}.{info.name}" for info in pkgutil.iter_modules(package.__path__)]

    return [
        text
        for module in _modules(ACTIONS, names)
        for text in module_texts(
            roots, module, lambda context: f"Said by the action {context.split('/')[0]}."
        )
    ]


def channel_texts(roots: Roots) -> list[SourceText]:
    """What a channel shows itself (Telegram: profile, commands, group answer, deleting traces)."""

    def names(package: ModuleType) -> list[str]:
        found = [
            f"{package.__name__}.{info.name}.texts"
            for info in pkgutil.iter_modules(package.__path__)
            if info.ispkg
        ]
        return [name for name in found if importlib.util.find_spec(name) is not None]

    return [
        text
        for module in _modules(CHANNELS, names)
        for text in module_texts(roots, module, lambda context: f"Only in {context.replace('/', ': ', 1)}.")
    ]


# Modules outside actions and channels whose texts a woman reads: the web page's own words and
# the notice that comes with an announcement.
SHOWN_MODULES = ("bot.web.labels", "bot.outbox.announce")


def module_list_texts(roots: Roots) -> list[SourceText]:
    """The texts of `SHOWN_MODULES`."""
    return [
        text
        for name in SHOWN_MODULES
        for text in module_texts(
            roots, load_module(name), lambda context: f"Shown by {context.split('/')[0]} outside a flow."
        )
    ]


def workshop_texts(roots: Roots) -> list[SourceText]:
    """Workshop titles, descriptions, topics and how to register (`content/workshops.yml`)."""
    from bot.content.workshops import load_workshops, source_texts

    try:
        workshops = load_workshops(roots.content_dir)
    except Exception as error:
        raise SourceError(f"workshops: {error}") from error
    location = (roots.relative(roots.content_dir / "workshops.yml"), 1)
    return [
        SourceText(
            context,
            german,
            location,
            "Workshop in the Kreishaus, in the workshops menu and reminders.",
            (limits.TELEGRAM_MESSAGE,),
            "content:workshops",
        )
        for context, german in source_texts(workshops)
    ]


SOURCES: dict[str, Callable[[Roots], list[SourceText]]] = {
    "flows": flow_texts,
    "commands": command_texts,
    "content": content_texts,
    "actions": action_texts,
    "channels": channel_texts,
    "modules": module_list_texts,
    "workshops": workshop_texts,
}

# Content shown by an action, placed after that action in conversation order.
_ACTION_CONTENT: dict[str, tuple[str, ...]] = {
    "action_find_offers": ("content:offers", "content:hotlines"),
    "action_show_emergency": ("content:hotlines",),
    "action_show_emergency_details": ("content:hotlines", "content:offers"),
}
_FIRST_FLOWS = ("welcome", "main_menu")


def _flow_order(flows: dict[str, Flow], commands: CommandSet) -> list[str]:
    """Flows as she meets them: welcome, the menu, what they link to, then the commands' flows."""
    order: list[str] = []
    queue = [name for name in _FIRST_FLOWS if name in flows]
    queue += [command.flow for command in commands.commands] + sorted(flows)
    while queue:
        flow_id = queue.pop(0)
        if flow_id in order or flow_id not in flows:
            continue
        order.append(flow_id)
        links = [choice.link for step in flows[flow_id].steps for choice in step.choices if choice.link]
        links += [step.link for step in flows[flow_id].steps if step.link]
        queue[0:0] = [link for link in links if link not in order]
    return order


def conversation_slots(roots: Roots) -> list[str]:
    """Groups in the order she meets them: each step, then the content and action texts it shows."""
    flows: dict[str, Flow] = {}
    for path in flow_files(roots.flows_dir):
        try:
            flows.update(parse_flows(read_flow_file(path)))
        except FlowError as error:
            raise SourceError(f"flows: {error}") from error
    slots: list[str] = []
    for flow_id in _flow_order(flows, _commands(roots)):
        for step in flows[flow_id].steps:
            slots.append(f"{flow_id}/{step.id}")
            if step.choices_from:
                slots.append(f"content:{step.choices_from}")
            if step.action:
                slots += [f"action:{step.action}", *_ACTION_CONTENT.get(step.action, ())]
    slots += ["commands", "engine"]
    return list(dict.fromkeys(slots))


def in_conversation_order(texts: Iterable[SourceText], slots: list[str]) -> list[SourceText]:
    rank = {slot: position for position, slot in enumerate(slots)}
    ordered = sorted(enumerate(texts), key=lambda pair: (rank.get(pair[1].group, len(rank)), pair[0]))
    return [text for _, text in ordered]


def collect_texts(roots: Roots, skip: Iterable[str] = ()) -> list[SourceText]:
    """All texts of all sources (but those in `skip`), in conversation order."""
    unknown = set(skip) - set(SOURCES)
    if unknown:
        raise SourceError(f"unknown source(s) {', '.join(sorted(unknown))}; known: {', '.join(SOURCES)}")
    texts = [text for name, source in SOURCES.items() if name not in skip for text in source(roots)]
    return in_conversation_order(texts, conversation_slots(roots))
