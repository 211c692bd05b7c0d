"""Each flow drawn as a diagram with its texts in one language, so an interpreter sees a flow at a glance.

One small graph model (`Node`, `Edge`) is built from the flows and the catalog, then written as Mermaid
(Markdown with one diagram per flow; GitHub and many editors draw it) or as Graphviz DOT (for SVG/PNG
through the `dot` program). A text with no translation shows German, marked `[de]`.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from bot.engine.flows import END, Flow, Step
from bot.i18n.catalog import Catalog

Shape = Literal["question", "message", "action", "slots", "flow", "end"]
MAX_TEXT = 160
WRAP = 48  # characters per line inside a box
_SHAPES: dict[str, Shape] = {
    "collect": "question",
    "say": "message",
    "action": "action",
    "set_slots": "slots",
}


@dataclass(frozen=True)
class Node:
    id: str
    shape: Shape
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""


@dataclass(frozen=True)
class Diagram:
    flow: str
    description: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def _wrapped(lines: Iterable[str]) -> list[str]:
    return [part for line in lines for part in (textwrap.wrap(line, WRAP) or [""])]


def _node_id(flow: str, name: str) -> str:
    return re.sub(r"\W", "_", f"{flow}__{name}")


def _say(catalog: Catalog, language: str, german: str, context: str) -> str:
    localized = catalog.text(language, german, context)
    text = localized.text if len(localized.text) <= MAX_TEXT else localized.text[: MAX_TEXT - 1] + "…"
    return f"{text} [de]" if localized.status == "missing" else text


def _step_node(flow: Flow, step: Step, catalog: Catalog, language: str) -> Node:
    context = f"{flow.id}/{step.id}"
    lines = [step.id]
    if step.text:
        lines.append(_say(catalog, language, step.text, context))
    for choice in step.choices:
        if not choice.link:
            lines.append("• " + _say(catalog, language, choice.title, choice.context or context))
    if step.choices_from:
        lines.append(f"• [{step.choices_from}]")
    if step.location:
        lines.append("• [location]")
    if step.kind == "action":
        lines.append(step.action)
    if step.kind == "set_slots":
        lines.append(", ".join(f"{slot} = {value}" for slot, value in step.set_slots.items()))
    shape = _SHAPES.get(step.kind, "flow")
    return Node(_node_id(flow.id, step.id), shape, tuple(lines))


def flow_diagram(flow: Flow, catalog: Catalog, language: str) -> Diagram:
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    end = _node_id(flow.id, END)

    def target(name: str) -> str:
        if name == END:
            nodes.setdefault(end, Node(end, "end", ("END",)))
            return end
        return _node_id(flow.id, name)

    def other_flow(name: str) -> str:
        node = _node_id(flow.id, "to_" + name)
        nodes.setdefault(node, Node(node, "flow", (f"→ {name}",)))
        return node

    for position, step in enumerate(flow.steps):
        node = _step_node(flow, step, catalog, language)
        nodes[node.id] = node
        for choice in step.choices:
            if choice.link:
                edges.append(
                    Edge(
                        node.id,
                        other_flow(choice.link),
                        _say(catalog, language, choice.title, choice.context),
                    )
                )
        if step.kind == "link":
            edges.append(Edge(node.id, other_flow(step.link)))
            continue
        if step.next:
            for branch in step.next:
                label = (
                    branch.condition.source if branch.condition else ("else" if len(step.next) > 1 else "")
                )
                edges.append(Edge(node.id, target(branch.target), label))
        else:
            following = flow.steps[position + 1].id if position + 1 < len(flow.steps) else END
            edges.append(Edge(node.id, target(following)))
    return Diagram(flow.id, flow.description, tuple(nodes.values()), tuple(edges))


def diagrams(flows: Mapping[str, Flow], catalog: Catalog, language: str) -> list[Diagram]:
    return [flow_diagram(flow, catalog, language) for flow in flows.values()]


# -- Mermaid ------------------------------------------------------------------------------------

_MERMAID_SHAPES: dict[Shape, tuple[str, str]] = {
    "question": ("(", ")"),
    "message": ("[", "]"),
    "action": ("[[", "]]"),
    "slots": ("[/", "/]"),
    "flow": ("{{", "}}"),
    "end": ("((", "))"),
}


def _mermaid_text(text: str) -> str:
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def mermaid(diagram: Diagram) -> str:
    lines = ["flowchart TD"]
    for node in diagram.nodes:
        left, right = _MERMAID_SHAPES[node.shape]
        label = "<br>".join(_mermaid_text(line) for line in _wrapped(node.lines))
        lines.append(f'    {node.id}{left}"{label}"{right}')
    for edge in diagram.edges:
        label = f'|"{_mermaid_text(edge.label)}"|' if edge.label else ""
        lines.append(f"    {edge.source} -->{label} {edge.target}")
    return "\n".join(lines)


def markdown(diagrams_: list[Diagram], language: str) -> str:
    parts = [f"# Wegweiser flows ({language})", ""]
    for diagram in diagrams_:
        parts += [
            f"## {diagram.flow}",
            "",
            diagram.description,
            "",
            "```mermaid",
            mermaid(diagram),
            "```",
            "",
        ]
    return "\n".join(parts)


# -- Graphviz -----------------------------------------------------------------------------------

_DOT_SHAPES: dict[Shape, str] = {
    "question": 'shape=box, style="rounded,filled", fillcolor="#e8f0fe"',
    "message": "shape=box",
    "action": 'shape=box, style="filled", fillcolor="#eeeeee", peripheries=2',
    "slots": "shape=parallelogram",
    "flow": 'shape=hexagon, style="filled", fillcolor="#fff4d6"',
    "end": "shape=circle",
}


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def dot(diagrams_: list[Diagram]) -> str:
    """One DOT graph with a cluster per flow."""
    lines = ["digraph wegweiser {", '  rankdir=TB; node [fontname="Noto Sans"]; edge [fontname="Noto Sans"];']
    for number, diagram in enumerate(diagrams_):
        lines.append(f'  subgraph cluster_{number} {{ label="{_dot_text(diagram.flow)}";')
        for node in diagram.nodes:
            label = "\\n".join(_dot_text(line) for line in _wrapped(node.lines))
            lines.append(f'    {node.id} [label="{label}", {_DOT_SHAPES[node.shape]}];')
        for edge in diagram.edges:
            label = f' [label="{_dot_text(edge.label)}"]' if edge.label else ""
            lines.append(f"    {edge.source} -> {edge.target}{label};")
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines)
