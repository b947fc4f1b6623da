"""The sheets of branch officers and of activities with their attendance (branches.importers):
previewed before anything is written, all or nothing, idempotent, within the user's scope, and
the current records download imports back unchanged."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from branches import services as branch_services
from branches.importers import ACTIVITIES, OFFICERS
from branches.models import Activity, ActivityKind, Attendance, BranchOfficer
from core.masking import mask_id_number
from imports import services
from imports.models import ImportJob
from imports.registry import importable_by
from tests.factories import CadreFactory
from tests.imports.test_records import run

pytestmark = pytest.mark.django_db

Status = ImportJob.Status
Role = BranchOfficer.Role
PRESENT, LEAVE, ABSENT = Attendance.Status.PRESENT, Attendance.Status.LEAVE, Attendance.Status.ABSENT
JULY_1 = dt.date(2024, 7, 1)


def snapshot():
    return (
        list(BranchOfficer.objects.order_by("pk").values()),
        list(Activity.objects.order_by("pk").values()),
        list(Attendance.objects.order_by("pk").values()),
    )


def errors_of(job) -> list[tuple]:
    return [(error["row"], error["column"], error["code"]) for error in job.errors]


def downloaded(client, resource) -> list[list]:
    response = client.get(reverse(f"imports:records_{resource.slug}"))
    assert response.status_code == 200
    sheet = load_workbook(filename=io.BytesIO(response.content)).active
    # The sheet keeps empty text-formatted rows below the records; they read as blank.
    rows = [list(row) for row in sheet.iter_rows(values_only=True) if any(row)]
    assert rows[0] == resource.headers
    return [[cell if cell is not None else "" for cell in row] for row in rows]


# Branch officers -------------------------------------------------------------------------------

OFFICER_HEADERS = ["党支部", "姓名", "身份证号", "职务", "任期开始", "任期结束"]


def test_officers_are_previewed_then_appointed_a_blank_end_for_one_full_term(
    run_jobs, staff_user, branch_a, cadre_a
):
    deputy = CadreFactory(name="李秀英", sex="F", branch=branch_a)
    rows = [
        OFFICER_HEADERS,
        [branch_a.name, "王建国", cadre_a.id_number, "书记", "2024-03-01", ""],
        [branch_a.name, "", deputy.id_number, "组织委员", "2024年3月1日", "2026-12-31"],
    ]
    preview = run(run_jobs, staff_user, "officers", rows, confirm=False)
    assert preview.status == Status.PREVIEWED, (preview.message, preview.errors)
    assert (preview.create_count, preview.update_count, preview.skip_count) == (2, 0, 0)
    assert not BranchOfficer.objects.exists(), "the preview writes nothing"
    assert [change["name"] for change in preview.changes] == ["王建国 书记", "李秀英 组织委员"]
    assert preview.changes[0]["id_number"] == mask_id_number(cadre_a.id_number)

    run_jobs(services.job_confirm, job=preview, user=staff_user)
    preview.refresh_from_db()
    assert preview.status == Status.DONE
    secretary = BranchOfficer.objects.get(cadre=cadre_a)
    assert (secretary.branch, secretary.role) == (branch_a, Role.SECRETARY)
    # The branch's term is 3 years (the default), as officer_appoint gives it.
    assert (secretary.term_start, secretary.term_end) == (dt.date(2024, 3, 1), dt.date(2027, 3, 1))
    organiser = BranchOfficer.objects.get(cadre=deputy)
    assert (organiser.role, organiser.term_end) == (Role.ORGANISATION, dt.date(2026, 12, 31))


def test_reimporting_officers_changes_nothing_and_a_new_end_updates_only_it(
    run_jobs, staff_user, branch_a, cadre_a
):
    rows = [OFFICER_HEADERS, [branch_a.name, "王建国", cadre_a.id_number, "书记", "2024-03-01", "2027-03-01"]]
    assert run(run_jobs, staff_user, "officers", rows).status == Status.DONE
    before = snapshot()

    again = run(run_jobs, staff_user, "officers", rows)
    assert (again.status, again.create_count, again.update_count, again.skip_count) == (Status.DONE, 0, 0, 1)
    # A blank end leaves the recorded one as it is.
    blank = run(run_jobs, staff_user, "officers", [OFFICER_HEADERS, [*rows[1][:5], ""]])
    assert (blank.status, blank.skip_count) == (Status.DONE, 1)
    assert snapshot() == before

    rows[1][5] = "2025-06-30"
    changed = run(run_jobs, staff_user, "officers", rows)
    assert (changed.status, changed.create_count, changed.update_count) == (Status.DONE, 0, 1)
    assert changed.changes[0]["columns"] == ["任期结束"]
    officer = BranchOfficer.objects.get()
    assert (officer.term_start, officer.term_end) == (dt.date(2024, 3, 1), dt.date(2025, 6, 30))

    # officer_update holds the new end to the model's check, as the appointment is held.
    rows[1][5] = "2024-02-01"
    refused = run(run_jobs, staff_user, "officers", rows)
    assert errors_of(refused) == [(2, "任期结束", "invalid")]
    officer.refresh_from_db()
    assert officer.term_end == dt.date(2025, 6, 30)


def test_one_bad_officer_row_imports_nothing_and_each_is_named_by_row_and_column(
    run_jobs, staff_user, branch_a, branch_b, cadre_a, cadre_b
):
    before = snapshot()
    rows = [
        OFFICER_HEADERS,
        [branch_a.name, "王建国", cadre_a.id_number, "书记", "2024-03-01", ""],
        # Not a member of branch a: officer_appoint's own rule.
        [branch_a.name, "李秀英", cadre_b.id_number, "委员", "2024-03-01", ""],
        [branch_a.name, "王建国", cadre_a.id_number, "主任", "2024-03-01", ""],
        # The model's check: a term ends after it starts.
        [branch_a.name, "王建国", cadre_a.id_number, "纪检委员", "2024-03-01", "2024-01-01"],
        [branch_a.name, "李四", cadre_a.id_number, "宣传委员", "2024-03-01", ""],
        [branch_a.name, "王建国", cadre_a.id_number, "书记", "2024-03-01", "2027-01-01"],
    ]
    job = run(run_jobs, staff_user, "officers", rows)
    assert job.status == Status.FAILED
    assert errors_of(job) == [
        (3, "身份证号", "invalid"),
        (4, "职务", "choice"),
        (5, "任期结束", "invalid"),
        (6, "姓名", "name_mismatch"),
        (7, "身份证号", "duplicate"),
    ]
    assert job.create_count == 0 and not job.changes
    assert snapshot() == before


def test_a_secretary_imports_the_officers_of_the_own_branch_only(
    run_jobs, secretary_a, branch_a, branch_b, cadre_a, cadre_b
):
    own = run(
        run_jobs,
        secretary_a,
        "officers",
        [OFFICER_HEADERS, [branch_a.name, "王建国", cadre_a.id_number, "书记", "2024-03-01", ""]],
    )
    assert (own.status, own.create_count) == (Status.DONE, 1), own.errors
    before = snapshot()
    other = run(
        run_jobs,
        secretary_a,
        "officers",
        [OFFICER_HEADERS, [branch_b.name, "李秀英", cadre_b.id_number, "书记", "2024-03-01", ""]],
    )
    assert other.status == Status.FAILED
    # Branch b is not one the secretary can see; neither is its member.
    assert errors_of(other) == [(2, "党支部", "unknown")]
    assert snapshot() == before


# Activities with their attendance --------------------------------------------------------------

ACTIVITY_HEADERS = [
    "党支部",
    "活动类型",
    "日期",
    "开始时间",
    "地点",
    "主题",
    "主讲人",
    "列席人数",
    "出席",
    "请假",
    "缺席",
]


@pytest.fixture
def members(branch_a, cadre_a):
    """Branch a's members on JULY_1 by name: 王建国 (cadre_a), 张华, 刘明 and 赵六."""
    others = {name: CadreFactory(name=name, branch=branch_a) for name in ("张华", "刘明", "赵六")}
    return {"王建国": cadre_a, **others}


def theme_day(
    branch, *, present="王建国、张华", leave="刘明（住院）", absent="", place="社区党群服务中心", day=JULY_1
):
    return [branch.name, "主题党日", day, "9:30", place, "学习党章", "王建国", 2, present, leave, absent]


def attendance_of(activity) -> dict[str, tuple[str, str]]:
    return {
        row.cadre.name: (row.status, row.leave_reason) for row in activity.attendance.select_related("cadre")
    }


def test_an_activity_is_previewed_then_recorded_with_every_members_attendance(
    run_jobs, staff_user, branch_a, members
):
    rows = [ACTIVITY_HEADERS, theme_day(branch_a)]
    preview = run(run_jobs, staff_user, "activities", rows, confirm=False)
    assert preview.status == Status.PREVIEWED, (preview.message, preview.errors)
    assert (preview.create_count, preview.update_count, preview.skip_count) == (1, 0, 0)
    assert not Activity.objects.exists(), "the preview writes nothing"
    assert preview.changes[0]["name"] == "2024-07-01 主题党日 学习党章"

    run_jobs(services.job_confirm, job=preview, user=staff_user)
    preview.refresh_from_db()
    assert preview.status == Status.DONE
    activity = Activity.objects.get()
    assert (activity.branch, activity.kind.code, activity.held_on) == (branch_a, "theme_day", JULY_1)
    assert (activity.starts_at, activity.place, activity.presenter, activity.guest_count) == (
        dt.time(9, 30),
        "社区党群服务中心",
        "王建国",
        2,
    )
    assert activity.created_by == staff_user
    # 赵六 is named nowhere: absent, as activity_record records a member left out.
    assert attendance_of(activity) == {
        "王建国": (PRESENT, ""),
        "张华": (PRESENT, ""),
        "刘明": (LEAVE, Attendance.LeaveReason.HOSPITAL),
        "赵六": (ABSENT, ""),
    }
    assert (activity.present_count, activity.roll_count) == (2, 4)


def test_a_leave_without_a_reason_is_other_and_a_kind_may_be_given_by_its_code(
    run_jobs, staff_user, branch_a, members
):
    row = theme_day(branch_a, present="王建国, 张华", leave="刘明", absent="赵六")
    row[1] = "theme_day"  # a kind may be given by its code too
    job = run(run_jobs, staff_user, "activities", [ACTIVITY_HEADERS, row])
    assert job.status == Status.DONE, job.errors
    assert attendance_of(Activity.objects.get()) == {
        "王建国": (PRESENT, ""),
        "张华": (PRESENT, ""),
        "刘明": (LEAVE, Attendance.LeaveReason.OTHER),
        "赵六": (ABSENT, ""),
    }


def test_reimporting_an_activity_changes_nothing_and_a_change_is_reported_by_column(
    run_jobs, staff_user, branch_a, members
):
    rows = [ACTIVITY_HEADERS, theme_day(branch_a)]
    assert run(run_jobs, staff_user, "activities", rows).status == Status.DONE
    before = snapshot()
    again = run(run_jobs, staff_user, "activities", rows)
    assert (again.status, again.create_count, again.update_count, again.skip_count) == (Status.DONE, 0, 0, 1)
    # With no list column filled in, a recorded activity keeps its attendance.
    bare = run(
        run_jobs, staff_user, "activities", [ACTIVITY_HEADERS, theme_day(branch_a, present="", leave="")]
    )
    assert (bare.status, bare.skip_count) == (Status.DONE, 1)
    assert snapshot() == before

    # 张华 goes from present to sick leave, 刘明 from hospital to present; the place changes.
    rows[1] = theme_day(branch_a, present="王建国、刘明", leave="张华(病假)", place="老干部活动中心")
    changed = run(run_jobs, staff_user, "activities", rows)
    assert (changed.status, changed.create_count, changed.update_count) == (Status.DONE, 0, 1), changed.errors
    assert changed.changes[0]["columns"] == ["地点", "出席", "请假"]
    activity = Activity.objects.get()
    assert activity.place == "老干部活动中心"
    assert attendance_of(activity)["张华"] == (LEAVE, Attendance.LeaveReason.SICK)
    assert attendance_of(activity)["刘明"] == (PRESENT, "")
    assert (activity.present_count, activity.roll_count) == (2, 4)

    # Dropped from every list: absent.
    rows[1] = theme_day(branch_a, present="王建国", leave="张华(病假)", place="老干部活动中心")
    dropped = run(run_jobs, staff_user, "activities", rows)
    assert dropped.changes[0]["columns"] == ["出席", "缺席"]
    assert attendance_of(Activity.objects.get())["刘明"] == (ABSENT, "")


def test_members_are_named_among_the_branch_on_that_day(run_jobs, staff_user, branch_a, branch_b, members):
    CadreFactory(name="孙七", branch=branch_a, joined_on=dt.date(2024, 9, 1))
    CadreFactory(name="李秀英", branch=branch_b)
    twin = CadreFactory(name="张华", branch=branch_a)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    rows = [
        ACTIVITY_HEADERS,
        # Joined after the day.
        theme_day(branch_a, present="王建国、孙七", leave=""),
        # A member of another branch.
        theme_day(branch_a, present="王建国", leave="李秀英(病假)", day=dt.date(2024, 7, 2)),
        # Two members are called 张华.
        theme_day(branch_a, present="张华", leave="", day=dt.date(2024, 7, 3)),
        theme_day(branch_a, present="王建国", leave="", absent="王建国", day=dt.date(2024, 7, 4)),
        theme_day(branch_a, present="王建国(住院)", leave="", day=dt.date(2024, 7, 5)),
        theme_day(branch_a, present="王建国", leave="刘明(探亲)", day=dt.date(2024, 7, 6)),
        theme_day(branch_a, day=tomorrow),
        [branch_a.name, "茶话会", JULY_1, "", "", "座谈", "", "", "王建国", "", ""],
        [branch_a.name, "主题党日", JULY_1, "九点", "", "座谈", "", "", "王建国", "", ""],
    ]
    before = snapshot()
    job = run(run_jobs, staff_user, "activities", rows)
    assert job.status == Status.FAILED
    assert errors_of(job) == [
        (2, "出席", "not_member"),
        (3, "请假", "not_member"),
        (4, "出席", "ambiguous_name"),
        (5, "缺席", "named_twice"),
        (6, "出席", "person"),
        (7, "请假", "choice"),
        (8, "日期", "future_date"),
        (9, "活动类型", "unknown_kind"),
        (10, "开始时间", "time"),
    ]
    assert "孙七" in job.errors[0]["message"] and "2024-07-01" in job.errors[0]["message"]
    assert "支部党员大会、支部委员会、党小组会、党课、主题党日" in job.errors[7]["message"]
    assert snapshot() == before

    # The ID number in place of the name, whole or masked as the lists show it, tells them apart.
    zhang = members["张华"]
    rows = [
        ACTIVITY_HEADERS,
        theme_day(
            branch_a, present=f"{zhang.id_number}、王建国", leave=f"{mask_id_number(twin.id_number)}(住院)"
        ),
    ]
    job = run(run_jobs, staff_user, "activities", rows)
    assert job.status == Status.DONE, job.errors
    recorded = {row.cadre_id: row.status for row in Activity.objects.get().attendance.all()}
    assert (recorded[zhang.pk], recorded[twin.pk]) == (PRESENT, LEAVE)


def test_the_errors_are_in_chinese(run_jobs, staff_user, branch_a, members):
    CadreFactory(name="张华", branch=branch_a)
    job = run(run_jobs, staff_user, "activities", [ACTIVITY_HEADERS, theme_day(branch_a, present="张华")])
    assert job.errors[0]["message"] == "本支部有多名党员叫“张华”：请在此处改填其身份证号。"


def test_a_retired_kind_stays_on_its_activities_but_takes_no_new_ones(
    run_jobs, staff_user, branch_a, members
):
    rows = [ACTIVITY_HEADERS, theme_day(branch_a)]
    assert run(run_jobs, staff_user, "activities", rows).status == Status.DONE
    ActivityKind.objects.filter(code="theme_day").update(is_active=False)
    before = snapshot()
    assert run(run_jobs, staff_user, "activities", rows).skip_count == 1
    rows[1][5] = "另一个主题"
    job = run(run_jobs, staff_user, "activities", rows)
    assert errors_of(job) == [(2, "活动类型", "invalid")]
    assert snapshot() == before


def test_a_secretary_imports_the_activities_of_the_own_branch_only(
    run_jobs, secretary_a, branch_a, branch_b, members
):
    assert {"officers", "activities"} <= {resource.slug for resource in importable_by(secretary_a)}
    own = run(run_jobs, secretary_a, "activities", [ACTIVITY_HEADERS, theme_day(branch_a)])
    assert (own.status, own.create_count) == (Status.DONE, 1), own.errors
    CadreFactory(name="李秀英", branch=branch_b)
    before = snapshot()
    other = run(
        run_jobs,
        secretary_a,
        "activities",
        [ACTIVITY_HEADERS, theme_day(branch_b, present="李秀英", leave="")],
    )
    assert other.status == Status.FAILED
    assert errors_of(other) == [(2, "党支部", "unknown")]
    assert snapshot() == before


# The current records, and who may have them ----------------------------------------------------


def test_the_current_records_download_imports_back_unchanged(
    run_jobs, client_as, staff_user, branch_a, branch_b, members
):
    twin = CadreFactory(name="张华", branch=branch_a)
    kind = ActivityKind.objects.get(code="party_lecture")
    branch_services.officer_appoint(
        branch=branch_a, cadre=members["王建国"], role=Role.SECRETARY, term_start=JULY_1
    )
    branch_services.officer_appoint(
        branch=branch_a, cadre=twin, role=Role.MEMBER, term_start=JULY_1, term_end=dt.date(2026, 1, 1)
    )
    branch_services.activity_record(
        branch=branch_a,
        kind=kind,
        held_on=JULY_1,
        # Full-width punctuation, as the activity form stores it and a sheet's cell reads it (NFKC).
        topic="党史学习（一）：建党",
        place="社区党群服务中心（二楼）",
        starts_at=dt.time(14, 30),
        attendance={
            members["王建国"].pk: (PRESENT, ""),
            members["张华"].pk: (PRESENT, ""),
            twin.pk: (LEAVE, Attendance.LeaveReason.AWAY),
            members["刘明"].pk: (LEAVE, Attendance.LeaveReason.HOSPITAL),
        },
    )
    branch_services.activity_record(branch=branch_a, kind=kind, held_on=dt.date(2024, 8, 1), topic="无人出席")
    client = client_as(staff_user)
    for resource in (OFFICERS, ACTIVITIES):
        rows = downloaded(client, resource)
        assert len(rows) == 3
        before = snapshot()
        job = run(run_jobs, staff_user, resource.slug, rows)
        assert job.status == Status.DONE, (resource.slug, job.message, job.errors)
        assert (job.create_count, job.update_count, job.skip_count) == (0, 0, 2)
        assert snapshot() == before
    lecture = dict(zip(ACTIVITIES.headers, downloaded(client, ACTIVITIES)[2], strict=True))
    # Two members called 张华: each is written as the ID number the lists show.
    assert lecture["出席"] == f"{mask_id_number(members['张华'].id_number)}、王建国"
    assert lecture["请假"] == f"刘明(住院)、{mask_id_number(twin.id_number)}(在外地)"
    assert lecture["缺席"] == "赵六"


def test_a_secretary_downloads_the_own_activities_and_imports_them_back(
    run_jobs, client_as, secretary_a, branch_a, branch_b, members
):
    kind = ActivityKind.objects.get(code="theme_day")
    branch_services.activity_record(
        branch=branch_a,
        kind=kind,
        held_on=JULY_1,
        topic="学习党章",
        attendance={members["张华"].pk: (PRESENT, "")},
    )
    branch_services.activity_record(branch=branch_b, kind=kind, held_on=JULY_1, topic="别的支部")
    rows = downloaded(client_as(secretary_a), ACTIVITIES)
    assert [row[5] for row in rows[1:]] == ["学习党章"]
    before = snapshot()
    job = run(run_jobs, secretary_a, "activities", rows)
    assert (job.status, job.skip_count) == (Status.DONE, 1), job.errors
    assert snapshot() == before


def test_the_activities_download_takes_as_many_queries_for_five_activities_as_for_one(
    django_assert_num_queries, staff_user, branch_a, members
):
    kind = ActivityKind.objects.get(code="theme_day")

    def record(topic):
        everyone = {cadre.pk: (PRESENT, "") for cadre in members.values()}
        branch_services.activity_record(
            branch=branch_a, kind=kind, held_on=JULY_1, topic=topic, attendance=everyone
        )

    record("第1次")
    user = User.objects.get(pk=staff_user.pk)
    with CaptureQueriesContext(connection) as one:
        services.records_export(resource=ACTIVITIES, user=user)
    for number in range(2, 6):
        CadreFactory(name=f"新党员{number}", branch=branch_a)
        record(f"第{number}次")
    user = User.objects.get(pk=staff_user.pk)
    with django_assert_num_queries(len(one.captured_queries)):
        services.records_export(resource=ACTIVITIES, user=user)


def test_the_sheets_are_for_those_who_may_write_officers_and_activities(
    client_as, staff_user, secretary_a, auditor
):
    for resource in (OFFICERS, ACTIVITIES):
        for user in (staff_user, secretary_a):
            response = client_as(user).get(reverse(f"imports:template_{resource.slug}"))
            assert response.status_code == 200
            header = [cell.value for cell in load_workbook(filename=io.BytesIO(response.content)).active[1]]
            assert header == resource.headers
        client = client_as(auditor)
        assert client.get(reverse(f"imports:template_{resource.slug}")).status_code == 403
        assert client.get(reverse(f"imports:records_{resource.slug}")).status_code == 403
        with pytest.raises(ValidationError):
            services.job_create(user=auditor, resource=resource.slug, upload=None)
    assert not importable_by(auditor)


def test_a_secretary_downloads_the_own_officers_masked_and_imports_them_back(
    run_jobs, client_as, secretary_a, branch_a, cadre_a
):
    """A secretary never sees a full ID number: the masked one names the member on re-import."""
    branch_services.officer_appoint(branch=branch_a, cadre=cadre_a, role=Role.SECRETARY, term_start=JULY_1)
    rows = downloaded(client_as(secretary_a), OFFICERS)
    assert rows[1][2] == mask_id_number(cadre_a.id_number)
    before = snapshot()
    job = run(run_jobs, secretary_a, "officers", rows)
    assert (job.status, job.skip_count) == (Status.DONE, 1), job.errors
    assert snapshot() == before


def test_a_masked_id_number_fitting_two_cadres_must_be_written_in_full(run_jobs, staff_user, branch_a):
    first = CadreFactory(branch=branch_a)
    twin_number = _same_mask_as(first.id_number)
    from core import idcard

    twin = CadreFactory(branch=branch_a, id_number=twin_number, birth_date=idcard.birth_date_of(twin_number))
    assert mask_id_number(first.id_number) == mask_id_number(twin.id_number)
    row = [branch_a.name, "", mask_id_number(first.id_number), "委员", "2024-03-01", ""]
    job = run(run_jobs, staff_user, "officers", [OFFICER_HEADERS, row])
    assert errors_of(job) == [(2, "身份证号", "unknown")]
    assert "完整" in job.errors[0]["message"]
    assert not BranchOfficer.objects.exists()


def _same_mask_as(number: str) -> str:
    """Another valid ID number with the same region code and last four characters."""
    from core import idcard

    for day in range(1, 3000):
        born = dt.date(1945, 1, 1) + dt.timedelta(days=day)
        first17 = f"{number[:6]}{born:%Y%m%d}{number[14:17]}"
        if idcard.check_digit(first17) == number[17] and first17 != number[:17]:
            return first17 + number[17]
    raise AssertionError("no twin found")
