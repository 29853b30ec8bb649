"""Rectification deadlines (整改时限): typed forms, working days, overdue.

Deadlines are given in calendar days or in working days (工作日), and working
days follow China's official calendar, holidays and 调休 weekend working days
included (the ``chinese_calendar`` package). The State Council publishes each
year's calendar late in the year before, so the package only covers the years
published when it was released; beyond them we assume Monday–Friday and say
so, rather than refuse a deadline an inspector has to set today.

Pure: the clock is never read, ``today`` is always passed in.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from ..i18n import t
from .errors import UserError

# A deadline further ahead than this is surely a typo (and keeps the working-day
# walk and date arithmetic bounded).
MAX_YEARS = 10
_MAX_DAYS = MAX_YEARS * 366

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class DeadlineError(UserError, ValueError):
    """A deadline that cannot be set. ``key`` names the message to show (a ValueError too, as before)."""


@dataclass(frozen=True)
class Deadline:
    day: date  # the last day to rectify: overdue from the day after
    working_days: bool  # counted in working days (else calendar days or a named day)
    fallback_years: tuple[int, ...] = ()  # uncovered years where Mon–Fri was assumed
    counted_from: date | None = None  # the day the count starts from (today, found on)
    count: int = 0  # how many working days, when working_days

    def describe(self, lang: str | None = None) -> str:
        """Short text such as "2026-12-18（周五，20个工作日后）"."""
        weekday = t(f"deadline.weekday.{_WEEKDAYS[self.day.weekday()]}", lang)
        when = self._when(lang)
        if not self.fallback_years:
            return t("deadline.describe", lang, day=self.day.isoformat(), weekday=weekday, when=when)
        years = t("deadline.year_separator", lang).join(str(y) for y in self.fallback_years)
        note = t("deadline.fallback", lang, years=years)
        return t(
            "deadline.describe_fallback", lang, day=self.day.isoformat(), weekday=weekday, when=when, note=note
        )

    def _when(self, lang: str | None) -> str:
        if self.working_days:
            if self.count == 1:
                return t("deadline.when.one_working_day", lang)
            return t("deadline.when.working_days", lang, n=self.count)
        days = (self.day - (self.counted_from or self.day)).days
        if days == 0:
            return t("deadline.when.today", lang)
        if days == 1:
            return t("deadline.when.tomorrow", lang)
        return t("deadline.when.days", lang, n=days)


@cache
def covered_years() -> range:
    """The years whose official calendar the installed ``chinese_calendar`` knows."""
    from chinese_calendar.constants import holidays

    return range(min(holidays).year, max(holidays).year + 1)


def is_working_day(d: date) -> tuple[bool, bool]:
    """(working?, covered?): covered is False when Mon–Fri had to be assumed."""
    import chinese_calendar  # here: most commands and every worker never count working days (3 ms at start)

    try:
        return chinese_calendar.is_workday(d), True
    except NotImplementedError:  # the package's way of saying "year not published"
        return d.weekday() < 5, False


def add_working_days(start: date, n: int) -> tuple[date, tuple[int, ...]]:
    """The ``n``th working day strictly after ``start``, and the years assumed Mon–Fri.

    Strictly after: the day a finding is handed over does not count, so 1
    working day from a Friday is the next working day (a 调休 Saturday or Monday).
    """
    if n < 0:
        raise ValueError(n)
    day, left, fallback = start, n, set()
    while left:
        day += timedelta(days=1)
        working, covered = is_working_day(day)
        if not covered:
            fallback.add(day.year)
        if working:
            left -= 1
    return day, tuple(sorted(fallback))


def overdue_days(deadline: date, as_of: date) -> int:
    """Days overdue: a deadline is a whole day, so 0 on the deadline itself."""
    return max(0, (as_of - deadline).days)


def default_deadline(found_on: date, period: str) -> Deadline:
    """The deadline a checklist item's period ("30d", "20wd") gives a finding."""
    match = _PERIOD.match(period.strip())
    if not match:
        raise DeadlineError("deadline.bad_period", period=period)
    return _relative(found_on, int(match[1]), match[2], period)


# What is typed is first normalised: NFKC turns full-width digits, letters,
# "＋" and the ideographic space into ASCII; then spaces go and case folds.
_PERIOD = re.compile(r"^([0-9]+)(d|wd)$")
_DATE = re.compile(r"^([0-9]{4})(?:[-/.年])([0-9]{1,2})(?:[-/.月])([0-9]{1,2})日?$|^([0-9]{4})([0-9]{2})([0-9]{2})$")
# "内" lets the list's own wording through: "20个工作日内". A bare "2月" is not
# a month count: it reads as February.
_RELATIVE = re.compile(
    r"^\+?([0-9]+)(wd|workingdays?|个?工作日|d|days?|天|w|weeks?|个?周|个?星期|m|months?|个月)内?$"
)
_UNIT = {
    "wd": "wd", "workingday": "wd", "workingdays": "wd", "工作日": "wd", "个工作日": "wd",
    "d": "d", "day": "d", "days": "d", "天": "d",
    "w": "w", "week": "w", "weeks": "w", "周": "w", "个周": "w", "星期": "w", "个星期": "w",
    "m": "m", "month": "m", "months": "m", "个月": "m",
}  # fmt: skip
_NAMED = {
    **dict.fromkeys(("today", "今天", "今日"), "today"),
    **dict.fromkeys(("tomorrow", "明天", "明日"), "tomorrow"),
    **dict.fromkeys(("后天",), "after_tomorrow"),
    **dict.fromkeys(("eow", "周末", "本周末", "本周日"), "eow"),
    **dict.fromkeys(("eom", "月底", "本月底", "月末", "本月末"), "eom"),
    **dict.fromkeys(("eoq", "季末", "本季末", "季度末", "本季度末"), "eoq"),
    **dict.fromkeys(("eoy", "年底", "本年底", "年末", "本年末"), "eoy"),
}


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def parse_deadline(text: str, today: date) -> Deadline:
    """The deadline an inspector typed; raises DeadlineError with a message key."""
    typed = text.strip()
    s = _normal(text)
    if not s:
        raise DeadlineError("deadline.empty")
    if s in _NAMED:
        deadline = Deadline(_named(_NAMED[s], today), False, counted_from=today)
    elif match := _DATE.match(s):
        y, m, d = (int(g) for g in match.groups() if g is not None)
        try:
            deadline = Deadline(date(y, m, d), False, counted_from=today)
        except ValueError:
            raise DeadlineError("deadline.no_such_date", text=typed) from None
    elif match := _RELATIVE.match(s):
        deadline = _relative(today, int(match[1]), _UNIT[match[2]], typed)
    else:
        raise DeadlineError("deadline.unknown", text=typed)
    if deadline.day < today:
        raise DeadlineError("deadline.in_past", day=deadline.day.isoformat(), today=today.isoformat())
    if (deadline.day - today).days > _MAX_DAYS:
        raise DeadlineError("deadline.too_far", text=typed, years=MAX_YEARS)
    return deadline


def _relative(start: date, n: int, unit: str, typed: str) -> Deadline:
    if n == 0:
        raise DeadlineError("deadline.zero", text=typed)
    # Bound before computing: a huge count would overflow date or walk for ages.
    if n * {"d": 1, "wd": 1, "w": 7, "m": 28}[unit] > _MAX_DAYS:
        raise DeadlineError("deadline.too_far", text=typed, years=MAX_YEARS)
    if unit == "wd":
        day, fallback = add_working_days(start, n)
        return Deadline(day, True, fallback, counted_from=start, count=n)
    from dateutil.relativedelta import relativedelta  # here, as chinese_calendar above

    step = {"d": timedelta(days=n), "w": timedelta(weeks=n), "m": relativedelta(months=n)}[unit]
    return Deadline(start + step, False, counted_from=start)


def _named(name: str, today: date) -> date:
    if name == "today":
        return today
    if name == "tomorrow":
        return today + timedelta(days=1)
    if name == "after_tomorrow":
        return today + timedelta(days=2)
    if name == "eow":  # the week runs Monday to Sunday
        return today + timedelta(days=6 - today.weekday())
    if name == "eoy":
        return date(today.year, 12, 31)
    month = today.month if name == "eom" else (today.month - 1) // 3 * 3 + 3
    return date(today.year, month, calendar.monthrange(today.year, month)[1])


# ── date rules checked before saving (the screens show the key's message) ──────

# An inspection may be recorded a few days ahead (a visit planned for this week
# entered on Monday); further ahead it is a typo (a wrong month or year).
FUTURE_INSPECTION_DAYS = 3


@dataclass(frozen=True)
class DateWarning:
    """What a screen shows before saving: ``t(key, **params)``. ``refuse``: do not save at all."""

    key: str
    params: dict
    refuse: bool = False

    def text(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)


def inspection_date_warning(day: date, today: date) -> DateWarning | None:
    """Refuse an inspection dated more than FUTURE_INSPECTION_DAYS after today."""
    if (day - today).days > FUTURE_INSPECTION_DAYS:
        return DateWarning("deadline.rule.inspection_future",
                           {"day": day.isoformat(), "today": today.isoformat(), "days": FUTURE_INSPECTION_DAYS}, refuse=True)
    return None


def deadline_warning(deadline: date, inspection_day: date | None, today: date) -> DateWarning | None:
    """Warn (the inspector confirms) about a deadline that leaves no time to rectify:

    - before the inspection's own date (``eom`` typed for a visit dated next month);
    - on the inspection's date or today (``月底`` typed on the last day of the month,
      ``今天``): overdue from tomorrow.
    """
    params = {"deadline": deadline.isoformat(), "today": today.isoformat(),
              "inspection": inspection_day.isoformat() if inspection_day else ""}
    if inspection_day is not None and deadline < inspection_day:
        return DateWarning("deadline.rule.before_inspection", params)
    if deadline == today or (inspection_day is not None and deadline == inspection_day):
        return DateWarning("deadline.rule.same_day", params)
    return None
