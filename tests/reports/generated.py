"""Reports made up for statistics and export tests (a fixed seed, so the counts are known)."""

from __future__ import annotations

import random
import uuid

from bot.reports import categories
from bot.reports.model import Report

PLACES = {"dueren": "Düren", "juelich": "Jülich", "heimbach": "Heimbach"}


def generated_reports(count: int, seed: int = 7) -> list[Report]:
    rng = random.Random(seed)
    weeks = ["2026-W02", "2026-W06", "2026-W10", "2026-W14", "2026-W19"]  # January to May 2026
    reports = []
    for _ in range(count):
        reports.append(
            Report(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                reported_week=rng.choice(weeks),
                incident_month=None,
                incident="older",
                language=rng.choice(["de", "ar", "uk"]),
                forms=tuple(rng.sample(sorted(categories.FORMS), rng.randint(1, 3))),
                stage=rng.choice(["contact", "viewing", "viewing", "tenancy"]),
                actor=rng.choice(["private_landlord", "private_landlord", "company", "agent"]),
                municipality=rng.choice(["dueren"] * 8 + ["juelich"] * 3 + ["heimbach"]),
                grounds=tuple(rng.sample(sorted(categories.GROUNDS), rng.randint(1, 2))),
                text=rng.choice([None, "Er sagte: keine Ausländer.", '=HYPERLINK("x")']),
            )
        )
    return reports
