"""Builds the running bot from settings: store, content, catalog, engine, actions, host."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rasa_sdk import Action
from rasa_sdk.executor import ActionExecutor

from bot.actions.emergency import ActionShowEmergency, ActionShowEmergencyDetails
from bot.actions.offers import ActionFindOffers
from bot.actions.privacy import ActionDeleteData
from bot.actions.registry import build_executor
from bot.actions.reports import report_actions
from bot.actions.workshops import build_workshop_actions, workshop_choices
from bot.cli.database import open_store
from bot.config import Settings
from bot.content import Content, load_content
from bot.content.workshops import Workshops, load_workshops
from bot.engine.commands import load_commands
from bot.engine.engine import Engine
from bot.engine.flows import Choice, load_flows
from bot.i18n.catalog import Catalog
from bot.i18n.detect import suggest_language
from bot.runtime.host import Host
from bot.store.reports import ReportStore
from bot.store.store import Store
from bot.understanding import listener


@dataclass
class Wiring:
    settings: Settings
    store: Store
    content: Content
    catalog: Catalog
    engine: Engine
    executor: ActionExecutor
    host: Host
    workshops: Workshops


def content_menus(content: Content) -> dict[str, list[Choice]]:
    """The menus whose buttons come from content: topics and municipalities."""
    topics = [
        Choice(
            value=topic.id,
            title=topic.title,
            emoji=topic.emoji,
            keywords={code: tuple(words) for code, words in topic.keywords.items()},
            context=f"topic/{topic.id}",
        )
        for topic in content.topics
    ]
    places = [Choice(value=place.id, title=place.name, translate=False) for place in content.municipalities]
    return {"topics": topics, "municipalities": places}


def build_actions(
    settings: Settings, content: Content, workshops: Workshops, catalog: Catalog, store: Store
) -> Sequence[Action]:
    return [
        ActionFindOffers(content, catalog),
        ActionShowEmergency(content, catalog),
        ActionShowEmergencyDetails(content, catalog),
        ActionDeleteData(store),
        *report_actions(content, catalog, ReportStore.of(store), pepper=settings.report_pepper.encode()),
        *build_workshop_actions(workshops, catalog, store),
    ]


def build(settings: Settings, *, create: bool = True) -> Wiring:
    """The bot at the newest schema; `create` (only `run`) may create the database."""
    store = open_store(settings, create=create, quiet=True)
    content = load_content(settings.content_dir)
    workshops = load_workshops(settings.content_dir)
    if not settings.demo:
        workshops = workshops.without_examples()
    catalog = Catalog.load(settings.locale_dir, serve_drafts=settings.serve_drafts)
    engine = Engine(
        load_flows(settings.flows_dir),
        load_commands(settings.flows_dir / "commands.yml"),
        catalog,
        {**content_menus(content), "workshops": workshop_choices(workshops)},
        detect=suggest_language,
        understanding=listener.start(settings.nlu_dir, settings.data_dir),
    )
    executor = build_executor(build_actions(settings, content, workshops, catalog, store))
    host = Host(engine, store, executor, sources=settings.link_sources)
    return Wiring(settings, store, content, catalog, engine, executor, host, workshops)
