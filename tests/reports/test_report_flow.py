"""The report flow end to end: real host, flows, content, actions and store (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from bot.reports import categories
from bot.reports.scrub import EMAIL_MARK, PHONE_MARK
from tests.reports.conftest import FREE_TEXT, REPORT_STEPS, Bot, Chat, file_report


def report_slots(chat: Chat) -> dict[str, object]:
    slots = chat.session()["slots"]
    assert isinstance(slots, dict)
    return {name: value for name, value in slots.items() if name.startswith("report")}


@pytest.mark.parametrize("language", ["de", "ar", "uk"])
async def test_a_complete_report_is_stored_without_identity(bot: Bot, language: str) -> None:
    chat = Chat(bot, "4711")
    await chat.welcome(language)
    code = await file_report(chat)

    [report] = bot.mixed()
    assert report.language == language
    assert report.forms == ("no_answer",)
    assert (report.stage, report.actor, report.municipality) == ("viewing", "private_landlord", "dueren")
    assert (report.incident_month, report.incident, report.reported_week) == ("2026-10", "month", "2026-W48")
    assert report.grounds == ("religion",)
    assert report.text is not None and PHONE_MARK in report.text and EMAIL_MARK in report.text
    assert "0151" not in report.text and "web.de" not in report.text
    assert len(code.replace(" ", "")) == 16 and code.replace(" ", "").isdigit()
    # two messages, then the menu: the thanks with the code, her rights with counselling
    assert chat.msgids() == [
        "action_report_submit/thanks",
        "action_report_submit/deadline",
        "main_menu/choose",
    ]
    assert "Antidiskriminierungsstelle" in chat.said("action_report_submit/deadline").text
    # the reply ends at the main menu, and the conversation keeps nothing of the report
    assert chat.last[-1].msgid == "main_menu/choose"
    assert report_slots(chat) == {}
    assert code.replace(" ", "") not in str(chat.session())


async def test_her_language_is_used_or_german_with_a_notice(bot: Bot) -> None:
    chat = Chat(bot, "4712")
    await chat.welcome("ar")
    await chat.tap("main_menu/choose=report")
    assert chat.last[-1].msgid == "report/intro"
    question = chat.last[-1]
    assert question.status in ("reviewed", "draft", "missing")
    assert question.dir == ("ltr" if question.status == "missing" else "rtl")  # German fallback reads ltr


async def test_the_scrub_is_told_and_the_summary_shows_the_scrubbed_text(bot: Bot) -> None:
    chat = Chat(bot, "4713")
    await chat.welcome()
    await chat.tap("main_menu/choose=report")
    for payload in REPORT_STEPS:
        await chat.tap(payload)
    await chat.tap("report/confirm=write")
    await chat.text(FREE_TEXT)
    assert "action_report_scrub/removed" in chat.msgids()
    summary = chat.said("action_report_summary/heading").text
    assert PHONE_MARK in summary and "234 56 78" not in summary
    assert "Absage, keine Antwort" in summary and "Düren" in summary


async def test_a_typical_report_takes_eight_taps_and_asks_nothing_twice(bot: Bot) -> None:
    chat = Chat(bot, "4714")
    await chat.welcome()
    await chat.tap("main_menu/choose=report")
    questions: list[str] = []
    taps = 0
    for payload in [*REPORT_STEPS, "report/confirm=send"]:
        question = chat.last[-1]
        questions.append(question.msgid)
        answers = [
            b for b in question.buttons if b.payload.startswith("report/") and "=cancel" not in b.payload
        ]
        if question.msgid != "report/ask_place":  # the list of towns is as long as the district
            assert len(answers) <= 7, f"{question.msgid} offers too many answers at once"
        await chat.tap(payload)
        taps += 1
    assert taps <= 8 and "action_report_submit/thanks" in chat.msgids()
    assert len(questions) == len(set(questions))
    titles = [
        label.split(" ", 1)[1].casefold()
        for table in (categories.FORMS, categories.STAGES, categories.ACTORS, categories.GROUNDS)
        for label in table.values()
    ]
    for word in ("kopftuch", "religion", "kinder", "sozialleistungen", "herkunft"):
        assert sum(word in title for title in titles) <= 1, f"{word} is asked more than once"


async def test_without_free_text_nothing_is_written(bot: Bot) -> None:
    chat = Chat(bot, "4715")
    await chat.welcome()
    await chat.tap("main_menu/choose=report")
    for payload in REPORT_STEPS:
        await chat.tap(payload)
    await chat.tap("report/confirm=send")
    [report] = bot.mixed()
    assert report.text is None


# Each question of the flow, the answers that lead to it, and whether it is reached from "add".
CANCEL_POINTS = [
    ("intro", []),
    ("ask_form", REPORT_STEPS[:1]),
    ("ask_stage", REPORT_STEPS[:2]),
    ("ask_actor", REPORT_STEPS[:3]),
    ("ask_place", REPORT_STEPS[:4]),
    ("ask_when", REPORT_STEPS[:5]),
    ("ask_grounds", REPORT_STEPS[:6]),
    ("confirm", REPORT_STEPS),
    ("ask_text", [*REPORT_STEPS, "report/confirm=write"]),
    ("confirm", [*REPORT_STEPS, "report/confirm=write", "TEXT"]),
    ("ask_addition", ["report/intro=add"]),
    ("ask_code", ["report/intro=add", "TEXT"]),
]


@pytest.mark.parametrize("how", ["cancel", "menu"])
@pytest.mark.parametrize(
    ("step", "answers"),
    CANCEL_POINTS,
    ids=lambda value: str(len(value)) if isinstance(value, list | tuple) else value,
)
async def test_cancel_at_any_step_keeps_nothing(bot: Bot, step: str, answers: list[str], how: str) -> None:
    chat = Chat(bot, "4716")
    await chat.welcome()
    await chat.tap("main_menu/choose=report")
    for answer in answers:
        await (chat.text(FREE_TEXT) if answer == "TEXT" else chat.tap(answer))
    assert chat.session()["step"] == step
    if how == "cancel":
        await chat.tap(f"report/{step}=cancel")
        assert "report/cancelled" in chat.msgids()
    else:
        await chat.tap("menu")
    assert chat.last[-1].msgid == "main_menu/choose"
    assert len(bot.mixed()) == 0
    assert report_slots(chat) == {}
    assert "0151" not in str(chat.session()) and "Absage" not in str(chat.session())


async def test_information_is_added_with_the_receipt_code(bot: Bot) -> None:
    chat = Chat(bot, "4717")
    await chat.welcome()
    code = await file_report(chat)
    await chat.tap("main_menu/choose=report")
    await chat.tap("report/intro=add")
    await chat.text("Es ist wieder passiert. Schreiben Sie an @fatima_k99.")
    # scrubbed in the turn she wrote it: she is told before she sends it with her code, and the session
    # never held the handle
    assert "action_report_scrub/removed" in chat.msgids()
    assert (
        report_slots(chat)["report_addition"]
        == "Es ist wieder passiert. Schreiben Sie an [Benutzername entfernt]."
    )
    await chat.text("".join("٠١٢٣٤٥٦٧٨٩"[int(digit)] if digit.isdigit() else "-" for digit in code))
    assert "action_report_add/added" in chat.msgids()
    [report] = bot.mixed()
    assert report.additions == ("Es ist wieder passiert. Schreiben Sie an [Benutzername entfernt].",)
    assert report_slots(chat) == {}


async def test_a_wrong_code_gets_a_kind_answer_and_a_limit(bot: Bot) -> None:
    chat = Chat(bot, "4718")
    await chat.welcome()
    await file_report(chat)
    await chat.tap("main_menu/choose=report")
    await chat.tap("report/intro=add")
    await chat.text("Noch etwas.")
    for _ in range(4):
        await chat.text("1234 5678 9012 3456")
        assert "action_report_add/wrong" in chat.msgids()
        assert chat.session()["step"] == "ask_code"
        assert report_slots(chat).get("report_code") is None  # the code is never kept
    await chat.text("1234 5678 9012 3456")
    assert "action_report_add/blocked" in chat.msgids()
    assert chat.last[-1].msgid == "main_menu/choose"
    [report] = bot.mixed()
    assert report.additions == ()
    # the right code is refused too for the rest of the day, kindly
    await chat.tap("main_menu/choose=report")
    await chat.tap("report/intro=add")
    await chat.text("Noch etwas.")
    await chat.text("0000 0000 0000 0000")
    assert "action_report_add/blocked" in chat.msgids()


async def test_a_chat_may_send_three_reports_a_day(bot: Bot) -> None:
    chat = Chat(bot, "4719")
    await chat.welcome()
    for _ in range(3):
        await file_report(chat)
    await chat.tap("main_menu/choose=report")
    await chat.tap("report/intro=new")
    assert "action_report_begin/limit" in chat.msgids()
    assert chat.last[-1].msgid == "main_menu/choose"
    other = Chat(bot, "4720")
    await other.welcome()
    await file_report(other)
    assert len(bot.mixed()) == 4
