"""The order of hearing at every step: danger, the question's options, her need, "Did you mean …?"."""

from __future__ import annotations

from bot.engine.engine import Engine
from bot.engine.model import Input
from tests.engine.conftest import Conversation, payloads
from tests.engine.test_engine import onboarded

NUMBERS = ["emergency/intro", "action_show_emergency/lead"]


def ids(messages: list) -> list[str]:  # type: ignore[type-arg]
    """Message ids without the one-time notices about missing or draft translations."""
    return [message.msgid for message in messages if not message.msgid.startswith("engine/notice_")]


def test_danger_from_the_main_menu_brings_numbers_then_violence_counselling_then_back(
    hearing_engine: Engine,
) -> None:
    conversation = onboarded(hearing_engine, "ar")
    messages = conversation.text("زوجي يضربني كل يوم")
    assert ids(messages) == ["emergency/intro", "engine/offer_violence", "main_menu/choose"]
    assert conversation.actions == ["action_show_emergency"]
    assert "need:topic_violence" in payloads(messages)
    after = conversation.tap("need:topic_violence")
    assert conversation.session.slots["topic"] == "violence"
    assert ids(after)[-1] == "find_counselling/ask_place"


def test_danger_mid_flow_returns_to_the_same_question(hearing_engine: Engine) -> None:
    conversation = onboarded(hearing_engine, "uk")
    conversation.tap("main_menu/choose=counselling")
    conversation.tap("find_counselling/ask_topic=health")
    messages = conversation.text("допоможіть він мене б'є")
    assert ids(messages)[0] == "emergency/intro"
    assert ids(messages)[-1] == "find_counselling/ask_place"
    assert conversation.session.slots["topic"] == "health"


def test_danger_word_inside_a_long_sentence_counts(hearing_engine: Engine) -> None:
    conversation = onboarded(hearing_engine, "de")
    messages = conversation.text("Entschuldigung dass ich störe aber können Sie bitte die Polizei rufen")
    assert ids(messages)[0] == "emergency/intro"


def test_the_word_for_help_brings_the_numbers_and_help_command_still_explains(hearing_engine: Engine) -> None:
    for word, language in (
        ("Hilfe", "de"),
        ("help", "en"),
        ("yardım", "tr"),
        ("مساعدة", "ar"),
        ("допомога", "uk"),
    ):
        conversation = onboarded(hearing_engine, language)
        assert ids(conversation.text(word))[0] == "emergency/intro", word
    assert ids(onboarded(hearing_engine).text("/help"))[0] == "help/explain"


def test_report_free_text_keeps_her_words_and_shows_the_numbers_beside_them(hearing_engine: Engine) -> None:
    conversation = onboarded(hearing_engine, "de")
    conversation.tap("main_menu/choose=report")
    conversation.session.step = "ask_text"
    conversation.session.slots.update({"report_form": "violence", "report_stage": "viewing"})
    words = "Der Vermieter hat gesagt er bringt mich um wenn ich nicht ausziehe"
    messages = conversation.text(words)
    assert ids(messages)[0] == "emergency/intro"
    assert conversation.session.slots["report_text"] == words
    assert conversation.session.flow == "report" and conversation.session.step != "ask_text"


def test_report_free_text_without_danger_is_simply_kept(hearing_engine: Engine) -> None:
    conversation = onboarded(hearing_engine, "de")
    conversation.tap("main_menu/choose=report")
    conversation.session.step = "ask_text"
    messages = conversation.text("Die Maklerin hat nicht mehr zurückgerufen.")
    assert "emergency/intro" not in ids(messages)
    assert conversation.session.slots["report_text"] == "Die Maklerin hat nicht mehr zurückgerufen."


def test_a_button_title_typed_exactly_is_her_answer_even_with_a_danger_word(hearing_engine: Engine) -> None:
    conversation = onboarded(hearing_engine, "de")
    conversation.tap("main_menu/choose=report")
    conversation.tap("report/intro=new")
    messages = conversation.text("⚠️ Bedrohung oder Gewalt")
    assert "emergency/intro" not in ids(messages)
    assert conversation.session.slots["report_form"] == "violence"
    assert conversation.session.step == "ask_stage"


def test_options_before_needs(hearing_engine: Engine) -> None:
    conversation = onboarded(hearing_engine, "de")
    conversation.tap("main_menu/choose=counselling")
    conversation.text("Gesundheit")
    assert conversation.session.slots["topic"] == "health"
    assert conversation.session.step == "ask_place"


def test_options_only_in_her_language_german_and_english(hearing_engine: Engine) -> None:
    conversation = onboarded(hearing_engine, "ps")
    conversation.tap("main_menu/choose=counselling")
    conversation.text("مرسته")  # Pashto "help", once matched Farsi "مدرسه" (school)
    assert conversation.session.slots.get("topic") != "education"


def test_her_need_from_anywhere(hearing_engine: Engine) -> None:
    cases = [
        ("I am pregnant and need advice", "en", "find_counselling", "ask_place", ("topic", "pregnancy")),
        ("wo kann ich deutsch lernen", "de", "find_counselling", "ask_place", ("topic", "language_course")),
        ("kocam beni dövüyor", "tr", "emergency", "", None),
        ("احذف بياناتي", "ar", "delete_data", "confirm", None),
        ("der Vermieter will keine Ausländer", "de", "report", "intro", None),
        ("تغییر زبان", "fa", "choose_language", "choose", None),
    ]
    for typed, language, flow, step, slot in cases:
        conversation = onboarded(hearing_engine, language)
        messages = conversation.text(typed)
        if flow == "emergency":
            assert ids(messages)[0] == "emergency/intro", typed
            continue
        assert (conversation.session.flow, conversation.session.step) == (flow, step), typed
        if slot:
            assert conversation.session.slots.get(slot[0]) == slot[1], typed


def test_need_mid_flow_leaves_the_flow(hearing_engine: Engine) -> None:
    conversation = onboarded(hearing_engine, "fa")
    conversation.tap("main_menu/choose=counselling")
    conversation.tap("find_counselling/ask_topic=work")
    conversation.text("باردارم و کمک میخوام")
    assert conversation.session.slots["topic"] == "pregnancy"


def test_small_talk_gets_a_kind_word_and_the_same_question(hearing_engine: Engine) -> None:
    for typed, reply in (
        ("hallo", "engine/greeting"),
        ("شكرا", "engine/thanks"),
        ("merhaba", "engine/greeting"),
    ):
        conversation = onboarded(hearing_engine, "de")
        assert ids(conversation.text(typed))[:2] == [reply, "main_menu/choose"], typed


def test_not_sure_asks_did_you_mean_with_emergency_button(hearing_engine: Engine) -> None:
    conversation = onboarded(hearing_engine, "de")
    messages = conversation.text("I have a problem")
    assert "engine/did_you_mean" in ids(messages)
    asked = next(message for message in messages if message.msgid == "engine/did_you_mean")
    buttons = [button.payload for button in asked.buttons]
    assert 2 <= len(buttons) <= 4 and buttons[-1] == "emergency"
    assert all(payload.startswith("need:") for payload in buttons[:-1])
    step = conversation.session.step
    conversation.tap(buttons[0])
    assert conversation.session.step != step or conversation.session.flow != "main_menu"


def test_before_consent_danger_still_brings_the_numbers(hearing_engine: Engine) -> None:
    conversation = Conversation(hearing_engine)
    conversation.send(Input(kind="start"))
    messages = conversation.text("شرطة")
    assert ids(messages)[0] == "emergency/intro"
    assert ids(messages)[-1] == "welcome/choose_language"


def test_first_contact_danger_is_answered_in_her_language(hearing_engine: Engine) -> None:
    conversation = Conversation(hearing_engine)
    messages = conversation.text("شوهرم منو میزنه کمک")
    assert ids(messages)[0] == "emergency/intro"
    assert messages[0].language == "fa"
    assert "emergency" in payloads(messages)  # 🆘 on the language question too


def test_bad_input_gets_a_kind_answer(hearing_engine: Engine) -> None:
    for typed in ("x" * 60_000, "🙂🙂🙂", "a", "Hallo مرحبا привет 你好", "\ud800\udfff oops \ud83d"):
        conversation = onboarded(hearing_engine, "de")
        messages = conversation.text(typed)
        assert messages and ids(messages)[-1] in (
            "main_menu/choose",
            "engine/did_you_mean",
            "engine/suggest_language",
        ), typed[:20]
        assert conversation.session.flow in ("main_menu", "emergency", "find_counselling") or messages


def test_at_the_language_question_she_is_answered_in_the_language_she_typed(hearing_engine: Engine) -> None:
    """The page and /start ask for her language first; what she types there is answered in hers."""
    typed_texts = (("أحتاج مساعدة، اسمي فاطمة", "ar"), ("زوجي يضربني", "ar"), ("допоможіть", "uk"))
    for typed, language in typed_texts:
        conversation = Conversation(hearing_engine)
        conversation.send(Input(kind="start"))
        messages = conversation.text(typed)
        assert ids(messages)[0] == "emergency/intro", typed
        assert {message.language for message in messages} == {language}, typed
        assert ids(messages)[-1] == "welcome/choose_language"
    conversation = Conversation(hearing_engine)
    conversation.send(Input(kind="start"))
    messages = conversation.text("مرحبا")
    assert messages[-1].msgid == "welcome/choose_language" and messages[-1].language == "ar"
