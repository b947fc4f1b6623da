import datetime as dt

from core.dates import age_on, birth_range_for_ages, years_before


def test_it_counts_age_on_and_before_the_birthday():
    assert age_on(dt.date(1946, 5, 10), dt.date(2026, 5, 10)) == 80
    assert age_on(dt.date(1946, 5, 10), dt.date(2026, 5, 9)) == 79


def test_it_moves_29_february_to_28_in_a_common_year():
    assert years_before(dt.date(2028, 2, 29), 3) == dt.date(2025, 2, 28)


def test_it_gives_birth_bounds_for_an_age_band():
    today = dt.date(2026, 11, 23)
    bounds = birth_range_for_ages(today, 80, 90)
    assert bounds == {"lte": dt.date(1946, 11, 23), "gt": dt.date(1936, 11, 23)}
    assert age_on(bounds["lte"], today) == 80
    assert age_on(bounds["gt"], today) == 90


def test_it_moves_29_february_forward_to_28_in_a_common_year():
    from core.dates import years_after

    assert years_after(dt.date(2024, 2, 29), 5) == dt.date(2029, 2, 28)
    assert years_after(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
