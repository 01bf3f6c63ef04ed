"""The day a post's address names, and a UTC stamp seen on that day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from parsers.dates import date_in_url, on_local_day


def test_date_in_url_reads_permalinks() -> None:
    assert date_in_url("https://x.example/2021/03/05/slug/") == date(2021, 3, 5)
    assert date_in_url("https://x.example/blog/2017/7/12/post") == date(2017, 7, 12)
    assert date_in_url("https://x.example/2021/03/slug/") is None
    assert date_in_url("https://x.example/2021/13/40/slug/") is None
    assert date_in_url(None) is None


def test_a_utc_stamp_one_day_ahead_is_seen_from_a_zone_on_that_day() -> None:
    value = datetime(2021, 3, 5, 2, 30, tzinfo=UTC)
    local = on_local_day(value, date(2021, 3, 4))
    assert local == value and local.date() == date(2021, 3, 4)
    assert local.utcoffset() == timedelta(hours=-3)


def test_a_utc_stamp_one_day_behind_moves_forward() -> None:
    value = datetime(2018, 12, 31, 23, 11, tzinfo=UTC)
    local = on_local_day(value, date(2019, 1, 1))
    assert local == value and local.date() == date(2019, 1, 1)


def test_a_naive_stamp_becomes_the_address_day() -> None:
    assert on_local_day(datetime(2021, 3, 4, 23, 30), date(2021, 3, 5)) == datetime(2021, 3, 5)


def test_values_that_state_their_day_are_kept() -> None:
    offset = datetime(2021, 3, 4, 23, 30, tzinfo=timezone(timedelta(hours=1)))
    assert on_local_day(offset, date(2021, 3, 5)) is offset
    day_only = datetime(2021, 3, 4)
    assert on_local_day(day_only, date(2021, 3, 5)) is day_only
    far = datetime(2021, 3, 1, 12, tzinfo=UTC)
    assert on_local_day(far, date(2021, 3, 5)) is far
