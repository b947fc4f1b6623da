import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from branches.models import Activity, ActivityKind, Attendance
from branches.selectors import branch_compliance
from branches.services import activity_record, branch_members_on, membership_transfer
from core.periods import parse_period
from tests.factories import BranchFactory, CadreFactory

pytestmark = pytest.mark.django_db


def kind(code):
    return ActivityKind.objects.get(code=code)


def test_the_rules_of_party_life_are_seeded():
    required = dict(ActivityKind.objects.exclude(frequency="").values_list("name", "frequency"))
    assert required == {
        "支部党员大会": "quarter",
        "支部委员会": "month",
        "党小组会": "month",
        "党课": "quarter",
        "主题党日": "month",
        "组织生活会": "year",
        "民主评议党员": "year",
    }


def test_it_records_attendance_for_every_member_on_the_day(branch_a, branch_b):
    stays = CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1))
    on_leave = CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1))
    joined_later = CadreFactory(branch=branch_a, joined_on=dt.date(2026, 8, 1))
    moved_away = CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1))
    membership_transfer(cadre=moved_away, branch=branch_b, on=dt.date(2026, 7, 20))
    activity = activity_record(
        branch=branch_a,
        kind=kind("committee_meeting"),
        held_on=dt.date(2026, 7, 10),
        topic="学习七一讲话",
        attendance={stays.pk: ("present", ""), on_leave.pk: ("leave", "hospital")},
    )
    statuses = dict(activity.attendance.values_list("cadre_id", "status"))
    assert statuses == {stays.pk: "present", on_leave.pk: "leave", moved_away.pk: "absent"}
    assert joined_later.pk not in statuses
    assert Attendance.objects.get(cadre=on_leave).leave_reason == "hospital"


def test_it_refuses_someone_who_was_not_a_member_and_writes_nothing(branch_a, branch_b):
    CadreFactory(branch=branch_a)
    stranger = CadreFactory(branch=branch_b)
    with pytest.raises(ValidationError) as error:
        activity_record(
            branch=branch_a,
            kind=kind("theme_day"),
            held_on=dt.date(2026, 7, 1),
            topic="主题党日",
            attendance={stranger.pk: ("present", "")},
        )
    assert str(stranger.pk) in error.value.message_dict["attendance"][0]
    assert not Activity.objects.exists()


def test_it_needs_a_reason_for_leave_and_a_day_not_in_the_future(branch_a):
    member = CadreFactory(branch=branch_a)
    with pytest.raises(ValidationError):
        activity_record(
            branch=branch_a,
            kind=kind("theme_day"),
            held_on=dt.date(2026, 7, 1),
            topic="x",
            attendance={member.pk: ("leave", "")},
        )
    with pytest.raises(ValidationError):
        activity_record(
            branch=branch_a, kind=kind("theme_day"), held_on=dt.date.today() + dt.timedelta(days=1), topic="x"
        )
    assert not Activity.objects.exists()


def test_members_on_a_day_leave_out_the_dead(branch_a):
    alive = CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1))
    CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1), deceased_on=dt.date(2026, 3, 1))
    assert list(branch_members_on(branch=branch_a, day=dt.date(2026, 7, 1))) == [alive]


def _hold(branch, code, day):
    return activity_record(branch=branch, kind=kind(code), held_on=day, topic=code)


def _by_branch(rows):
    return {row.branch.pk: row for row in rows}


def test_a_month_needs_the_committee_and_the_theme_day(branch_a, branch_b, staff_user):
    _hold(branch_a, "committee_meeting", dt.date(2026, 7, 3))
    _hold(branch_a, "theme_day", dt.date(2026, 7, 15))
    _hold(branch_b, "committee_meeting", dt.date(2026, 7, 3))
    rows = _by_branch(branch_compliance(user=staff_user, period=parse_period("2026-07")))
    assert rows[branch_a.pk].compliant
    assert not rows[branch_b.pk].compliant
    missing = {r.kind.code: r.missing for r in rows[branch_b.pk].requirements if r.missing}
    assert missing == {"theme_day": 1}


def test_a_quarter_needs_each_month_and_the_quarterly_meetings(branch_a, staff_user):
    for month in (7, 8, 9):
        _hold(branch_a, "committee_meeting", dt.date(2026, month, 3))
    _hold(branch_a, "theme_day", dt.date(2026, 7, 15))
    _hold(branch_a, "theme_day", dt.date(2026, 7, 25))  # twice in July does not make up for August
    _hold(branch_a, "general_meeting", dt.date(2026, 9, 1))
    row = _by_branch(branch_compliance(user=staff_user, period=parse_period("2026-Q3")))[branch_a.pk]
    status = {r.kind.code: (r.needed, r.held) for r in row.requirements}
    assert status == {
        "committee_meeting": (3, 3),
        "theme_day": (3, 1),
        "general_meeting": (1, 1),
        "party_lecture": (1, 0),
    }
    assert not row.compliant


def test_party_groups_answer_for_group_meetings_only(branch_a, staff_user):
    group = BranchFactory(name="第一党小组", kind="group", parent=branch_a)
    _hold(group, "group_meeting", dt.date(2026, 7, 9))
    rows = _by_branch(branch_compliance(user=staff_user, period=parse_period("2026-07")))
    assert [r.kind.code for r in rows[group.pk].requirements] == ["group_meeting"]
    assert rows[group.pk].compliant
    assert "group_meeting" not in [r.kind.code for r in rows[branch_a.pk].requirements]


def test_a_branch_founded_mid_period_owes_only_the_months_after(committee, staff_user):
    new = BranchFactory(parent=committee, founded_on=dt.date(2026, 8, 15))
    row = _by_branch(branch_compliance(user=staff_user, period=parse_period("2026-Q3")))[new.pk]
    assert {r.kind.code: r.needed for r in row.requirements}["committee_meeting"] == 1  # September only


def test_the_attendance_rate_counts_the_present(branch_a, staff_user):
    members = [CadreFactory(branch=branch_a) for _ in range(4)]
    activity_record(
        branch=branch_a,
        kind=kind("theme_day"),
        held_on=dt.date(2026, 7, 1),
        topic="x",
        attendance={m.pk: ("present", "") for m in members[:3]},
    )
    row = _by_branch(branch_compliance(user=staff_user, period=parse_period("2026-07")))[branch_a.pk]
    assert row.attendance_rate == 0.75


def test_a_secretary_sees_only_the_own_branch(branch_a, branch_b, secretary_a):
    rows = branch_compliance(user=secretary_a, period=parse_period("2026-07"))
    assert [row.branch for row in rows] == [branch_a]


def test_it_runs_the_same_queries_for_2_and_12_branches(committee, staff_user, django_assert_max_num_queries):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            branch_compliance(user=staff_user, period=parse_period("2026-Q3"))
        return len(ctx)

    for _ in range(2):
        _hold(BranchFactory(parent=committee), "theme_day", dt.date(2026, 7, 1))
    few = count()
    for _ in range(10):
        _hold(BranchFactory(parent=committee), "theme_day", dt.date(2026, 7, 1))
    assert count() == few
