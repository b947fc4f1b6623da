"""Checking a roster row by row and classifying it: errors named by row, column and reason."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Role
from cadres.models import Cadre
from core import idcard
from imports.planning import plan_cadres
from imports.readers import read_table
from imports.specs import CADRE_ROSTER
from tests.factories import BranchFactory, CadreFactory, UserFactory
from tests.imports.helpers import HEADERS, SHORT_HEADERS, person, rows_of, xlsx

pytestmark = pytest.mark.django_db


def plan(rows, user):
    return plan_cadres(table=read_table(name="花名册.xlsx", data=xlsx(rows)), user=user)


def errors_of(result):
    return [(error.row, error.column, error.code) for error in result.errors]


def test_it_plans_a_create_for_each_new_cadre(staff_user, branch_a):
    result = plan(
        rows_of([person(1, branch=branch_a.name), person(2, branch=branch_a.name, sex="F")]), staff_user
    )
    assert result.is_valid
    assert [row for row, _values in result.creates] == [2, 3]
    values = result.creates[1][1]
    assert values["sex"] == "F"
    assert values["branch_id"] == branch_a.pk
    assert values.get("ethnicity") is None  # a missing column: the write gives the model's default
    assert values["birth_date"] == idcard.birth_date_of(values["id_number"])


def test_wrong_headers_refuse_the_file_and_list_the_expected_ones(staff_user):
    result = plan([["名字", "身份证", "退休类别"], ["王建国", "51010419500314029X", "退休"]], staff_user)
    assert not result.is_valid
    assert "名字" in result.message and "身份证" in result.message
    for header in CADRE_ROSTER.headers:
        assert header in result.message
    assert result.creates == []


def test_a_file_with_headers_only_is_refused(staff_user):
    result = plan([SHORT_HEADERS], staff_user)
    assert result.message and not result.is_valid


def test_aliases_a_row_number_column_and_any_column_order_are_accepted(staff_user, branch_a):
    entry = person(1, branch=branch_a.name)
    rows = [
        ["序号", "退休类别", "身份证号码", "姓名", "党支部"],
        [1, entry["退休类别"], entry["身份证号"], entry["姓名"], branch_a.name],
    ]
    result = plan(rows, staff_user)
    assert result.is_valid, result.message or result.errors
    assert result.creates[0][1]["name"] == entry["姓名"]


def test_one_bad_check_digit_among_a_thousand_rows_names_its_row(staff_user, branch_a):
    people = [person(i, branch=branch_a.name) for i in range(1000)]
    good = people[499]["身份证号"]
    people[499]["身份证号"] = good[:-1] + ("0" if good[-1] != "0" else "1")
    result = plan(rows_of(people), staff_user)
    assert errors_of(result) == [(501, "身份证号", "id_check_digit")]
    assert result.error_count == 1
    assert result.creates == [] and result.updates == []


@pytest.mark.parametrize(
    ("change", "column", "code"),
    [
        ({"出生日期": dt.date(1960, 1, 1)}, "出生日期", "birth_date_mismatch"),
        ({"性别": "女"}, "性别", "sex_mismatch"),
        ({"所在党支部": "不存在的党支部"}, "所在党支部", "unknown_branch"),
        ({"姓名": ""}, "姓名", "required"),
        ({"退休类别": "病休"}, "退休类别", "choice"),
        ({"联系电话": "没有电话"}, "联系电话", "phone"),
        ({"出生日期": "1950-02-30"}, "出生日期", "date"),
    ],
)
def test_each_kind_of_bad_row_is_named(staff_user, branch_a, change, column, code):
    people = [person(i, branch=branch_a.name) for i in range(5)]
    people[2].update(change)
    result = plan(rows_of(people), staff_user)
    assert errors_of(result) == [(4, column, code)]
    assert result.creates == []


def test_a_date_in_the_future_is_an_error(staff_user, branch_a):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    entry = {**person(1, branch=branch_a.name), "入党日期": tomorrow, "退休日期": "2010-1-1"}
    result = plan(rows_of([entry], [*SHORT_HEADERS, "入党日期", "退休日期"]), staff_user)
    assert errors_of(result) == [(2, "入党日期", "future_date")]
    assert tomorrow.isoformat() in result.errors[0].message


def test_a_date_before_birth_is_an_error(staff_user, branch_a):
    entry = {**person(1, branch=branch_a.name, born=dt.date(1950, 3, 14)), "退休日期": "1949-1-1"}
    result = plan(rows_of([entry], [*SHORT_HEADERS, "退休日期"]), staff_user)
    assert errors_of(result) == [(2, "退休日期", "before_birth")]


def test_a_duplicate_id_in_the_file_names_both_rows(staff_user, branch_a):
    people = [person(i, branch=branch_a.name) for i in range(4)]
    people[3]["身份证号"] = people[1]["身份证号"].lower()
    result = plan(rows_of(people), staff_user)
    assert errors_of(result) == [(5, "身份证号", "duplicate")]
    assert "3" in result.errors[0].message  # the first row with that number


def test_an_ambiguous_branch_name_is_an_error(staff_user, committee):
    BranchFactory(name="同名党支部", parent=committee)
    BranchFactory(name="同名党支部", parent=committee)
    result = plan(rows_of([person(1, branch="同名党支部")]), staff_user)
    assert errors_of(result) == [(2, "所在党支部", "branch_not_unique")]


def test_a_dissolved_branch_is_an_error(staff_user, committee):
    from branches.services import branch_update

    gone = BranchFactory(name="已撤销党支部", parent=committee)
    branch_update(branch=gone, founded_on=dt.date(2000, 1, 1), dissolved_on=dt.date(2020, 1, 1))
    result = plan(rows_of([person(1, branch="已撤销党支部")]), staff_user)
    assert errors_of(result) == [(2, "所在党支部", "branch_dissolved")]


def test_errors_are_counted_beyond_the_stored_ones(staff_user, settings):
    settings.IMPORT_MAX_STORED_ERRORS = 10
    people = [{**person(i), "退休类别": "?"} for i in range(25)]
    result = plan(rows_of(people), staff_user)
    assert result.error_count == 25
    assert len(result.errors) == 10


def test_an_identical_registered_cadre_is_skipped_and_a_changed_one_updated(staff_user, branch_a):
    same = CadreFactory(name="王建国", branch=branch_a)
    changed = CadreFactory(name="李秀英", sex="F", branch=branch_a, birth_date=dt.date(1952, 1, 2))
    rows = [
        SHORT_HEADERS,
        ["王建国", "男", same.id_number, same.birth_date, "退休", branch_a.name, same.phone],
        ["李秀英", "女", changed.id_number, "", "退休", branch_a.name, "13900000000"],
    ]
    result = plan(rows, staff_user)
    assert result.is_valid
    assert result.skip_count == 1
    assert result.creates == []
    [(cadre_id, values, old_branch)] = result.updates
    assert cadre_id == changed.pk and old_branch == branch_a.pk
    assert values["phone"] == "13900000000"
    assert [entry["columns"] for entry in result.sample] == [["联系电话"]]


def test_a_blank_optional_cell_keeps_the_registered_value(staff_user, branch_a):
    cadre = CadreFactory(branch=branch_a, phone="13812345678")
    rows = [SHORT_HEADERS, [cadre.name, "", cadre.id_number, "", "退休", "", ""]]
    result = plan(rows, staff_user)
    assert result.skip_count == 1 and result.updates == []


def test_a_new_branch_for_a_registered_cadre_is_a_transfer(staff_user, cadre_a, branch_b):
    rows = [SHORT_HEADERS, [cadre_a.name, "", cadre_a.id_number, "", "退休", branch_b.name, cadre_a.phone]]
    result = plan(rows, staff_user)
    [(cadre_id, values, old_branch)] = result.updates
    assert (cadre_id, values["branch_id"], old_branch) == (cadre_a.pk, branch_b.pk, cadre_a.branch_id)
    assert result.sample[0]["columns"] == ["所在党支部"]


# A secretary's scope ---------------------------------------------------------------------------


def test_a_secretary_cannot_name_another_branch(secretary_a, branch_a, branch_b):
    result = plan(rows_of([person(1, branch=branch_a.name), person(2, branch=branch_b.name)]), secretary_a)
    assert errors_of(result) == [(3, "所在党支部", "unknown_branch")]
    assert result.creates == []


def test_a_secretary_cannot_update_a_cadre_of_another_branch(secretary_a, cadre_b, branch_a):
    rows = [SHORT_HEADERS, [cadre_b.name, "女", cadre_b.id_number, "", "退休", branch_a.name, "13900000000"]]
    result = plan(rows, secretary_a)
    assert errors_of(result) == [(2, "身份证号", "outside_scope")]
    assert result.updates == []


def test_a_secretary_must_name_a_branch_for_a_new_cadre(secretary_a):
    result = plan(rows_of([person(1, branch="")]), secretary_a)
    assert errors_of(result) == [(2, "所在党支部", "branch_required")]


def test_a_secretary_may_update_their_own_cadre_without_naming_the_branch(secretary_a, cadre_a):
    rows = [SHORT_HEADERS, [cadre_a.name, "男", cadre_a.id_number, "", "离休", "", ""]]
    result = plan(rows, secretary_a)
    assert result.is_valid
    assert result.updates[0][1]["retirement_type"] == "lixiu"


def test_a_secretary_may_import_into_a_branch_below_their_own(secretary_a, branch_a):
    below = BranchFactory(name="第一党小组", kind="group", parent=branch_a)
    result = plan(rows_of([person(1, branch=below.name)]), secretary_a)
    assert result.is_valid and result.creates[0][1]["branch_id"] == below.pk


def test_a_team_leader_sees_no_branch(db, branch_a):
    from volunteers.services import team_create

    team = team_create(name="总队", level="corps")
    leader = UserFactory(role=Role.TEAM_LEADER, volunteer_team=team)
    result = plan(rows_of([person(1, branch=branch_a.name)]), leader)
    assert errors_of(result) == [(2, "所在党支部", "unknown_branch")]


# The plan's checks agree with the model's ----------------------------------------------------


def test_every_row_the_plan_accepts_passes_the_models_full_clean(staff_user, branch_a):
    people = []
    for i in range(40):
        entry = person(i, branch=branch_a.name, sex="F" if i % 2 else "M")
        entry.update(
            {
                "民族": ["汉", "回族", "满"][i % 3],
                "退休类别": ["离休", "退休"][i % 2],
                "职级": ["省部级", "厅局级", "县处级", "乡科级", "其他", ""][i % 6],
                "入党日期": dt.date(1970, 7, 1) if i % 3 else "",
                "五老": "老干部、老教师" if i % 4 == 0 else "",
                "常住外地": "是" if i % 5 == 0 else "否",
                "生日历法": "农历" if i % 2 else "",
            }
        )
        people.append(entry)
    result = plan(rows_of(people, HEADERS), staff_user)
    assert result.is_valid, result.errors[:3]
    for _row, values in result.creates:
        fields = {k: v for k, v in values.items() if k != "branch_id" and v is not None}
        Cadre(**fields).full_clean(exclude=["id_number"])  # unique: checked against the registry by the plan
