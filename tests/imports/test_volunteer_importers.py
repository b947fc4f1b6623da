"""The sheets of volunteer teams, chief posts and service records (volunteers.importers): written
through volunteers.services, previewed before anything is written, all or nothing, skipped on a
re-import, and kept to what the importing user may see."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from branches.services import branch_update
from imports.models import ImportJob
from imports.readers import Table
from imports.records import check_record_rows, settle_record_rows
from imports.registry import importable_by
from tests.factories import AreaFactory, CadreFactory, PatrolAreaFactory, UserFactory, VolunteerTeamFactory
from tests.imports.test_records import run
from volunteers import services
from volunteers.importers import CHIEF_POSTS, SERVICE_RECORDS, TEAMS
from volunteers.models import ChiefPost, ServiceProject, ServiceRecord, VolunteerTeam

pytestmark = pytest.mark.django_db

Status = ImportJob.Status
DAY = dt.date(2025, 7, 1)
TOMORROW = dt.date.today() + dt.timedelta(days=1)


@pytest.fixture
def district(db):
    return AreaFactory(name="兴化市", kind="district")


@pytest.fixture
def corps(db):
    return VolunteerTeamFactory(name="金秋志愿服务总队", level="corps", founded_on=dt.date(2020, 1, 1))


@pytest.fixture
def team_a(corps, branch_a, district):
    return VolunteerTeamFactory(
        name="城管局银发小队", level="squad", parent=corps, branch=branch_a, area=district, founded_on=DAY
    )


@pytest.fixture
def team_b(corps, branch_b):
    return VolunteerTeamFactory(
        name="教育局银发小队", level="squad", parent=corps, branch=branch_b, founded_on=DAY
    )


@pytest.fixture
def river_a(district):
    return PatrolAreaFactory(kind="river", name="车路河", area=district)


def snapshot():
    return tuple(
        list(model.objects.order_by("pk").values())
        for model in (VolunteerTeam, ChiefPost, ServiceRecord, ServiceProject)
    )


def found(job) -> list[tuple]:
    return [(error["row"], error["column"], error["code"]) for error in job.errors]


# Who imports what -------------------------------------------------------------------------------


def test_the_bureau_imports_every_sheet_a_secretary_posts_and_records_a_team_leader_nothing(
    staff_user, secretary_a, team_a
):
    slugs = {"volunteer_teams", "chief_posts", "service_records"}
    assert slugs <= {resource.slug for resource in importable_by(staff_user)}
    # Teams are the bureau's; a secretary appoints their members and records their teams' service.
    assert slugs & {resource.slug for resource in importable_by(secretary_a)} == {
        "chief_posts",
        "service_records",
    }
    # A team leader records service on the web but holds no import permission (imports.roles).
    leader = UserFactory(username="leader", role=Role.TEAM_LEADER, volunteer_team=team_a)
    assert importable_by(leader) == []


# Volunteer teams --------------------------------------------------------------------------------

TEAM_HEADERS = ["队伍名称", "层级", "上级队伍", "所在区域", "所属党支部", "队长", "成立日期"]


def test_teams_are_previewed_then_created_under_parents_named_in_the_file(
    run_jobs, staff_user, corps, district, branch_a, cadre_a
):
    rows = [
        TEAM_HEADERS,
        ["城东支队", "支队", corps.name, district.name, "", "", "2021-5-1"],
        # Its parent is the row above: rows are written in order.
        ["城东第一中队", "中队", "城东支队", "", branch_a.name, cadre_a.name, "2022年3月1日"],
        ["城东第一中队河道小队", "小队", "城东第一中队", "", "", cadre_a.id_number, ""],
    ]
    preview = run(run_jobs, staff_user, "volunteer_teams", rows, confirm=False)
    assert preview.status == Status.PREVIEWED, (preview.message, preview.errors)
    assert (preview.create_count, preview.update_count, preview.skip_count) == (3, 0, 0)
    assert not VolunteerTeam.objects.filter(name="城东支队").exists(), "the preview writes nothing"

    from imports import services as import_services

    run_jobs(import_services.job_confirm, job=preview, user=staff_user)
    preview.refresh_from_db()
    assert preview.status == Status.DONE
    detachment = VolunteerTeam.objects.get(name="城东支队")
    squadron = VolunteerTeam.objects.get(name="城东第一中队")
    squad = VolunteerTeam.objects.get(name="城东第一中队河道小队")
    assert (
        VolunteerTeam.objects.get_parent(detachment) == corps
        and VolunteerTeam.objects.get_parent(squadron) == detachment
    )
    assert VolunteerTeam.objects.get_parent(squad) == squadron and squad.level == VolunteerTeam.Level.SQUAD
    assert (detachment.area, detachment.founded_on) == (district, dt.date(2021, 5, 1))
    assert (squadron.branch, squadron.leader, squadron.founded_on) == (branch_a, cadre_a, dt.date(2022, 3, 1))
    assert squad.leader == cadre_a, "the leader may be given by ID number"


def test_reimporting_teams_changes_nothing_and_a_changed_cell_updates_only_that(run_jobs, staff_user, corps):
    rows = [TEAM_HEADERS[:3] + ["成立日期"], ["城东支队", "支队", corps.name, "2021-05-01"]]
    assert run(run_jobs, staff_user, "volunteer_teams", rows).status == Status.DONE
    before = snapshot()

    again = run(run_jobs, staff_user, "volunteer_teams", rows)
    assert (again.status, again.create_count, again.update_count, again.skip_count) == (Status.DONE, 0, 0, 1)
    assert snapshot() == before

    rows[1][3] = "2021-06-01"
    changed = run(run_jobs, staff_user, "volunteer_teams", rows)
    assert (changed.status, changed.update_count) == (Status.DONE, 1)
    assert changed.changes[0]["columns"] == ["成立日期"]
    assert VolunteerTeam.objects.get(name="城东支队").founded_on == dt.date(2021, 6, 1)


def test_moving_a_team_is_refused(run_jobs, staff_user, corps, team_a):
    other = VolunteerTeamFactory(name="银龄志愿服务总队", level="corps")
    job = run(run_jobs, staff_user, "volunteer_teams", [["队伍名称", "上级队伍"], [team_a.name, other.name]])
    assert job.status == Status.FAILED
    assert found(job) == [(2, "上级队伍", "moved")]
    team_a.refresh_from_db()
    assert VolunteerTeam.objects.get_parent(team_a) == corps


def test_team_rows_are_checked_and_one_bad_row_imports_nothing(run_jobs, staff_user, corps, team_a):
    CadreFactory(name="张三")
    CadreFactory(name="张三")
    before = snapshot()
    rows = [
        ["队伍名称", "层级", "上级队伍", "所在区域", "队长", "成立日期", "撤销日期"],
        ["甲支队", "支队", corps.name, "", "", "", ""],
        ["乙队", "", corps.name, "", "", "", ""],
        ["丙队", "总队", corps.name, "", "", "", ""],
        ["丁队", "支队", "不存在的总队", "", "", "", ""],
        ["戊队", "支队", corps.name, "不存在的街道", "", "", ""],
        ["己队", "支队", corps.name, "", "张三", "", ""],
        ["庚队", "大队", corps.name, "", "", "", ""],
        ["辛队", "支队", corps.name, "", "", "2024-01-01", "2023-01-01"],
        ["甲支队", "支队", corps.name, "", "", "", ""],
        [team_a.name, "总队", "", "", "", "", ""],
    ]
    job = run(run_jobs, staff_user, "volunteer_teams", rows)
    assert job.status == Status.FAILED
    assert found(job) == [
        (3, "层级", "invalid"),  # a new team needs its level
        (4, "层级", "invalid"),  # not lower than its parent
        (5, "上级队伍", "unknown_team"),
        (6, "所在区域", "unknown"),
        (7, "队长", "not_unique"),  # namesakes: the ID number is needed
        (8, "层级", "choice"),
        (9, "撤销日期", "invalid"),
        (10, "队伍名称", "duplicate"),
        (11, "层级", "invalid"),  # a registered team, raised to its parent's level
    ]
    assert job.create_count == 0 and not job.changes
    assert snapshot() == before


def test_a_name_typed_with_half_width_brackets_finds_the_team_stored_with_full_width_ones(
    run_jobs, staff_user, corps
):
    team = VolunteerTeamFactory(name="城东（一）小队", level="squad", parent=corps)
    job = run(run_jobs, staff_user, "volunteer_teams", [["队伍名称", "层级"], ["城东(一)小队", "小队"]])
    assert (job.status, job.create_count, job.skip_count) == (Status.DONE, 0, 1), job.errors
    assert VolunteerTeam.objects.filter(name__startswith="城东").get() == team


# Chief posts ------------------------------------------------------------------------------------

POST_HEADERS = ["姓名", "身份证号", "职务类型", "巡查区域", "任职日期", "卸任日期", "所属队伍"]


def test_a_chief_is_appointed_and_a_later_sheet_records_the_end_of_the_post(
    run_jobs, staff_user, cadre_a, river_a, team_a
):
    rows = [
        POST_HEADERS,
        [cadre_a.name, cadre_a.id_number, "河长", river_a.name, "2025-07-01", "", team_a.name],
    ]
    job = run(run_jobs, staff_user, "chief_posts", rows)
    assert (job.status, job.create_count) == (Status.DONE, 1), job.errors
    post = ChiefPost.objects.get(cadre=cadre_a)
    assert (post.patrol_area, post.appointed_on, post.ended_on, post.team) == (river_a, DAY, None, team_a)
    assert job.changes[0]["id_number"] != cadre_a.id_number, "the preview masks ID numbers"

    before = snapshot()
    again = run(run_jobs, staff_user, "chief_posts", rows)
    assert (again.create_count, again.update_count, again.skip_count) == (0, 0, 1)
    assert snapshot() == before

    rows[1][5] = "2025-12-31"
    ended = run(run_jobs, staff_user, "chief_posts", rows)
    assert (ended.status, ended.update_count) == (Status.DONE, 1), ended.errors
    assert ended.changes[0]["columns"] == ["卸任日期"]
    post.refresh_from_db()
    assert post.ended_on == dt.date(2025, 12, 31)


def test_a_past_term_is_imported_beside_the_current_post(run_jobs, staff_user, cadre_a, river_a):
    services.chief_appoint(cadre=cadre_a, patrol_area=river_a, appointed_on=DAY)
    rows = [POST_HEADERS[:6], ["", cadre_a.id_number, "河长", river_a.name, "2020-01-01", "2024-12-31"]]
    job = run(run_jobs, staff_user, "chief_posts", rows)
    assert (job.status, job.create_count) == (Status.DONE, 1), job.errors
    assert list(
        ChiefPost.objects.filter(cadre=cadre_a).order_by("appointed_on").values_list("ended_on", flat=True)
    ) == [
        dt.date(2024, 12, 31),
        None,
    ]


def test_chief_post_rows_are_checked_and_an_unknown_patrol_area_is_not_created(
    run_jobs, staff_user, cadre_a, river_a, district
):
    # Two grids of one name, in two communities: the area tells them apart.
    PatrolAreaFactory(kind="grid", name="第一网格", area=AreaFactory(name="城东社区"))
    PatrolAreaFactory(kind="grid", name="第一网格", area=AreaFactory(name="城西社区"))
    headers = [*POST_HEADERS[:4], "所在区域", "任职日期"]
    rows = [
        headers,
        ["", cadre_a.id_number, "河长", "不存在的河", "", "2025-01-01"],
        ["", cadre_a.id_number, "路长", river_a.name, "", "2025-01-02"],  # a river is no road
        ["李四", cadre_a.id_number, "河长", river_a.name, "", "2025-01-03"],
        ["", cadre_a.id_number, "河长", river_a.name, "", TOMORROW],
        ["", cadre_a.id_number, "网格长", "第一网格", "", "2025-01-05"],
        ["", cadre_a.id_number, "网格长", "第一网格", "城东社区", "2025-01-06"],
        ["", cadre_a.id_number, "湖长", river_a.name, "", "2025-01-07"],
    ]
    before = snapshot()
    job = run(run_jobs, staff_user, "chief_posts", rows)
    assert job.status == Status.FAILED
    assert found(job) == [
        (2, "巡查区域", "unknown_patrol_area"),
        (3, "巡查区域", "unknown_patrol_area"),
        (4, "姓名", "name_mismatch"),
        (5, "任职日期", "invalid"),
        (6, "巡查区域", "not_unique"),
        (8, "职务类型", "choice"),
    ]
    assert snapshot() == before
    assert not river_a.__class__.objects.filter(name="不存在的河").exists()


def test_a_secretary_appoints_only_their_own_members_to_their_own_teams(
    run_jobs, secretary_a, cadre_a, cadre_b, river_a, team_a, team_b, branch_a, district
):
    # The secretary sees the rivers of the area their branch serves.
    branch_update(branch=branch_a, area=district)
    rows = [
        POST_HEADERS,
        ["", cadre_a.id_number, "河长", river_a.name, "2025-07-01", "", team_a.name],
        ["", cadre_b.id_number, "河长", river_a.name, "2025-07-01", "", ""],
        ["", cadre_a.id_number, "河长", river_a.name, "2025-08-01", "2025-08-31", team_b.name],
    ]
    job = run(run_jobs, secretary_a, "chief_posts", rows)
    assert job.status == Status.FAILED
    assert found(job) == [(3, "身份证号", "unknown"), (4, "所属队伍", "unknown_team")]
    assert not ChiefPost.objects.exists()

    allowed = run(run_jobs, secretary_a, "chief_posts", rows[:2])
    assert (allowed.status, allowed.create_count) == (Status.DONE, 1), allowed.errors
    assert ChiefPost.objects.get().team == team_a


# Service records --------------------------------------------------------------------------------

RECORD_HEADERS = [
    "服务队伍",
    "服务日期",
    "服务类型",
    "服务内容",
    "服务项目",
    "服务时长(小时)",
    "参与人数",
    "服务人数",
    "解决问题数",
]


def test_records_are_created_found_again_by_team_date_kind_and_content_and_updated(
    run_jobs, staff_user, team_a
):
    services.project_create(name="银发护河", team=team_a)
    rows = [
        RECORD_HEADERS,
        [team_a.name, "2025-08-01", "宣传劝导", "河道沿线宣传垃圾分类", "银发护河", "2.5", 6, 40, 2],
        # The same team, day and kind with other content is another round of service.
        [team_a.name, "2025-08-01", "宣传劝导", "社区宣传防诈骗", "", "1", 3, 25, ""],
        [team_a.name, "2025-08-02", "", "", "", "", "", "", ""],
    ]
    job = run(run_jobs, staff_user, "service_records", rows)
    assert (job.status, job.create_count) == (Status.DONE, 3), job.errors
    first = ServiceRecord.objects.get(notes="河道沿线宣传垃圾分类")
    assert (first.kind, first.hours, first.volunteers_present, first.people_served) == (
        "publicity",
        Decimal("2.5"),
        6,
        40,
    )
    # Only the problems resolved are counted in the sheet: each was found first.
    assert (first.problems_found, first.problems_resolved) == (2, 2)
    assert first.project.name == "银发护河" and first.recorded_by == staff_user
    blank = ServiceRecord.objects.get(served_on=dt.date(2025, 8, 2))
    assert (blank.kind, blank.hours, blank.volunteers_present) == ("patrol", 0, 1)

    before = snapshot()
    again = run(run_jobs, staff_user, "service_records", rows)
    assert (again.status, again.create_count, again.update_count, again.skip_count) == (Status.DONE, 0, 0, 3)
    assert snapshot() == before

    rows[1][5] = "3"
    changed = run(run_jobs, staff_user, "service_records", rows)
    assert (changed.create_count, changed.update_count, changed.skip_count) == (0, 1, 2)
    assert changed.changes[0]["columns"] == ["服务时长(小时)"]
    first.refresh_from_db()
    assert first.hours == Decimal("3.0")


def test_record_rows_are_checked_and_one_bad_row_imports_nothing(run_jobs, staff_user, team_a):
    headers = [*RECORD_HEADERS, "发现问题数"]
    good = [team_a.name, "2025-08-01", "巡查", "巡河", "", "2", 2, 0, 0, 0]
    rows = [
        headers,
        good,
        [team_a.name, TOMORROW, "巡查", "巡河", "", "2", 2, 0, 0, 0],
        [team_a.name, "2025-08-03", "巡查", "巡河", "没有的项目", "2", 2, 0, 0, 0],
        [team_a.name, "2025-08-04", "巡查", "巡河", "", "2", 2, 0, 5, 3],
        [team_a.name, "2025-08-05", "巡查", "巡河", "", "两小时", 2, 0, 0, 0],
        [team_a.name, "2025-08-06", "巡查", "巡河", "", "1.25", 2, 0, 0, 0],
        ["不存在的小队", "2025-08-07", "巡查", "巡河", "", "1", 2, 0, 0, 0],
        [team_a.name, "2025-06-30", "巡查", "巡河", "", "1", -1, 0, 0, 0],
        good,
    ]
    before = snapshot()
    job = run(run_jobs, staff_user, "service_records", rows)
    assert job.status == Status.FAILED
    assert found(job) == [
        (3, "服务日期", "invalid"),  # in the future
        (4, "服务项目", "unknown_project"),
        (5, "解决问题数", "invalid"),  # more resolved than found
        (6, "服务时长(小时)", "number"),
        (7, "服务时长(小时)", "too_precise"),
        (8, "服务队伍", "unknown_team"),
        (9, "参与人数", "out_of_range"),
        (10, "服务队伍", "duplicate"),
    ]
    assert snapshot() == before


def test_a_secretary_records_only_their_own_teams_service(run_jobs, secretary_a, team_a, team_b):
    rows = [
        RECORD_HEADERS[:4],
        [team_a.name, "2025-08-01", "巡查", "巡河"],
        [team_b.name, "2025-08-01", "巡查", "巡河"],
    ]
    job = run(run_jobs, secretary_a, "service_records", rows)
    assert job.status == Status.FAILED
    assert found(job) == [(3, "服务队伍", "unknown_team")]
    assert "教育局银发小队" in job.errors[0]["message"]
    assert not ServiceRecord.objects.exists()

    allowed = run(run_jobs, secretary_a, "service_records", rows[:2])
    assert (allowed.status, allowed.create_count) == (Status.DONE, 1), allowed.errors
    assert ServiceRecord.objects.get().team == team_a


def test_a_team_leaders_rows_are_kept_to_their_team_and_those_below_it(corps, team_b):
    """Team leaders may not import today (imports.roles); should they be given the permission,
    the sheet keeps them to their own teams, as their forms do."""
    squadron = VolunteerTeamFactory(name="城管局银发中队", level="squadron", parent=corps)
    below = VolunteerTeamFactory(name="城管局银发中队一组", level="squad", parent=squadron)
    leader = UserFactory(username="leader", role=Role.TEAM_LEADER, volunteer_team=squadron)
    table = Table(
        header=RECORD_HEADERS[:2],
        header_row=1,
        rows=iter(
            [
                (2, [squadron.name, "2025-08-01"]),
                (3, [below.name, "2025-08-01"]),
                (4, [team_b.name, "2025-08-01"]),
            ]
        ),
        row_count=3,
    )
    plan = settle_record_rows(
        plan=check_record_rows(resource=SERVICE_RECORDS, table=table), user=leader, write=False
    )
    assert [(error.row, error.column, error.code) for error in plan.errors] == [
        (4, "服务队伍", "unknown_team")
    ]
    assert not ServiceRecord.objects.exists()


# Downloads --------------------------------------------------------------------------------------


def test_the_current_records_download_imports_back_unchanged(
    run_jobs, client_as, staff_user, corps, team_a, river_a, cadre_a, district
):
    # A name typed on the web with full-width brackets, which a spreadsheet reads back as half-width.
    squad = VolunteerTeamFactory(name="城东（一）小队", level="squad", parent=corps, leader=cadre_a)
    # The leader's namesake: the exported name still means the current leader.
    CadreFactory(name=cadre_a.name)
    services.chief_appoint(cadre=cadre_a, patrol_area=river_a, appointed_on=DAY, team=team_a)
    project = services.project_create(name="银发护河", team=team_a)
    services.record_create(
        team=team_a,
        served_on=DAY,
        kind="publicity",
        project=project,
        hours=Decimal("2.5"),
        problems_found=3,
        problems_resolved=1,
        notes="宣传，劝导：垃圾分类",
    )
    services.record_create(team=squad, served_on=DAY, kind="patrol")
    for resource in (TEAMS, CHIEF_POSTS, SERVICE_RECORDS):
        response = client_as(staff_user).get(reverse(f"imports:records_{resource.slug}"))
        assert response.status_code == 200
        sheet = load_workbook(filename=io.BytesIO(response.content)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True) if any(row)]
        assert rows[0] == resource.headers
        assert len(rows) > 1
        before = snapshot()
        job = run(
            run_jobs,
            staff_user,
            resource.slug,
            [[cell if cell is not None else "" for cell in row] for row in rows],
        )
        assert job.status == Status.DONE, (resource.slug, job.message, job.errors)
        assert (job.create_count, job.update_count, job.skip_count) == (0, 0, len(rows) - 1), resource.slug
        assert snapshot() == before


def test_templates_are_for_those_who_may_import_the_sheet(client_as, staff_user, secretary_a):
    for resource in (TEAMS, CHIEF_POSTS, SERVICE_RECORDS):
        response = client_as(staff_user).get(reverse(f"imports:template_{resource.slug}"))
        assert response.status_code == 200
        header = [cell.value for cell in load_workbook(filename=io.BytesIO(response.content)).active[1]]
        assert header == resource.headers
    client = client_as(secretary_a)
    assert client.get(reverse("imports:template_volunteer_teams")).status_code == 403
    assert client.get(reverse("imports:records_volunteer_teams")).status_code == 403
    assert client.get(reverse("imports:template_service_records")).status_code == 200
