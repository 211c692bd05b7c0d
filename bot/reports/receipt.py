"""Receipt codes: 16 random digits shown once, kept only as a salted, peppered scrypt hash.

As in GlobaLeaks, the code looks like a phone number (easy to hide in a contact list) and is the only way back
to a report. A short keyed tag (16 bits of an HMAC with the server pepper) narrows the search to a few
candidates, so checking a code costs a few scrypt runs instead of one per stored report.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from bot.reports.model import SealedReceipt

DIGITS = 16
_SALT_BYTES = 16
_TAG_CHARS = 4
# scrypt cost: about 16 MiB and a few dozen milliseconds per check (RFC 7914's interactive setting).
_N, _R, _P = 2**14, 8, 1


def new_code() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def display(code: str) -> str:
    """`1234567890123456` -> `1234 5678 9012 3456`, easier to copy by hand."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize(text: str) -> str | None:
    """The 16 digits of what she typed, in any script (Arabic-Indic and Persian digits too), or None."""
    digits = "".join(str(int(char)) for char in text if char.isdecimal())
    return digits if len(digits) == DIGITS else None


def tag(code: str, pepper: bytes) -> str:
    return hmac.new(pepper or b"wegweiser", code.encode(), hashlib.sha256).hexdigest()[:_TAG_CHARS]


def _digest(code: str, salt: bytes, pepper: bytes) -> bytes:
    return hashlib.scrypt(code.encode(), salt=salt + pepper, n=_N, r=_R, p=_P, maxmem=64 * 2**20, dklen=32)


def seal(code: str, pepper: bytes) -> SealedReceipt:
    salt = secrets.token_bytes(_SALT_BYTES)
    return SealedReceipt(tag(code, pepper), salt, _digest(code, salt, pepper))


def matches(code: str, sealed: SealedReceipt, pepper: bytes) -> bool:
    return hmac.compare_digest(_digest(code, sealed.salt, pepper), sealed.digest)
