"""Her phone's country code suggests which languages to show first; she always chooses herself.

Only the order of the language list changes: nothing is stored, nothing is chosen for her.
"""

from __future__ import annotations

# Calling codes of the countries most women in Kreis Düren come from, longest match first.
_FIRST: dict[str, tuple[str, ...]] = {
    "963": ("ar", "ku"),  # Syria
    "964": ("ar", "ku"),  # Iraq
    "961": ("ar",),  # Lebanon
    "962": ("ar",),  # Jordan
    "970": ("ar",),  # Palestine
    "20": ("ar",),  # Egypt
    "212": ("ar", "fr"),  # Morocco
    "213": ("ar", "fr"),  # Algeria
    "216": ("ar", "fr"),  # Tunisia
    "218": ("ar",),  # Libya
    "249": ("ar",),  # Sudan
    "98": ("fa",),  # Iran
    "93": ("fa", "ps"),  # Afghanistan
    "92": ("ps", "en"),  # Pakistan
    "380": ("uk", "ru"),  # Ukraine
    "7": ("ru",),  # Russia, Kazakhstan
    "375": ("ru",),  # Belarus
    "373": ("ru",),  # Moldova
    "90": ("tr", "ku"),  # Türkiye
    "252": ("so",),  # Somalia
    "291": ("ti",),  # Eritrea
    "251": ("ti", "en"),  # Ethiopia
    "33": ("fr",),  # France
    "221": ("fr",),  # Senegal
    "224": ("fr",),  # Guinea
    "225": ("fr",),  # Côte d'Ivoire
    "237": ("fr", "en"),  # Cameroon
    "243": ("fr",),  # DR Congo
    "234": ("en",),  # Nigeria
    "44": ("en",),  # United Kingdom
    "1": ("en",),  # North America
}


def first_languages(wa_id: str) -> tuple[str, ...]:
    """The languages her calling code suggests, most likely first; () when it suggests none."""
    digits = wa_id.lstrip("+")
    for length in (3, 2, 1):
        found = _FIRST.get(digits[:length])
        if found:
            return found
    return ()
