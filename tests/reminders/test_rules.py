"""The rules: who is due on a day, each in one query, the living only."""

import datetime as dt

import pytest
from lunardate import LunarDate

from branches.services import officer_appoint
from cadres.models import Cadre
from cadres.services import cadre_update
from reminders import rules
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

LUNAR = Cadre.BirthdayCalendar.LUNAR


def _due(rule, on, django_assert_num_queries):
    with django_assert_num_queries(1):
        return {cadre.name for cadre in rule(on=on)}


def test_solar_birthday_the_living_only(branch_a, django_assert_num_queries):
    CadreFactory(name="今天", birth_date=dt.date(1950, 3, 14), branch=branch_a)
    CadreFactory(name="明天", birth_date=dt.date(1950, 3, 15), branch=branch_a)
    CadreFactory(name="已故", birth_date=dt.date(1948, 3, 14), deceased_on=dt.date(2020, 1, 1))
    CadreFactory(name="今天去世", birth_date=dt.date(1947, 3, 14), deceased_on=dt.date(2025, 3, 15))
    CadreFactory(name="农历", birth_date=dt.date(1949, 3, 14), birthday_calendar=LUNAR)
    assert _due(rules.solar_birthdays, dt.date(2025, 3, 14), django_assert_num_queries) == {
        "今天",
        "今天去世",
    }


def test_29_february_falls_on_28_february_in_other_years(django_assert_num_queries):
    CadreFactory(name="闰日", birth_date=dt.date(1948, 2, 29))
    CadreFactory(name="二月廿八", birth_date=dt.date(1948, 2, 28))
    assert _due(rules.solar_birthdays, dt.date(2025, 2, 28), django_assert_num_queries) == {
        "闰日",
        "二月廿八",
    }
    assert _due(rules.solar_birthdays, dt.date(2024, 2, 28), django_assert_num_queries) == {"二月廿八"}
    assert _due(rules.solar_birthdays, dt.date(2024, 2, 29), django_assert_num_queries) == {"闰日"}


def test_lunar_birthday_on_its_lunar_date(django_assert_num_queries):
    born = LunarDate(1950, 8, 15).to_solar_date()  # 中秋
    CadreFactory(name="中秋", birth_date=born, birthday_calendar=LUNAR)
    CadreFactory(name="阳历", birth_date=born)
    on = LunarDate(2025, 8, 15).to_solar_date()
    assert _due(rules.lunar_birthdays, on, django_assert_num_queries) == {"中秋"}
    assert _due(rules.lunar_birthdays, on + dt.timedelta(days=1), django_assert_num_queries) == set()


def test_leap_month_and_30th_births(django_assert_num_queries):
    # Born in a leap second month: celebrated in the ordinary second month, never in a leap one.
    leap_born = LunarDate(2023, 2, 10, 1).to_solar_date()
    CadreFactory(name="闰月", birth_date=leap_born, birthday_calendar=LUNAR)
    # Born on the 30th of a third month: the 29th in 2023, whose third month has 29 days.
    thirtieth = next(
        LunarDate(year, 3, 30).to_solar_date() for year in range(1940, 1960) if _has_day(year, 3, 30)
    )
    CadreFactory(name="三十", birth_date=thirtieth, birthday_calendar=LUNAR)
    assert _due(rules.lunar_birthdays, LunarDate(2024, 2, 10).to_solar_date(), django_assert_num_queries) == {
        "闰月"
    }
    # A leap month's day: nobody is due, and no query is needed.
    assert list(rules.lunar_birthdays(on=LunarDate(2023, 2, 10, 1).to_solar_date())) == []
    assert _due(rules.lunar_birthdays, dt.date(2023, 5, 18), django_assert_num_queries) == {"三十"}


def _has_day(year, month, day):
    try:
        LunarDate(year, month, day).to_solar_date()
    except ValueError:
        return False
    return True


def test_milestone_birthdays(settings, django_assert_num_queries):
    CadreFactory(name="八十", birth_date=dt.date(1945, 6, 3))
    CadreFactory(name="七十九", birth_date=dt.date(1946, 6, 3))
    CadreFactory(name="九十", birth_date=dt.date(1935, 6, 3))
    on = dt.date(2025, 6, 3)
    assert _due(rules.milestone_birthdays, on, django_assert_num_queries) == {"八十", "九十"}
    settings.REMINDERS_MILESTONE_AGES = [79]
    assert _due(rules.milestone_birthdays, on, django_assert_num_queries) == {"七十九"}


def test_lunar_milestone_counts_lunar_years(django_assert_num_queries):
    CadreFactory(name="农历八十", birth_date=LunarDate(1945, 1, 5).to_solar_date(), birthday_calendar=LUNAR)
    assert _due(
        rules.milestone_birthdays, LunarDate(2025, 1, 5).to_solar_date(), django_assert_num_queries
    ) == {"农历八十"}


def test_political_birthday_follows_the_party_join_date(django_assert_num_queries):
    cadre = CadreFactory(name="党员", party_join_date=dt.date(1970, 7, 1))
    CadreFactory(name="群众")
    assert _due(rules.political_birthdays, dt.date(2025, 7, 1), django_assert_num_queries) == {"党员"}
    # The keys follow the date through the service.
    cadre_update(cadre=cadre, party_join_date=dt.date(1970, 7, 2))
    assert _due(rules.political_birthdays, dt.date(2025, 7, 1), django_assert_num_queries) == set()


def test_medal_on_the_medal_day_for_50_years_standing(settings, django_assert_num_queries):
    CadreFactory(name="五十年", party_join_date=dt.date(1975, 11, 20))
    CadreFactory(name="四十九年", party_join_date=dt.date(1976, 1, 1))
    assert _due(rules.medal_due, dt.date(2025, 6, 1), django_assert_num_queries) == {"五十年"}
    assert set(rules.medal_due(on=dt.date(2025, 6, 2))) == set()
    settings.REMINDERS_MEDAL_DAY = (6, 2)
    assert _due(rules.medal_due, dt.date(2025, 6, 2), django_assert_num_queries) == {"五十年"}


def test_officer_terms_ending_within_90_days(branch_a, cadre_a, django_assert_num_queries):
    officer = officer_appoint(
        branch=branch_a,
        cadre=cadre_a,
        role="secretary",
        term_start=dt.date(2022, 6, 1),
        term_end=dt.date(2025, 6, 1),
    )
    with django_assert_num_queries(1):
        assert list(rules.officer_terms_ending(on=dt.date(2025, 3, 3))) == [officer]
    assert list(rules.officer_terms_ending(on=dt.date(2025, 3, 2))) == []
    assert list(rules.officer_terms_ending(on=dt.date(2025, 6, 2))) == []
    cadre_update(cadre=cadre_a, deceased_on=dt.date(2025, 1, 1))
    assert list(rules.officer_terms_ending(on=dt.date(2025, 3, 3))) == []


def test_the_data_migration_fills_the_keys_of_existing_rows():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("cadres.migrations.0004_fill_calendar_keys")
    cadre = CadreFactory(
        birth_date=LunarDate(1950, 8, 15).to_solar_date(), party_join_date=dt.date(1970, 7, 1)
    )
    Cadre.objects.update(
        birth_month_day=None, lunar_birth_year=None, lunar_birth_month_day=None, party_join_month_day=None
    )
    migration.fill(apps, None)
    cadre.refresh_from_db()
    born = cadre.birth_date
    assert (
        cadre.birth_month_day,
        cadre.lunar_birth_year,
        cadre.lunar_birth_month_day,
        cadre.party_join_month_day,
    ) == (
        born.month * 100 + born.day,
        1950,
        815,
        701,
    )
