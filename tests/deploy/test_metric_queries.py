"""The PromQL in the README and the sample Grafana dashboard name metrics the bot really exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bot.metrics import REGISTRY, QueueDepth

ROOT = Path(__file__).resolve().parents[2]
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}


def _exported() -> set[str]:
    families = [*REGISTRY.collect(), *QueueDepth(dict).collect()]
    return {family.name + suffix for family in families for suffix in SUFFIXES[family.type]}


def _used(text: str) -> set[str]:
    return set(re.findall(r"\bwegweiser_[a-z_]+", text))


def test_the_readme_queries_name_exported_metrics() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("**Metrics.**", 1)[1].split("\n## ", 1)[0]
    used = _used(section)
    assert len(used) >= 8
    assert used <= _exported(), sorted(used - _exported())


def test_the_grafana_dashboard_queries_name_exported_metrics() -> None:
    dashboard = json.loads((ROOT / "deploy" / "grafana" / "wegweiser.json").read_text(encoding="utf-8"))
    expressions = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    used = set().union(*(_used(expression) for expression in expressions))
    assert used <= _exported(), sorted(used - _exported())
    # every metric the bot exports has a panel
    families = {
        name.removesuffix(suffix)
        for name in used
        for suffix in ("_total", "_bucket")
        if name.endswith(suffix)
    }
    assert {family.name for family in REGISTRY.collect()} <= families | used
    assert "deploy/grafana/wegweiser.json" in (ROOT / "README.md").read_text(encoding="utf-8")
