"""The staff desk behind `/broadcast` and `/broadcasts`: staff only, drafts, preview, audit."""

from __future__ import annotations

from datetime import timedelta

from bot.content.workshops import ANNOUNCEMENTS, BERLIN
from bot.engine.model import Input, Message
from bot.i18n.catalog import Catalog
from bot.outbox.announce import NOTICE_GERMAN
from bot.outbox.limiter import Limiter
from bot.outbox.sender import Sender
from bot.staff.desk import Desk
from bot.store import Store
from bot.store.deliveries import Deliveries
from bot.store.outbox import Outbox
from tests.outbox.conftest import Recorder, now
from tests.workshops.conftest import workshops_at

STAFF = 7001


def drafts(text: str, target: str) -> str | None:
    return f"<{target}> {text}" if target == "ar" else None


class Drafter:
    def draft(self, text: str, target: str) -> str | None:
        return drafts(text, target)


def subscribers(store: Store) -> None:
    for platform_id, language in (("1", "de"), ("2", "ar"), ("3", "uk")):
        store.save("telegram", platform_id, language=language, consent=True, state={})
        store.subscribe("telegram", platform_id, ANNOUNCEMENTS)


def desk(outbox: Outbox, woken: list[int] | None = None) -> Desk:
    return Desk(
        [STAFF],
        outbox,
        workshops_at(timedelta(days=20)),
        Catalog(),
        drafter=Drafter(),
        wake=lambda: (woken if woken is not None else []).append(1),
    )


def payloads(messages: list[Message]) -> list[str]:
    return [button.payload for message in messages for button in message.buttons]


async def test_someone_not_on_staff_gets_the_menu_and_changes_nothing(store: Store, outbox: Outbox) -> None:
    subscribers(store)
    staff_desk = desk(outbox)
    attempt = Input.of_text("/broadcast")
    assert not staff_desk.wants(4242, attempt)
    assert staff_desk.rewrite(4242, attempt).text == "/menu"
    assert await staff_desk.handle(4242, attempt) == []
    assert await staff_desk.handle(4242, Input.of_payload("staff:aud:all")) == []
    assert outbox.recent(10) == [] and outbox.audit_log() == []


async def test_staff_broadcast_with_draft_own_translation_and_skip(store: Store, outbox: Outbox) -> None:
    subscribers(store)
    woken: list[int] = []
    staff_desk = desk(outbox, woken)

    async def say(user_input: Input) -> list[Message]:
        assert staff_desk.wants(STAFF, user_input)
        return await staff_desk.handle(STAFF, user_input)

    answer = await say(Input.of_text("/broadcast"))
    assert "staff:aud:all" in payloads(answer) and "staff:aud:w:frauen_workshop_2027" in payloads(answer)
    await say(Input.of_payload("staff:aud:all"))
    answer = await say(Input.of_text("Fachtag am 3. Juni im Kreishaus."))
    assert "<ar> Fachtag am 3. Juni im Kreishaus." in [message.text for message in answer]
    answer = await say(Input.of_payload("staff:tr:accept"))
    assert "staff:tr:skip" in payloads(answer)  # Ukrainian: no draft, type or skip
    preview = await say(Input.of_text("День фахівців 3 червня."))
    texts = "\n".join(message.text for message in preview)
    assert "<ar> Fachtag" in texts and "День фахівців" in texts and "3 Empfängerinnen" in texts
    assert any(message.dir == "rtl" for message in preview)
    confirm = await say(Input.of_payload("staff:send:now"))
    assert payloads(confirm)[0] == "staff:confirm"
    done = await say(Input.of_payload("staff:confirm"))
    assert "an 3 Empfängerinnen" in done[0].text and woken

    announcement = outbox.recent(1, "broadcast")[0]
    assert announcement.translations == {
        "ar": "<ar> Fachtag am 3. Juni im Kreishaus.",
        "uk": "День фахівців 3 червня.",
    }
    assert [entry.action for entry in reversed(outbox.audit_log())] == ["create", "send"]
    assert outbox.audit_log()[0].actor == f"telegram:{STAFF}"
    courier = Recorder()
    await Sender(Deliveries(outbox.engine), {"telegram": courier}, Limiter(rate=1000)).drain()
    got = {platform_id: text for platform_id, text, _ in courier.delivered}
    assert got == {
        "1": "Fachtag am 3. Juni im Kreishaus.",
        "2": "<ar> Fachtag am 3. Juni im Kreishaus.",
        "3": "День фахівців 3 червня.",
    }


async def test_skipped_language_gets_german_with_a_notice_and_a_time(store: Store, outbox: Outbox) -> None:
    subscribers(store)
    staff_desk = Desk([STAFF], outbox, workshops_at(timedelta(days=20)), Catalog())  # no translation service
    await staff_desk.handle(STAFF, Input.of_text("/broadcast"))
    await staff_desk.handle(STAFF, Input.of_payload("staff:aud:lang"))
    await staff_desk.handle(STAFF, Input.of_payload("staff:lang:ar"))
    await staff_desk.handle(STAFF, Input.of_payload("staff:lang:done"))
    answer = await staff_desk.handle(STAFF, Input.of_text("Neue Sprechstunde."))
    assert "staff:tr:skip" in payloads(answer)
    preview = await staff_desk.handle(STAFF, Input.of_payload("staff:tr:skip"))
    assert any(NOTICE_GERMAN in message.text and "Neue Sprechstunde." in message.text for message in preview)
    await staff_desk.handle(STAFF, Input.of_payload("staff:send:later"))
    later = (now() + timedelta(days=2)).astimezone(BERLIN).strftime("%d.%m.%Y %H:%M")
    confirm = await staff_desk.handle(STAFF, Input.of_text(later))
    assert later in confirm[0].text
    await staff_desk.handle(STAFF, Input.of_payload("staff:confirm"))
    announcement = outbox.recent(1)[0]
    assert announcement.status == "scheduled" and announcement.audience.languages == ("ar",)
    assert outbox.counts(announcement.id) == {}

    overview = await staff_desk.handle(STAFF, Input.of_text("/broadcasts"))
    assert f"#{announcement.id}" in overview[0].text and f"staff:stop:{announcement.id}" in payloads(overview)
    await staff_desk.handle(STAFF, Input.of_payload(f"staff:stop:{announcement.id}"))
    assert outbox.get(announcement.id).status == "cancelled"  # type: ignore[union-attr]
    assert [entry.action for entry in outbox.audit_log()][:2] == ["cancel", "list"]


async def test_cancel_in_the_middle_writes_nothing(store: Store, outbox: Outbox) -> None:
    staff_desk = desk(outbox)
    await staff_desk.handle(STAFF, Input.of_text("/broadcast"))
    await staff_desk.handle(STAFF, Input.of_payload("staff:aud:all"))
    answer = await staff_desk.handle(STAFF, Input.of_payload("staff:cancel"))
    assert "nichts gesendet" in answer[0].text
    assert not staff_desk.wants(STAFF, Input.of_text("Hallo"))  # her own chat with the bot goes on as usual
    assert outbox.recent(10) == []


async def test_placeholders_are_asked_again_not_sent(store: Store, outbox: Outbox) -> None:
    subscribers(store)
    staff_desk = Desk([STAFF], outbox, workshops_at(timedelta(days=20)), Catalog())  # no translation service
    await staff_desk.handle(STAFF, Input.of_text("/broadcast"))
    await staff_desk.handle(STAFF, Input.of_payload("staff:aud:lang"))
    await staff_desk.handle(STAFF, Input.of_payload("staff:lang:ar"))
    await staff_desk.handle(STAFF, Input.of_payload("staff:lang:done"))
    again = await staff_desk.handle(STAFF, Input.of_text("..."))
    assert "staff:tr:skip" not in payloads(again)  # still the German text it wants
    answer = await staff_desk.handle(STAFF, Input.of_text("Neue Sprechstunde."))
    for placeholder in ("...", "…", "TODO"):
        asked = await staff_desk.handle(STAFF, Input.of_text(placeholder))
        assert "Platzhalter" in asked[0].text and "staff:tr:skip" in payloads(asked)
    preview = await staff_desk.handle(STAFF, Input.of_text("ساعات استشارة جديدة."))
    assert any("ساعات استشارة جديدة." in message.text for message in preview)
    assert "staff:tr:skip" in payloads(answer)


def test_staff_labels_are_shortened_after_a_whole_word() -> None:
    from bot.staff.texts import shortened

    title = "Mehrsprachiger Workshop für Frauen: Beratung und Austausch im Kreishaus"
    short = shortened(title)
    assert short == "Mehrsprachiger Workshop für Frauen …" and len(short) <= 40
    assert shortened("Kurz") == "Kurz"
    assert shortened("x" * 60).endswith(" …") and len(shortened("x" * 60)) <= 40
