"""`wegweiser flows graph --lang ar`: every flow as a diagram with its texts in one language.

Mermaid in Markdown (`.md`, or printed when no `--out` is given), Graphviz DOT (`.dot`), or SVG/PNG drawn
by Graphviz's `dot` program, which must be installed (Debian: `apt-get install graphviz`).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.config import Settings

console = Console()


def graph(
    lang: Annotated[str, typer.Option("--lang", help="Language of the texts (default: German).")] = "de",
    out: Annotated[
        Path | None, typer.Option(help="flows.md (Mermaid), .dot, .svg or .png; none: print Mermaid.")
    ] = None,
    flows_dir: Annotated[Path | None, typer.Option(help="Folder of flow files.")] = None,
    locale_dir: Annotated[Path | None, typer.Option(help="Folder of the catalogs.")] = None,
) -> None:
    """Draw each flow with its texts in one language, so an interpreter sees a flow at a glance."""
    from bot.engine.flows import load_flows
    from bot.i18n.catalog import Catalog
    from bot.i18n.languages import BY_CODE
    from bot.translation.diagram import diagrams, dot, markdown

    if lang not in BY_CODE:
        console.print(f"[red]unknown language {lang!r}[/red]; choose one of {' '.join(BY_CODE)}")
        raise typer.Exit(2)
    settings = Settings()
    flows = load_flows(flows_dir or settings.flows_dir)
    drawn = diagrams(flows, Catalog.load(locale_dir or settings.locale_dir, serve_drafts=True), lang)
    suffix = out.suffix.lower() if out else ""
    if out is None:
        print(markdown(drawn, lang))
        return
    if suffix in (".md", ".mmd", ".markdown"):
        out.write_text(markdown(drawn, lang), encoding="utf-8")
    elif suffix == ".dot":
        out.write_text(dot(drawn), encoding="utf-8")
    elif suffix in (".svg", ".png"):
        program = shutil.which("dot")
        if program is None:
            console.print(
                "[red]Graphviz `dot` is not installed[/red] (apt-get install graphviz); use --out flows.md"
            )
            raise typer.Exit(1)
        done = subprocess.run(
            [program, f"-T{suffix[1:]}", "-o", str(out)],
            input=dot(drawn).encode(),
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            console.print(f"[red]dot failed:[/red] {done.stderr.decode(errors='replace')}", highlight=False)
            raise typer.Exit(1)
    else:
        console.print(f"[red]unknown output type {suffix!r}[/red]: use .md, .dot, .svg or .png")
        raise typer.Exit(2)
    console.print(f"{len(drawn)} flows → {out}", highlight=False)
