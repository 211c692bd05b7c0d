"""Prometheus metrics: how the bot is doing, never anything about a person.

Labels take values from small fixed sets only (channel, the kind of input, an error's class, an SQL
verb): no chat id, session, text, language of one woman or time of one message. The metrics are served
on a port of their own (`WEGWEISER_METRICS_PORT`), not beside the web chat, so a public reverse proxy
never exposes them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from threading import Thread
from typing import Any
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REGISTRY = CollectorRegistry(auto_describe=True)
_FAST = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

TURNS = Counter(
    "wegweiser_turns", "Turns handled, by channel and kind of input.", ["channel", "kind"], registry=REGISTRY
)
REPLIES = Counter("wegweiser_replies", "Messages sent in answer to turns.", ["channel"], registry=REGISTRY)
ERRORS = Counter(
    "wegweiser_errors",
    "Failures by where they happened and their kind.",
    ["where", "kind"],
    registry=REGISTRY,
)
TURN_SECONDS = Histogram(
    "wegweiser_turn_seconds",
    "Time from her message to the answer.",
    ["channel"],
    buckets=_FAST,
    registry=REGISTRY,
)
OUTBOX_RESULTS = Counter(
    "wegweiser_outbox_results",
    "Outbox sends by channel and result (sent, or the kind of failure).",
    ["channel", "result"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "wegweiser_rate_limited",
    "429 answers (retry_after) from a messenger's API.",
    ["channel"],
    registry=REGISTRY,
)
SCHEDULER_LAG = Histogram(
    "wegweiser_scheduler_lag_seconds",
    "How late scheduled jobs (reminders, broadcasts, retention) start after their time.",
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 3600.0),
    registry=REGISTRY,
)
DATABASE_SECONDS = Histogram(
    "wegweiser_database_statement_seconds",
    "Time of one SQL statement, by its verb.",
    ["verb"],
    buckets=_FAST,
    registry=REGISTRY,
)
UP = Gauge("wegweiser_up", "1 while the bot runs.", registry=REGISTRY)

_VERBS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "BEGIN", "COMMIT", "ROLLBACK"})


def verb(statement: str) -> str:
    """The statement's first word when it is a known verb, else `OTHER` (never any of its values)."""
    word = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
    return word if word in _VERBS else "OTHER"


def error_kind(error: BaseException) -> str:
    """An exception's class name: a fixed set from the code, never its message (which may quote her)."""
    return type(error).__name__


class QueueDepth(Collector):
    """Outbox rows waiting per channel, read from the database when Prometheus scrapes."""

    def __init__(self, waiting: Callable[[], dict[str, int]]) -> None:
        self._waiting = waiting

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "wegweiser_outbox_waiting", "Outbox messages not yet sent, by channel.", labels=["channel"]
        )
        try:
            for channel, count in sorted(self._waiting().items()):
                family.add_metric([channel], count)
        except Exception as error:
            ERRORS.labels("metrics", error_kind(error)).inc()
        yield family


class Timer:
    """`with Timer(histogram.labels(...))`: observe the seconds the block took."""

    def __init__(self, histogram: Any) -> None:
        self._histogram = histogram
        self._start = 0.0

    def __enter__(self) -> Timer:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self._histogram.observe(time.perf_counter() - self._start)


_depth: list[QueueDepth] = []


def serve_metrics(host: str, port: int, waiting: Callable[[], dict[str, int]]) -> tuple[WSGIServer, Thread]:
    """Serve /metrics on `host:port` in a thread of its own; OSError when the port is taken."""
    while _depth:  # a second bot in the same process (tests) reads its own database
        REGISTRY.unregister(_depth.pop())
    _depth.append(QueueDepth(waiting))
    REGISTRY.register(_depth[0])
    server, thread = start_http_server(port, addr=host, registry=REGISTRY)
    UP.set(1)
    return server, thread
