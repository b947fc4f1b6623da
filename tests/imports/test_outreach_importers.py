"""The talk sheet (outreach.importers): talks recorded and corrected through talk_record and
talk_update, found again by group, date, title and venue; a secretary imports their own
branches' groups' talks only."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from imports import services
from imports.models import ImportJob
from imports.registry import importable_by
from outreach.importers import TALKS
from outreach.models import LectureGroupMembership, TalkEvent
from outreach.services import campaign_create, group_member_add, group_member_end
from tests.factories import AreaFactory, CadreFactory, LectureGroupFactory, LecturerFactory
from tests.imports.helpers import upload, xlsx

pytestmark = pytest.mark.django_db

Status = ImportJob.Status
HEADERS = [
    "宣讲团",
    "宣讲日期",
    "题目",
    "宣讲主题类别",
    "场所类型",
    "场所名称",
    "所在区域",
    "听众人数",
    "其中青少年人数",
    "宣讲人",
]
DAY = dt.date.today() - dt.timedelta(days=30)


def run(run_jobs, user, rows, *, confirm=True):
    job = run_jobs(services.job_create, user=user, resource="talks", upload=upload("宣讲.xlsx", xlsx(rows)))
    job.refresh_from_db()
    if confirm and job.status == Status.PREVIEWED:
        run_jobs(services.job_confirm, job=job, user=user)
        job.refresh_from_db()
    return job


def snapshot():
    return (
        list(TalkEvent.objects.order_by("pk").values()),
        list(TalkEvent.lecturers.through.objects.order_by("pk").values()),
    )


def errors(job):
    return [(error["row"], error["column"], error["code"]) for error in job.errors]


def lecturer_in(group, name, *, branch, joined_on=dt.date(2020, 1, 1)):
    lecturer = LecturerFactory(cadre=CadreFactory(name=name, branch=branch))
    group_member_add(group=group, lecturer=lecturer, joined_on=joined_on)
    return lecturer


@pytest.fixture
def group_a(branch_a):
    return LectureGroupFactory(name="城管银发宣讲分团", branch=branch_a)


@pytest.fixture
def group_b(branch_b):
    return LectureGroupFactory(name="教育银发宣讲分团", branch=branch_b)


@pytest.fixture
def wang(group_a, branch_a):
    return lecturer_in(group_a, "王建国", branch=branch_a)


@pytest.fixture
def li(group_a, branch_a):
    return lecturer_in(group_a, "李秀英", branch=branch_a)


def test_talks_are_previewed_then_recorded_through_the_service(run_jobs, staff_user, group_a, wang, li):
    area = AreaFactory(name="锦江区", kind="district")
    campaign = campaign_create(
        name="百千万宣讲行动", starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2099, 12, 31)
    )
    rows = [
        [*HEADERS, "所属宣讲行动", "备注"],
        [
            group_a.name,
            DAY,
            "传承红色基因",
            "党史",
            "学校",
            "市第一中学",
            "锦江区",
            300,
            280,
            "王建国、李秀英",
            campaign.name,
            "五老进校园",
        ],
        # A lecturer by ID number; blank optional cells take the defaults.
        [
            group_a.name,
            DAY.isoformat(),
            "防溺水安全课",
            "防溺水",
            "社区",
            "",
            "",
            "８０",
            "",
            li.cadre.id_number,
            "",
            "",
        ],
    ]
    preview = run(run_jobs, staff_user, rows, confirm=False)
    assert preview.status == Status.PREVIEWED, (preview.message, preview.errors)
    assert (preview.create_count, preview.update_count, preview.skip_count) == (2, 0, 0)
    assert not TalkEvent.objects.exists(), "the preview records nothing"
    assert [change["branch"] for change in preview.changes] == [group_a.branch.name] * 2

    run_jobs(services.job_confirm, job=preview, user=staff_user)
    preview.refresh_from_db()
    assert preview.status == Status.DONE
    first = TalkEvent.objects.get(title="传承红色基因")
    assert (first.group, first.held_on, first.topic, first.venue_type, first.venue_name) == (
        group_a,
        DAY,
        "party_history",
        "school",
        "市第一中学",
    )
    assert (first.area, first.audience, first.youth_audience, first.campaign) == (area, 300, 280, campaign)
    assert (first.notes, first.recorded_by) == ("五老进校园", staff_user)
    assert set(first.lecturers.all()) == {wang, li}
    second = TalkEvent.objects.get(title="防溺水安全课")
    assert (second.audience, second.youth_audience, second.area, second.venue_name) == (80, 0, None, "")
    assert list(second.lecturers.all()) == [li]


def test_a_reimport_skips_and_a_changed_cell_updates_only_that(run_jobs, staff_user, group_a, wang, li):
    rows = [
        HEADERS,
        [group_a.name, DAY, "传承红色基因", "党史", "学校", "市第一中学", "", 300, 280, "王建国"],
    ]
    assert run(run_jobs, staff_user, rows).status == Status.DONE
    talk = TalkEvent.objects.get()
    before = snapshot()

    again = run(run_jobs, staff_user, rows)
    assert (again.status, again.create_count, again.update_count, again.skip_count) == (Status.DONE, 0, 0, 1)
    assert snapshot() == before

    rows[1][7] = 350
    rows[1][9] = "王建国、李秀英"
    changed = run(run_jobs, staff_user, rows)
    assert (changed.status, changed.create_count, changed.update_count) == (Status.DONE, 0, 1)
    assert changed.changes[0]["columns"] == ["听众人数", "宣讲人"]
    talk.refresh_from_db()
    assert talk.audience == 350 and set(talk.lecturers.all()) == {wang, li}
    assert TalkEvent.objects.count() == 1

    # Another venue is another talk: the venue's name is part of the key.
    rows[1][5] = "市第二中学"
    assert run(run_jobs, staff_user, rows).create_count == 1
    assert TalkEvent.objects.count() == 2


def test_each_wrong_row_is_named_and_nothing_is_recorded(run_jobs, staff_user, branch_a, group_a, wang):
    left = lecturer_in(group_a, "赵德明", branch=branch_a, joined_on=dt.date(2020, 1, 1))
    group_member_end(
        membership=LectureGroupMembership.objects.get(lecturer=left), left_on=DAY - dt.timedelta(days=1)
    )
    lecturer_in(group_a, "孙老", branch=branch_a)
    lecturer_in(group_a, "孙老", branch=branch_a)
    stranger = LecturerFactory(cadre=CadreFactory(name="周某", branch=branch_a))
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    rows = [
        HEADERS,
        [group_a.name, DAY, "甲", "党史", "学校", "", "", 100, 10, "王建国"],
        ["不存在的宣讲团", DAY, "乙", "党史", "学校", "", "", 100, 10, "王建国"],
        [group_a.name, tomorrow, "丙", "党史", "学校", "", "", 100, 10, "王建国"],
        [group_a.name, DAY, "丁", "天文", "学校", "", "", 100, 10, "王建国"],
        [group_a.name, DAY, "戊", "党史", "操场", "", "", 100, 10, "王建国"],
        [group_a.name, DAY, "己", "党史", "学校", "", "", 100, 200, "王建国"],
        [group_a.name, DAY, "庚", "党史", "学校", "", "", 100, 10, stranger.cadre.name],
        [group_a.name, DAY, "辛", "党史", "学校", "", "", 100, 10, "赵德明"],
        [group_a.name, DAY, "壬", "党史", "学校", "", "", 100, 10, "孙老"],
        [group_a.name, DAY, "癸", "党史", "学校", "", "火星区", 100, 10, "王建国"],
        [group_a.name, DAY, "甲", "党史", "学校", "", "", 120, 10, "王建国"],
    ]
    before = snapshot()
    job = run(run_jobs, staff_user, rows)
    assert job.status == Status.FAILED
    assert sorted(errors(job)) == [
        (3, "宣讲团", "unknown"),
        (4, "宣讲日期", "future_date"),
        (5, "宣讲主题类别", "choice"),
        (6, "场所类型", "choice"),
        (7, "其中青少年人数", "invalid"),
        (8, "宣讲人", "unknown"),
        (9, "宣讲人", "invalid"),
        (10, "宣讲人", "ambiguous"),
        (11, "所在区域", "unknown"),
        (12, "宣讲团", "duplicate"),
    ]
    assert job.create_count == 0 and not job.changes
    assert snapshot() == before


def test_a_secretary_records_only_their_own_branches_groups_talks(
    run_jobs, secretary_a, staff_user, branch_b, group_a, group_b, wang
):
    assert {"talks", "visits"} <= {resource.slug for resource in importable_by(secretary_a)}
    lecturer_in(group_b, "钱老师", branch=branch_b)
    bureau_group = LectureGroupFactory(name="市委宣讲团")
    rows = [
        HEADERS,
        [group_a.name, DAY, "甲", "党史", "学校", "", "", 100, 10, "王建国"],
        [group_b.name, DAY, "乙", "党史", "学校", "", "", 100, 10, "钱老师"],
        [bureau_group.name, DAY, "丙", "党史", "学校", "", "", 100, 10, "王建国"],
        ["", DAY, "丁", "党史", "学校", "", "", 100, 10, "王建国"],
    ]
    before = snapshot()
    job = run(run_jobs, secretary_a, rows)
    assert job.status == Status.FAILED
    assert errors(job) == [
        (3, "宣讲团", "outside_scope"),
        (4, "宣讲团", "outside_scope"),
        (5, "宣讲团", "required"),
    ]
    assert snapshot() == before

    done = run(run_jobs, secretary_a, rows[:2])
    assert (done.status, done.create_count) == (Status.DONE, 1), done.errors
    assert TalkEvent.objects.get().recorded_by == secretary_a

    # The bureau records a talk without a group, its lecturers named among all it may see.
    job = run(
        run_jobs, staff_user, [HEADERS, ["", DAY, "戊", "党史", "网络", "", "", 50, 0, "王建国、钱老师"]]
    )
    assert job.status == Status.DONE, job.errors
    assert TalkEvent.objects.get(title="戊").group is None


def test_the_current_talks_download_imports_back_unchanged(
    run_jobs, client_as, staff_user, secretary_a, branch_b, group_a, group_b, wang, li
):
    AreaFactory(name="锦江区", kind="district")
    rows = [
        HEADERS,
        [
            group_a.name,
            DAY,
            "=传承红色基因",
            "党史",
            "学校",
            "市第一中学",
            "锦江区",
            300,
            280,
            "王建国、李秀英",
        ],
        [
            group_b.name,
            DAY,
            "家风家教",
            "家风家教",
            "社区",
            "",
            "",
            60,
            0,
            lecturer_in(group_b, "钱老师", branch=branch_b).cadre.id_number,
        ],
    ]
    assert run(run_jobs, staff_user, rows).status == Status.DONE

    def download(user):
        response = client_as(user).get(reverse("imports:records_talks"))
        assert response.status_code == 200
        sheet = load_workbook(filename=io.BytesIO(response.content)).active
        return [
            [cell if cell is not None else "" for cell in row]
            for row in sheet.iter_rows(values_only=True)
            if any(row)
        ]

    table = download(staff_user)
    assert table[0] == TALKS.headers
    assert [row[2] for row in table[1:]] == ["'=传承红色基因", "家风家教"]
    assert table[1][TALKS.headers.index("宣讲人")] == "李秀英、王建国"
    before = snapshot()
    job = run(run_jobs, staff_user, table)
    assert (job.status, job.create_count, job.update_count, job.skip_count) == (Status.DONE, 0, 0, 2), (
        job.errors
    )
    assert snapshot() == before

    # A secretary's download holds their own groups' talks only, and imports back unchanged too.
    mine = download(secretary_a)
    assert [row[0] for row in mine[1:]] == [group_a.name]
    assert run(run_jobs, secretary_a, mine).skip_count == 1
    assert snapshot() == before


def test_the_template_lays_out_the_talk_columns_for_whoever_may_import_talks(client_as, secretary_a, auditor):
    response = client_as(secretary_a).get(reverse("imports:template_talks"))
    assert response.status_code == 200
    workbook = load_workbook(filename=io.BytesIO(response.content))
    assert [cell.value for cell in workbook.active[1]] == TALKS.headers
    assert len(workbook.worksheets) == 2, "the notes sheet with its example row"
    assert (
        reverse("imports:template_talks")
        in client_as(secretary_a).get(reverse("imports:index")).content.decode()
    )
    assert client_as(auditor).get(reverse("imports:template_talks")).status_code == 403
