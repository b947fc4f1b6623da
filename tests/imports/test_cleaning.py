"""Cells as clerks type them: every date form, full-width digits, stray spaces, labels and codes."""

import datetime as dt

import pytest

from imports import cleaning
from imports.specs import CADRE_ROSTER

JULY_1 = dt.date(2023, 7, 1)


@pytest.mark.parametrize(
    "cell",
    [
        dt.date(2023, 7, 1),
        dt.datetime(2023, 7, 1, 0, 0),
        45108,  # the Excel serial number of 2023-07-01
        45108.0,
        "45108",
        "2023-7-1",
        "2023-07-01",
        "2023/07/01",
        "2023/7/1",
        "2023.7.1",
        "2023年7月1日",
        "2023年07月01日",
        "2023 年 7 月 1 日",
        "20230701",
        20230701,
        "2023-07-01 00:00:00",
        "２０２３－０７－０１",  # full-width digits and dash
        "２０２３年７月１日",
        "\u30002023/7/1\u3000",  # ideographic spaces around it
        " 2023-7-1 ",
    ],
)
def test_it_reads_every_usual_date_form(cell):
    assert cleaning.date(cell) == JULY_1


@pytest.mark.parametrize("cell", ["", None, "   ", "\u3000"])
def test_a_blank_date_is_none(cell):
    assert cleaning.date(cell) is None


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("2023-02-30", "date"),
        ("2023-13-01", "date"),
        ("2023年7月", "date"),
        ("1965", "date"),
        (1965, "date"),
        ("七月一日", "date"),
        ("yesterday", "date"),
        (True, "date"),
        (-5, "date"),
    ],
)
def test_it_refuses_what_is_no_date(cell, code):
    with pytest.raises(cleaning.CellError) as refused:
        cleaning.date(cell)
    assert refused.value.code == code
    assert refused.value.message


def test_the_error_for_a_month_without_a_day_says_so():
    with pytest.raises(cleaning.CellError) as refused:
        cleaning.date("2023年7月")
    assert "2023年7月" in refused.value.message


def test_text_normalises_full_width_characters_and_strips_spaces():
    assert cleaning.text("\u3000ＡＢＣ１２３\u3000") == "ABC123"
    assert cleaning.text(" 市城管局 ") == "市城管局"
    assert cleaning.text("王\u200b建国") == "王建国"  # a zero-width space pasted from a chat app
    assert cleaning.text(13812345678.0) == "13812345678"
    assert cleaning.text(None) == ""
    # The quote an export puts before formula-like text (core.exports.safe_cell) comes off again.
    assert cleaning.text("'=1+2") == "=1+2"
    assert cleaning.text("'quoted'") == "'quoted'"


def test_a_name_loses_the_spaces_between_chinese_characters_only():
    assert cleaning.name("王  建国") == "王建国"
    assert cleaning.name("王\u3000建国") == "王建国"
    assert cleaning.name("阿卜杜拉·买买提") == "阿卜杜拉·买买提"
    assert cleaning.name("John  Smith") == "John Smith"


def test_an_id_number_is_upper_cased_and_checked():
    assert cleaning.id_number(" 51010419500314029x ") == "51010419500314029X"
    assert cleaning.id_number("５１０１０４１９５００３１４０２９Ｘ") == "51010419500314029X"
    with pytest.raises(cleaning.CellError) as refused:
        cleaning.id_number("110101195003140012")
    assert refused.value.code == "id_check_digit"


def test_an_id_number_stored_as_a_number_is_refused_with_the_reason():
    with pytest.raises(cleaning.CellError) as refused:
        cleaning.id_number(1.10101195003140e17)
    assert refused.value.code == "id_number_as_number"


def test_a_phone_keeps_its_digits_and_drops_spaces():
    assert cleaning.phone("138 1234 5678") == "13812345678"
    assert cleaning.phone(13812345678.0) == "13812345678"
    assert cleaning.phone("０２８－８６６１２３４５") == "028-86612345"
    with pytest.raises(cleaning.CellError):
        cleaning.phone("call me")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (dt.time(9, 30), dt.time(9, 30)),
        (dt.datetime(2024, 7, 1, 14, 0), dt.time(14, 0)),
        (0.375, dt.time(9, 0)),  # Excel keeps a time as the fraction of a day
        ("9:30", dt.time(9, 30)),
        ("09:30:15", dt.time(9, 30, 15)),
        ("９：３０", dt.time(9, 30)),
        ("9时30分", dt.time(9, 30)),
        ("9点半", dt.time(9, 30)),
        ("下午2:30", dt.time(14, 30)),
        ("", None),
    ],
)
def test_it_reads_a_time_of_day_as_clerks_write_it(cell, expected):
    assert cleaning.time_of_day(cell) == expected


@pytest.mark.parametrize("cell", ["25:00", "9:75", "九点", "9", 1.5])
def test_it_refuses_what_is_no_time_of_day(cell):
    with pytest.raises(cleaning.CellError) as refused:
        cleaning.time_of_day(cell)
    assert refused.value.code == "time"


@pytest.mark.parametrize(
    ("cell", "expected"), [("是", True), ("否", False), ("Y", True), ("0", False), ("", None)]
)
def test_a_yes_or_no_cell(cell, expected):
    assert cleaning.boolean(cell) is expected


def test_choices_are_read_by_their_chinese_label_or_their_code():
    retirement = CADRE_ROSTER.column_for("退休类别").clean
    assert retirement("离休") == "lixiu"
    assert retirement(" 退休 ") == "tuixiu"
    assert retirement("LIXIU") == "lixiu"
    with pytest.raises(cleaning.CellError) as refused:
        retirement("病休")
    assert "离休" in refused.value.message and "退休" in refused.value.message
    rank = CADRE_ROSTER.column_for("职级").clean
    assert rank("县处级") == "county"
    assert rank("正处级") == "county"


def test_several_five_elders_tags_in_one_cell_come_back_in_their_order():
    five_elders = CADRE_ROSTER.column_for("五老").clean
    assert five_elders("老教师、老干部") == ["old_cadre", "teacher"]
    assert five_elders("老教师，老干部 老战士") == ["old_cadre", "veteran", "teacher"]
    assert five_elders("") is None


def test_an_ethnic_group_is_read_with_or_without_its_suffix():
    ethnicity = CADRE_ROSTER.column_for("民族").clean
    assert ethnicity("汉") == "汉族"
    assert ethnicity("回族") == "回族"
    assert ethnicity(" 蒙古 ") == "蒙古族"


def test_text_longer_than_the_field_is_refused():
    name = CADRE_ROSTER.column_for("姓名").clean
    with pytest.raises(cleaning.CellError) as refused:
        name("王" * 51)
    assert refused.value.code == "too_long"


def test_the_fast_id_check_agrees_with_core_idcard():
    import random

    from django.core.exceptions import ValidationError

    from core import idcard

    rng = random.Random(7)
    samples = []
    for _ in range(3000):
        born = dt.date(1880, 1, 1) + dt.timedelta(days=rng.randrange(365 * 160))
        number = idcard.make_id_number(
            rng.choice(["110101", "510104", "440103"]), born, rng.randrange(500), "MF"[_ % 2]
        )
        samples.append(number)
        samples.append(number[:17] + rng.choice("0123456789X"))  # a wrong check digit, mostly
        samples.append(number[:10] + "1332" + number[14:])  # 32 December
        samples.append(number.lower())
        samples.append(number[:5] + "A" + number[6:])
    for sample in samples:
        try:
            idcard.validate_id_number(sample)
        except ValidationError:
            expected = False
        else:
            expected = True
        try:
            accepted = cleaning.id_number(sample) == idcard.normalize(sample)
        except cleaning.CellError:
            accepted = False
        assert accepted == expected, sample
