"""Coarse time for reports: the month of the incident and the ISO week of the report, never a date or hour."""

from __future__ import annotations

from datetime import date, timedelta


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_ago(day: date, months: int) -> str:
    """The `YYYY-MM` that lies `months` calendar months before `day`."""
    index = day.year * 12 + day.month - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def iso_week(day: date) -> str:
    """`2026-W48`: sorts as text in time order, so SQL can compare it directly."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_month(week: str) -> str:
    """The month a week mostly lies in (the month of its Thursday, as ISO counts weeks)."""
    return month_of(date.fromisocalendar(int(week[:4]), int(week[6:8]), 4))


def cutoff_week(today: date, days: int) -> str:
    """Reports of weeks before this one are older than `days` days (a week is kept until all of it is)."""
    return iso_week(today - timedelta(days=days))


def valid_month(text: str) -> bool:
    return (
        len(text) == 7
        and text[4] == "-"
        and text[:4].isdigit()
        and text[5:].isdigit()
        and 1 <= int(text[5:]) <= 12
    )
