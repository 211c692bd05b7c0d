"""A report (or an addition to one) waiting in the pool: sealed, padded, and without any order.

Why a pool: a row written during her turn sits next to her session row in every database (PostgreSQL
gives the two transactions adjacent `xmin`s; SQLite's WAL holds their pages one after the other). So
the report she confirms is first written here, durably, as an AES-GCM blob under a key that is not in
the database (derived from `WEGWEISER_SECRET_KEY`), padded to a fixed size, with a random UUIDv4 id and
no time beyond the day. Later, at a time that has nothing to do with her turn, the pool is emptied into
the report tables in one transaction, many reports at once, in random order (`ReportStore.mix`): the
report row then shares its `xmin` with the whole batch, and nothing ties it to the pool row it came from.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.reports.model import Report, SealedReceipt

BLOCK = 8192  # every sealed entry has the same size: the length of her text shows nothing
_NONCE = 12
_CONTEXT = b"wegweiser report pool v1"


@dataclass(frozen=True)
class PendingReport:
    report: Report
    receipt: SealedReceipt
    day: date  # when it was pooled: a lonely report waits at most a few days for company


@dataclass(frozen=True)
class PendingAddition:
    report_id: str
    text: str
    week: str
    day: date


Pending = PendingReport | PendingAddition


class Sealer:
    """Seals pool entries with AES-GCM; the key comes from outside the database."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the pool key has 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, entry: Pending) -> bytes:
        plain = json.dumps(_document(entry), ensure_ascii=False).encode()
        if len(plain) > BLOCK - 4:
            raise ValueError("a pool entry is larger than its block")
        padded = len(plain).to_bytes(4, "big") + plain + bytes(BLOCK - 4 - len(plain))
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, padded, _CONTEXT)

    def open(self, sealed: bytes) -> Pending:
        padded = self._aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], _CONTEXT)
        size = int.from_bytes(padded[:4], "big")
        return _entry(json.loads(padded[4 : 4 + size]))


def _document(entry: Pending) -> dict[str, Any]:
    if isinstance(entry, PendingAddition):
        return {"kind": "addition", **asdict(entry), "day": entry.day.isoformat()}
    report = asdict(entry.report)
    return {
        "kind": "report",
        "report": report,
        "receipt": {
            "tag": entry.receipt.tag,
            "salt": entry.receipt.salt.hex(),
            "digest": entry.receipt.digest.hex(),
        },
        "day": entry.day.isoformat(),
    }


def _entry(document: dict[str, Any]) -> Pending:
    day = date.fromisoformat(document["day"])
    if document["kind"] == "addition":
        return PendingAddition(document["report_id"], document["text"], document["week"], day)
    fields = document["report"]
    report = Report(
        **{
            **fields,
            "forms": tuple(fields["forms"]),
            "grounds": tuple(fields["grounds"]),
            "additions": tuple(fields["additions"]),
        }
    )
    sealed = document["receipt"]
    receipt = SealedReceipt(sealed["tag"], bytes.fromhex(sealed["salt"]), bytes.fromhex(sealed["digest"]))
    return PendingReport(report, receipt, day)
