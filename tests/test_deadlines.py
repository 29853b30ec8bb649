"""Deadlines: typed forms, China's working-day calendar, the Mon–Fri fallback, overdue.

The 2026 facts are the State Council's published calendar (国办发明电〔2025〕7号):
Spring Festival 15–23 Feb with 14 and 28 Feb (Saturdays) worked; Mid-Autumn
25–27 Sep and National Day 1–7 Oct with 20 Sep (Sunday) and 10 Oct (Saturday)
worked. Fallback tests use the first year the installed package does not cover,
so they keep passing when a newer chinese_calendar adds a year.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from inspector import i18n
from inspector.core.deadlines import (
    Deadline,
    DeadlineError,
    add_working_days,
    covered_years,
    default_deadline,
    is_working_day,
    overdue_days,
    parse_deadline,
)

TODAY = date(2026, 11, 21)  # a Saturday, as in conftest
BEYOND = covered_years()[-1] + 1  # first year without an official calendar


def first_weekday(year: int, month: int, weekday: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


# --- the official calendar -------------------------------------------------


def test_calendar_covers_2026():
    assert 2026 in covered_years()
    assert covered_years()[0] == 2004


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 10, 1), (False, True)),  # Thursday, National Day
        (date(2026, 10, 7), (False, True)),  # Wednesday, still the holiday
        (date(2026, 10, 10), (True, True)),  # Saturday, 调休 working day
        (date(2026, 9, 20), (True, True)),  # Sunday, 调休 working day
        (date(2026, 9, 25), (False, True)),  # Friday, Mid-Autumn
        (date(2026, 2, 14), (True, True)),  # Saturday before Spring Festival, worked
        (date(2026, 2, 23), (False, True)),  # Monday, last day of Spring Festival
        (date(2026, 2, 28), (True, True)),  # Saturday after Spring Festival, worked
        (date(2026, 11, 21), (False, True)),  # an ordinary Saturday
        (date(2026, 11, 23), (True, True)),  # an ordinary Monday
    ],
)
def test_is_working_day_2026(day, expected):
    assert is_working_day(day) == expected


def test_uncovered_year_assumes_monday_to_friday():
    monday = first_weekday(BEYOND, 6, 0)
    assert is_working_day(monday) == (True, False)
    assert is_working_day(monday + timedelta(days=5)) == (False, False)  # Saturday
    # Even 1 January is a plain weekday until the calendar is published.
    jan1 = date(BEYOND, 1, 1)
    assert is_working_day(jan1) == (jan1.weekday() < 5, False)


def test_five_working_days_across_national_day_2026():
    # From Wed 30 Sep: Thu 8, Fri 9, Sat 10 (调休), Mon 12, Tue 13 Oct.
    assert add_working_days(date(2026, 9, 30), 5) == (date(2026, 10, 13), ())
    assert add_working_days(date(2026, 9, 30), 3) == (date(2026, 10, 10), ())


def test_one_working_day_from_friday_is_the_next_working_day():
    assert add_working_days(date(2026, 11, 20), 1) == (date(2026, 11, 23), ())  # ordinary Monday
    assert add_working_days(date(2026, 10, 9), 1) == (date(2026, 10, 10), ())  # 调休 Saturday
    assert add_working_days(date(2026, 9, 18), 1) == (date(2026, 9, 20), ())  # 调休 Sunday


def test_spring_festival_2026():
    # Fri 13 Feb: the next working day is Sat 14 (调休), then nothing until Tue 24.
    assert add_working_days(date(2026, 2, 13), 1)[0] == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 13), 2)[0] == date(2026, 2, 24)
    # 24, 25, 26, 27 Feb and Sat 28 (调休) are the first five after the holiday.
    assert add_working_days(date(2026, 2, 14), 5)[0] == date(2026, 2, 28)


def test_twenty_working_days_from_the_demo_today():
    assert add_working_days(TODAY, 20) == (date(2026, 12, 18), ())


def test_zero_working_days_is_the_start_and_negative_is_refused():
    assert add_working_days(TODAY, 0) == (TODAY, ())
    with pytest.raises(ValueError):
        add_working_days(TODAY, -1)


def test_working_days_beyond_the_calendar_fall_back_and_say_so():
    friday = first_weekday(BEYOND, 6, 4)
    assert add_working_days(friday, 1) == (friday + timedelta(days=3), (BEYOND,))
    assert add_working_days(friday, 5) == (friday + timedelta(days=7), (BEYOND,))


def test_counting_into_the_uncovered_year_reports_only_that_year():
    day, fallback = add_working_days(date(BEYOND - 1, 12, 31), 1)
    assert day.year == BEYOND and fallback == (BEYOND,)
    deadline = parse_deadline("1wd", date(BEYOND - 1, 12, 31))
    assert deadline.fallback_years == (BEYOND,)


def test_deadline_fully_inside_the_calendar_has_no_fallback():
    assert parse_deadline("20wd", TODAY).fallback_years == ()


# --- typed forms -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-12-31", date(2026, 12, 31)),
        ("2026/12/31", date(2026, 12, 31)),
        ("2026年12月31日", date(2026, 12, 31)),
        ("２０２６－１２－３１", date(2026, 12, 31)),
        (" 2026 - 12 - 31 ", date(2026, 12, 31)),
        ("+15d", date(2026, 12, 6)),
        ("15d", date(2026, 12, 6)),
        ("15D", date(2026, 12, 6)),
        ("15天", date(2026, 12, 6)),
        ("+15天", date(2026, 12, 6)),
        ("＋１５ｄ", date(2026, 12, 6)),
        ("15 days", date(2026, 12, 6)),
        ("+3w", date(2026, 12, 12)),
        ("3w", date(2026, 12, 12)),
        ("3周", date(2026, 12, 12)),
        ("3 个星期", date(2026, 12, 12)),
        ("+2m", date(2027, 1, 21)),
        ("2个月", date(2027, 1, 21)),
        ("eow", date(2026, 11, 22)),
        ("EOW", date(2026, 11, 22)),
        ("本周末", date(2026, 11, 22)),
        ("周末", date(2026, 11, 22)),
        ("eom", date(2026, 11, 30)),
        ("月底", date(2026, 11, 30)),
        ("本月底", date(2026, 11, 30)),
        ("eoq", date(2026, 12, 31)),
        ("季末", date(2026, 12, 31)),
        ("本季度末", date(2026, 12, 31)),
        ("eoy", date(2026, 12, 31)),
        ("年底", date(2026, 12, 31)),
        ("今天", TODAY),
        ("today", TODAY),
        ("Today", TODAY),
        ("明天", date(2026, 11, 22)),
        ("tomorrow", date(2026, 11, 22)),
        ("后天", date(2026, 11, 23)),
    ],
)
def test_calendar_forms(text, expected):
    deadline = parse_deadline(text, TODAY)
    assert deadline.day == expected
    assert deadline.working_days is False
    assert deadline.fallback_years == ()


@pytest.mark.parametrize(
    "text", ["20wd", "+20wd", "20WD", "20工作日", "20个工作日", "20 个工作日内", "２０ｗｄ", "20 working days"]
)
def test_working_day_forms(text):
    deadline = parse_deadline(text, TODAY)
    assert deadline == Deadline(date(2026, 12, 18), True, (), counted_from=TODAY, count=20)


def test_single_digit_month_and_day():
    assert parse_deadline("2026-1-5", date(2026, 1, 1)).day == date(2026, 1, 5)
    assert parse_deadline("2026年1月5日", date(2026, 1, 1)).day == date(2026, 1, 5)


def test_months_clamp_to_the_end_of_a_shorter_month():
    assert parse_deadline("1m", date(2026, 1, 31)).day == date(2026, 2, 28)


def test_end_of_week_on_sunday_is_today():
    sunday = date(2026, 11, 22)
    assert parse_deadline("eow", sunday).day == sunday
    assert parse_deadline("eow", date(2026, 11, 16)).day == sunday  # from Monday


@pytest.mark.parametrize(
    "today, eom, eoq",
    [
        (date(2026, 2, 10), date(2026, 2, 28), date(2026, 3, 31)),
        (date(2028, 2, 10), date(2028, 2, 29), date(2028, 3, 31)),  # leap year
        (date(2026, 4, 1), date(2026, 4, 30), date(2026, 6, 30)),
        (date(2026, 9, 30), date(2026, 9, 30), date(2026, 9, 30)),  # last day: today
        (date(2026, 10, 1), date(2026, 10, 31), date(2026, 12, 31)),
    ],
)
def test_end_of_month_and_quarter(today, eom, eoq):
    assert parse_deadline("月底", today).day == eom
    assert parse_deadline("季末", today).day == eoq


def test_today_is_allowed_and_yesterday_is_not():
    assert parse_deadline(TODAY.isoformat(), TODAY).day == TODAY
    with pytest.raises(DeadlineError) as err:
        parse_deadline("2026-11-20", TODAY)
    assert err.value.key == "deadline.in_past"
    assert err.value.params == {"day": "2026-11-20", "today": "2026-11-21"}


@pytest.mark.parametrize(
    "text, key",
    [
        ("", "deadline.empty"),
        ("   ", "deadline.empty"),
        ("soon", "deadline.unknown"),
        ("15", "deadline.unknown"),
        ("-5d", "deadline.unknown"),
        ("2月", "deadline.unknown"),  # February, not two months
        ("十五天", "deadline.unknown"),
        ("2026-02-30", "deadline.no_such_date"),
        ("2026-13-01", "deadline.no_such_date"),
        ("2025-12-31", "deadline.in_past"),
        ("0d", "deadline.zero"),
        ("0wd", "deadline.zero"),
        ("99999999d", "deadline.too_far"),
        ("99999999wd", "deadline.too_far"),
        ("9999m", "deadline.too_far"),
        ("2099-01-01", "deadline.too_far"),
    ],
)
def test_bad_inputs(text, key):
    with pytest.raises(DeadlineError) as err:
        parse_deadline(text, TODAY)
    assert err.value.key == key
    assert key in i18n.messages("zh") and key in i18n.messages("en")
    # The message formats with the error's own params in both languages.
    for lang in i18n.LANGUAGES:
        assert "{" not in i18n.t(err.value.key, lang, **err.value.params)


def test_unknown_input_message_says_what_was_typed_and_what_is_accepted():
    with pytest.raises(DeadlineError) as err:
        parse_deadline("  下个月吧 ", TODAY)
    assert err.value.params == {"text": "下个月吧"}
    zh = i18n.t(err.value.key, "zh", **err.value.params)
    en = i18n.t(err.value.key, "en", **err.value.params)
    assert "下个月吧" in zh and "20个工作日" in zh and "月底" in zh
    assert "下个月吧" in en and "20wd" in en and "eom" in en


# --- describe ----------------------------------------------------------------


def test_describe_working_days():
    deadline = parse_deadline("20wd", TODAY)
    assert deadline.describe("zh") == "2026-12-18（周五，20个工作日后）"
    assert deadline.describe("en") == "2026-12-18 (Fri, in 20 working days)"


def test_describe_calendar_days_and_named_days():
    assert parse_deadline("15天", TODAY).describe("zh") == "2026-12-06（周日，15天后）"
    assert parse_deadline("15d", TODAY).describe("en") == "2026-12-06 (Sun, in 15 days)"
    assert parse_deadline("今天", TODAY).describe("zh") == "2026-11-21（周六，今天）"
    assert parse_deadline("tomorrow", TODAY).describe("en") == "2026-11-22 (Sun, tomorrow)"
    assert parse_deadline("1wd", date(2026, 10, 9)).describe("en") == "2026-10-10 (Sat, in 1 working day)"


def test_describe_uses_the_current_language_by_default():
    deadline = parse_deadline("20wd", TODAY)
    assert deadline.describe() == deadline.describe("zh")
    i18n.set_language("en")
    assert deadline.describe() == deadline.describe("en")


def test_describe_mentions_the_fallback():
    deadline = parse_deadline("5wd", first_weekday(BEYOND, 6, 0))
    day = deadline.day.isoformat()
    assert deadline.describe("zh") == f"{day}（周一，5个工作日后；{BEYOND}年的法定节假日尚未公布，按周一至周五计算）"
    assert deadline.describe("en") == (
        f"{day} (Mon, in 5 working days; the official calendar does not cover {BEYOND} yet; Monday–Friday assumed)"
    )


def test_describe_lists_several_fallback_years():
    deadline = Deadline(date(BEYOND + 1, 1, 4), True, (BEYOND, BEYOND + 1), counted_from=TODAY, count=300)
    assert f"{BEYOND}、{BEYOND + 1}年" in deadline.describe("zh")
    assert f"cover {BEYOND}, {BEYOND + 1} yet" in deadline.describe("en")


# --- checklist periods and overdue -------------------------------------------


def test_default_deadline_from_checklist_periods():
    found = date(2026, 9, 30)
    assert default_deadline(found, "30d") == Deadline(date(2026, 10, 30), False, (), counted_from=found)
    assert default_deadline(found, "20wd").day == date(2026, 11, 3)  # 8 Oct .. 3 Nov, with Sat 10 Oct
    assert default_deadline(found, "20wd").working_days is True
    assert default_deadline(found, "15d").day == date(2026, 10, 15)


def test_default_deadline_may_be_counted_from_a_past_day():
    assert default_deadline(date(2026, 1, 5), "30d").day == date(2026, 2, 4)


@pytest.mark.parametrize("period", ["", "30", "thirty days", "月底", "2026-12-31"])
def test_default_deadline_refuses_other_periods(period):
    with pytest.raises(DeadlineError) as err:
        default_deadline(TODAY, period)
    assert err.value.key == "deadline.bad_period"


def test_overdue_from_the_day_after_the_deadline():
    deadline = date(2026, 12, 18)
    assert overdue_days(deadline, date(2026, 12, 17)) == 0
    assert overdue_days(deadline, deadline) == 0
    assert overdue_days(deadline, date(2026, 12, 19)) == 1
    assert overdue_days(deadline, date(2027, 1, 18)) == 31


# --- catalogs and purity -------------------------------------------------------


def _keys(lang: str) -> dict[str, str]:
    import tomllib

    from inspector.i18n import _FOLDER, _flatten

    with open(_FOLDER / f"{lang}.deadlines.toml", "rb") as fh:
        return _flatten(tomllib.load(fh))


def test_deadline_catalogs_have_the_same_keys_and_placeholders():
    zh, en = _keys("zh"), _keys("en")
    assert set(zh) == set(en)
    assert all(key.startswith("deadline.") for key in zh)
    field = re.compile(r"{(\w+)}")
    for key in zh:
        assert set(field.findall(zh[key])) == set(field.findall(en[key])), key
