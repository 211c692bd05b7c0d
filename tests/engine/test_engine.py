"""The engine on its own: no I/O, every kind of input, state kept intact on bad input."""

from __future__ import annotations

import copy

from bot.engine.engine import Engine
from bot.engine.model import Input, Session
from tests.engine.conftest import Conversation, payloads


def onboarded(engine: Engine, language: str = "de") -> Conversation:
    conversation = Conversation(engine)
    conversation.send(Input(kind="start"))
    conversation.tap(f"welcome/choose_language={language}")
    conversation.tap("welcome/privacy=yes")
    return conversation


def test_first_contact_asks_language_with_native_names(engine: Engine) -> None:
    messages = Conversation(engine).send(Input(kind="start"))
    titles = [button.title for button in messages[-1].buttons]
    assert titles[:4] == ["Deutsch", "English", "العربية", "فارسی"]
    assert "ትግርኛ" in titles and "پښتو" in titles and "Soomaali" in titles
    assert messages[-1].msgid == "welcome/choose_language"


def test_language_choice_then_privacy_then_menu(engine: Engine) -> None:
    conversation = Conversation(engine)
    conversation.send(Input(kind="start"))
    privacy = conversation.tap("welcome/choose_language=en")
    assert privacy[-1].msgid == "welcome/privacy"
    assert privacy[-1].text.startswith("EN[")
    menu = conversation.tap("welcome/privacy=yes")
    assert menu[-1].msgid == "main_menu/choose"
    assert conversation.session.slots["consent"] == "yes"
    assert conversation.session.language == "en"


def test_right_to_left_for_arabic_farsi_pashto(engine: Engine) -> None:
    for code in ("ar", "fa", "ps"):
        conversation = Conversation(engine)
        conversation.send(Input(kind="start"))
        assert all(message.dir == "rtl" for message in conversation.tap(f"welcome/choose_language={code}"))
    conversation = Conversation(engine)
    conversation.send(Input(kind="start"))
    assert all(message.dir == "ltr" for message in conversation.tap("welcome/choose_language=uk"))


def test_missing_translation_serves_german_with_one_notice(engine: Engine) -> None:
    conversation = Conversation(engine)
    conversation.send(Input(kind="start"))
    messages = conversation.tap("welcome/choose_language=ti")
    assert messages[0].msgid == "engine/notice_missing"
    assert messages[-1].status == "missing"
    assert "Datenschutz" in messages[-1].text
    assert (messages[-1].language, messages[-1].dir) == ("de", "ltr"), "German is laid out as German"
    again = conversation.tap("welcome/privacy=yes")
    assert all(message.msgid != "engine/notice_missing" for message in again)


def test_platform_language_hint_is_used_until_she_chooses(engine: Engine) -> None:
    messages = Conversation(engine).send(Input(kind="start", language_hint="en-GB"))
    assert messages[-1].text.startswith("EN[")


def test_counselling_walk_collects_topic_and_place_then_runs_action(engine: Engine) -> None:
    conversation = onboarded(engine)
    conversation.tap("main_menu/choose=counselling")
    place = conversation.tap("find_counselling/ask_topic=violence")
    assert "find_counselling/ask_place=dueren" in payloads(place)
    assert "find_counselling/ask_place=anywhere" in payloads(place)
    conversation.tap("find_counselling/ask_place=dueren")
    assert conversation.actions == ["action_find_offers"]
    assert conversation.session.slots["topic"] == "violence"
    assert conversation.session.slots["municipality"] == "dueren"
    assert conversation.session.step == "after_offers"


def test_more_button_only_when_the_action_says_there_is_more(engine: Engine) -> None:
    conversation = onboarded(engine)
    conversation.action_events = {
        "action_find_offers": [{"event": "slot", "name": "offers_more", "value": True}]
    }
    conversation.tap("main_menu/choose=counselling")
    conversation.tap("find_counselling/ask_topic=health")
    after = conversation.tap("find_counselling/ask_place=juelich")
    assert "find_counselling/after_offers=more" in payloads(after)
    conversation.action_events = {
        "action_find_offers": [{"event": "slot", "name": "offers_more", "value": False}]
    }
    after = conversation.tap("find_counselling/after_offers=more")
    assert conversation.actions == ["action_find_offers", "action_find_offers"]
    assert "find_counselling/after_offers=more" not in payloads(after)


def test_shared_location_ranks_nearby(engine: Engine) -> None:
    conversation = onboarded(engine)
    conversation.tap("main_menu/choose=counselling")
    conversation.tap("find_counselling/ask_topic=health")
    conversation.send(Input(kind="location", latitude=50.8, longitude=6.48))
    assert conversation.session.slots["municipality"] == "nearby"
    assert conversation.session.slots["location"] == [50.8, 6.48]


def test_typed_answers_number_title_keyword_and_typo(engine: Engine) -> None:
    for typed, topic, language in (
        ("2", "health", "de"),
        ("Gesundheit", "health", "de"),
        ("gesundheiit", "health", "de"),
        ("عنف", "violence", "ar"),
        ("doctor", "health", "ar"),  # English keywords count in every language
        ("عنف", None, "de"),  # another language's keyword does not: Pashto مرسته once matched Farsi مدرسه
    ):
        conversation = onboarded(engine, language)
        conversation.tap("main_menu/choose=counselling")
        conversation.text(typed)
        assert conversation.session.slots.get("topic") == topic, typed


def test_emergency_from_any_step_returns_to_the_question(engine: Engine) -> None:
    conversation = onboarded(engine, "en")
    conversation.tap("main_menu/choose=counselling")
    conversation.tap("find_counselling/ask_topic=health")
    for way in (
        Input.of_text("/notfall"),
        Input.of_text("Emergency"),
        Input.of_payload("emergency"),
        Input.of_text("طوارئ"),
    ):
        messages = conversation.send(way)
        assert conversation.actions[-1] == "action_show_emergency"
        assert messages[-1].msgid == "find_counselling/ask_place"
        assert conversation.session.slots["topic"] == "health"
        assert conversation.session.stack == []


def test_emergency_before_anything_else_then_welcome(engine: Engine) -> None:
    conversation = Conversation(engine)
    messages = conversation.text("notfall")
    assert conversation.actions[-1] == "action_show_emergency"
    assert messages[-1].msgid == "welcome/choose_language"


def test_bad_input_gets_a_kind_answer_and_keeps_state(engine: Engine) -> None:
    conversation = onboarded(engine, "en")
    conversation.tap("main_menu/choose=counselling")
    conversation.tap("find_counselling/ask_topic=violence")
    before = copy.deepcopy(conversation.session)
    cases = {
        Input.of_text(""): "engine/empty",
        Input.of_text("   \u200f "): "engine/empty",
        Input.of_text("x" * 10_000): "engine/not_understood",
        Input.of_text("🙂🙂🙂"): "engine/not_understood",
        Input.of_text("\x00\x07\x1b"): "engine/empty",
        Input.of_text("/frobnicate"): "engine/unknown_command",
        Input.of_payload("nonsense"): "engine/stale",
        Input.of_payload("find_counselling/ask_topic=health"): "engine/stale",
        Input.of_payload("lang:xx"): "engine/stale",
        Input(kind="unsupported", text="sticker"): "engine/unsupported",
        Input(kind="unsupported", text="voice"): "engine/unsupported",
    }
    for user_input, msgid in cases.items():
        messages = conversation.send(user_input)
        assert messages[0].msgid == msgid, user_input
        assert messages[0].text.startswith("EN["), "answered in her language"
        assert messages[-1].msgid == "find_counselling/ask_place", "the same question again"
        assert conversation.session == before


def test_location_where_none_is_asked_is_declined_kindly(engine: Engine) -> None:
    conversation = onboarded(engine)
    messages = conversation.send(Input(kind="location", latitude=1.0, longitude=2.0))
    assert messages[0].msgid == "engine/no_location"
    assert conversation.session.step == "choose"


def test_other_script_suggests_a_language_without_switching(engine: Engine) -> None:
    conversation = onboarded(engine, "de")
    conversation.tap("main_menu/choose=counselling")
    messages = conversation.text("أريد مساعدة في السكن")
    suggestion = next(message for message in messages if message.msgid == "engine/suggest_language")
    assert {button.payload for button in suggestion.buttons} == {"lang:ar", "lang:fa", "lang:ps"}
    assert conversation.session.language == "de"
    conversation.tap("lang:ar")
    assert conversation.session.language == "ar"
    assert conversation.session.step == "ask_topic"


def test_language_picker_payload_mid_flow_keeps_place(engine: Engine) -> None:
    conversation = onboarded(engine, "de")
    conversation.tap("main_menu/choose=counselling")
    messages = conversation.tap("lang:en")
    assert messages[-1].msgid == "find_counselling/ask_topic"
    assert messages[-1].text.startswith("EN[")


def test_delete_asks_first_and_forgets_on_yes(engine: Engine) -> None:
    conversation = onboarded(engine, "en")
    conversation.action_events = {"action_delete_data": [{"event": "restart"}]}
    conversation.text("/delete")
    kept = conversation.tap("delete_data/confirm=no")
    assert kept[-1].msgid == "main_menu/choose"
    conversation.text("/delete")
    messages = conversation.tap("delete_data/confirm=yes")
    assert conversation.last.forget
    assert messages[-1].msgid == "delete_data/done"
    assert messages[-1].text.startswith("EN["), "the goodbye is still in her language"
    assert conversation.session == Session()


def test_deep_link_sets_language_flow_and_source(engine: Engine) -> None:
    conversation = Conversation(engine)
    messages = conversation.send(Input(kind="start", text="en-counselling-ik12"))
    assert conversation.last.events == ({"event": "source", "source": "ik12"},)
    assert messages[-1].msgid == "welcome/privacy"
    after = conversation.tap("welcome/privacy=yes")
    assert after[-1].msgid == "find_counselling/ask_topic"


def test_commands_before_consent_keep_her_at_the_notice(engine: Engine) -> None:
    conversation = Conversation(engine)
    conversation.send(Input(kind="start"))
    conversation.tap("welcome/choose_language=de")
    messages = conversation.text("/menu")
    assert messages[-1].msgid == "welcome/privacy"


def test_menu_from_anywhere_leaves_the_flow_and_resets_its_slots(engine: Engine) -> None:
    conversation = onboarded(engine)
    conversation.tap("main_menu/choose=counselling")
    conversation.tap("find_counselling/ask_topic=violence")
    messages = conversation.tap("menu")
    assert messages[-1].msgid == "main_menu/choose"
    assert "topic" not in conversation.session.slots


def test_the_engine_does_not_change_the_session_it_was_given(engine: Engine) -> None:
    session = Session()
    engine.handle(session, Input(kind="start"))
    assert session == Session()


def test_every_question_offers_a_way_out(engine: Engine) -> None:
    conversation = onboarded(engine)
    conversation.tap("main_menu/choose=counselling")
    messages = conversation.tap("find_counselling/ask_topic=violence")
    assert {"menu", "emergency"} <= set(payloads(messages))


def test_first_contact_is_answered_in_the_language_she_wrote_in(engine: Engine) -> None:
    engine.detect = lambda text: "uk" if "допомога" in text else None
    conversation = Conversation(engine)
    messages = conversation.text("Мені потрібна допомога")
    assert [message.msgid for message in messages] == ["welcome/choose_language"]
    assert messages[0].language == "uk"
    assert conversation.session.slots.get("language") is None  # she still chooses; nothing is settled
    after = conversation.tap("welcome/choose_language=uk")
    assert conversation.session.language == "uk"
    assert after[-1].msgid == "welcome/privacy"


def test_first_contact_short_words_are_placed_by_their_letters(engine: Engine) -> None:
    for typed, language in (("شرطة", "ar"), ("پلیس", "fa"), ("поліція", "uk"), ("ټول", "ps")):
        conversation = Conversation(engine)
        messages = conversation.text(typed)
        assert messages[0].language == language, typed
