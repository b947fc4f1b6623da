"""The visit sheet (benefits.importers): visits recorded through visit_record, each closing the
cadre's open occasion of its reason and that occasion's reminders as the occasion's page does,
found again by ID number, reason and date; a secretary imports their own branches' cadres only."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from benefits.importers import VISITS
from benefits.models import Occasion, Visit
from benefits.services import occasion_record, visit_record
from cadres.models import Cadre
from core import idcard
from core.masking import mask_id_number
from imports import services
from imports.models import ImportJob
from reminders.models import Reminder
from reminders.services import run_reminders
from tests.factories import CadreFactory, UserFactory
from tests.imports.helpers import upload, xlsx

pytestmark = pytest.mark.django_db

Status = ImportJob.Status
Kind = Occasion.Kind
HEADERS = ["姓名", "身份证号", "走访事由", "走访日期", "走访人", "慰问品", "慰问金额", "走访形式/内容"]
TODAY = dt.date.today()


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def run(run_jobs, user, rows, *, confirm=True):
    job = run_jobs(services.job_create, user=user, resource="visits", upload=upload("走访.xlsx", xlsx(rows)))
    job.refresh_from_db()
    if confirm and job.status == Status.PREVIEWED:
        run_jobs(services.job_confirm, job=job, user=user)
        job.refresh_from_db()
    return job


def snapshot():
    return (
        list(Visit.objects.order_by("pk").values()),
        list(Occasion.objects.order_by("pk").values()),
        list(Reminder.objects.order_by("pk").values()),
    )


def errors(job):
    return [(error["row"], error["column"], error["code"]) for error in job.errors]


def test_a_visit_closes_its_open_occasion_and_reminders_but_the_preview_closes_nothing(
    run_jobs, cadre_a, secretary_a, staff_user
):
    occasion = occasion_record(
        cadre=cadre_a, kind=Kind.HOSPITALISED, occurred_on=days_ago(2), recorded_by=staff_user
    )
    run_reminders(on=TODAY, only=[Reminder.Rule.VISIT_DUE])
    reminders = Reminder.objects.filter(visit_occasion=occasion)
    assert reminders.count() == 2 and not reminders.filter(done_at__isnull=False).exists()
    rows = [
        HEADERS,
        ["王建国", cadre_a.id_number, "生病住院", days_ago(1), "王科长、李书记", "水果", "500", "到医院看望"],
    ]
    before = snapshot()

    preview = run(run_jobs, staff_user, rows, confirm=False)
    assert preview.status == Status.PREVIEWED, (preview.message, preview.errors)
    assert (preview.create_count, preview.update_count, preview.skip_count) == (1, 0, 0)
    assert preview.changes[0]["id_number"] == mask_id_number(cadre_a.id_number)
    assert snapshot() == before, "the preview records no visit and closes no occasion or reminder"

    run_jobs(services.job_confirm, job=preview, user=staff_user)
    preview.refresh_from_db()
    assert preview.status == Status.DONE
    visit = Visit.objects.get()
    assert (visit.cadre, visit.occasion, visit.reason, visit.visited_on) == (
        cadre_a,
        occasion,
        Kind.HOSPITALISED,
        days_ago(1),
    )
    assert (visit.visitors, visit.gift, visit.condolence_money, visit.notes, visit.recorded_by) == (
        "王科长、李书记",
        "水果",
        Decimal("500.00"),
        "到医院看望",
        staff_user,
    )
    # As on the occasion's page: every open reminder of the occasion is done, by the importer.
    assert all(reminder.done_at and reminder.done_by == staff_user for reminder in reminders.all())
    assert run_reminders(on=TODAY, only=[Reminder.Rule.VISIT_DUE])[Reminder.Rule.VISIT_DUE] == 0


def test_the_visit_answers_the_latest_open_occasion_of_its_reason_up_to_its_day(
    run_jobs, cadre_a, staff_user
):
    older = occasion_record(cadre=cadre_a, kind=Kind.FESTIVAL, occurred_on=days_ago(40))
    latest = occasion_record(cadre=cadre_a, kind=Kind.FESTIVAL, occurred_on=days_ago(20))
    later = occasion_record(cadre=cadre_a, kind=Kind.FESTIVAL, occurred_on=days_ago(5))
    visited = occasion_record(cadre=cadre_a, kind=Kind.HARDSHIP, occurred_on=days_ago(30))
    first = visit_record(occasion=visited, visited_on=days_ago(29), visitors="王科长")
    other_kind = occasion_record(cadre=cadre_a, kind=Kind.HOSPITALISED, occurred_on=days_ago(30))
    rows = [
        HEADERS,
        ["", cadre_a.id_number, "重要节日", days_ago(10), "王科长", "", "", ""],
        # Its kind's only occasion is visited already: recorded with its reason alone.
        ["", cadre_a.id_number, "生活特殊困难", days_ago(10), "王科长", "", "", ""],
        ["", cadre_a.id_number, "日常走访", days_ago(10), "王科长", "", "", ""],
    ]
    job = run(run_jobs, staff_user, rows)
    assert (job.status, job.create_count) == (Status.DONE, 3), job.errors
    by_reason = {visit.reason: visit for visit in Visit.objects.exclude(pk=first.pk)}
    assert by_reason[Kind.FESTIVAL].occasion == latest
    assert by_reason[Kind.HARDSHIP].occasion is None
    assert by_reason["routine"].occasion is None
    open_now = set(Occasion.objects.filter(visits__isnull=True))
    assert open_now == {older, later, other_kind}, "no occasion is invented, and no other one is closed"


def test_a_reimport_skips_and_a_changed_cell_updates_the_visit(run_jobs, cadre_a, staff_user):
    occasion = occasion_record(cadre=cadre_a, kind=Kind.MILESTONE_BIRTHDAY, occurred_on=days_ago(3))
    rows = [HEADERS, ["王建国", cadre_a.id_number, "逢五逢十生日", days_ago(1), "王科长", "蛋糕", 800, ""]]
    assert run(run_jobs, staff_user, rows).status == Status.DONE
    before = snapshot()

    again = run(run_jobs, staff_user, rows)
    assert (again.status, again.create_count, again.update_count, again.skip_count) == (Status.DONE, 0, 0, 1)
    assert snapshot() == before

    rows[1][6] = "1000.5"
    rows[1][7] = "送去生日蛋糕"
    changed = run(run_jobs, staff_user, rows)
    assert (changed.status, changed.update_count) == (Status.DONE, 1), changed.errors
    assert changed.changes[0]["columns"] == ["慰问金额", "走访形式/内容"]
    visit = Visit.objects.get()
    assert (visit.condolence_money, visit.notes, visit.gift, visit.occasion) == (
        Decimal("1000.50"),
        "送去生日蛋糕",
        "蛋糕",
        occasion,
    )


def test_each_wrong_row_is_named_and_nothing_is_recorded(run_jobs, cadre_a, branch_a, staff_user):
    late = CadreFactory(name="赵德明", branch=branch_a)
    Cadre.objects.filter(pk=late.pk).update(deceased_on=days_ago(5))
    occasion = occasion_record(cadre=cadre_a, kind=Kind.HOSPITALISED, occurred_on=days_ago(2))
    run_reminders(on=TODAY, only=[Reminder.Rule.VISIT_DUE])
    unregistered = idcard.make_id_number("510104", dt.date(1950, 1, 1), 7, "M")
    tomorrow = TODAY + dt.timedelta(days=1)
    rows = [
        HEADERS,
        ["王建国", cadre_a.id_number, "生病住院", days_ago(1), "王科长", "", "", ""],
        ["李四", cadre_a.id_number, "重要节日", days_ago(1), "王科长", "", "", ""],
        ["", unregistered, "重要节日", days_ago(1), "王科长", "", "", ""],
        ["", cadre_a.id_number, "重要节日", tomorrow, "王科长", "", "", ""],
        ["", cadre_a.id_number, "串门", days_ago(1), "王科长", "", "", ""],
        ["", cadre_a.id_number, "家庭重大变故", days_ago(1), "王科长", "", "-5", ""],
        ["", cadre_a.id_number, "家庭重大变故", days_ago(2), "王科长", "", "1.234", ""],
        ["", cadre_a.id_number, "家庭重大变故", days_ago(3), "", "", "", ""],
        ["", late.id_number, "生病住院", days_ago(1), "王科长", "", "", ""],
        ["", late.id_number, "去世", days_ago(1), "王科长", "", "", ""],
        ["", cadre_a.id_number, "生病住院", days_ago(1), "李科长", "", "", ""],
    ]
    before = snapshot()
    job = run(run_jobs, staff_user, rows)
    assert job.status == Status.FAILED
    assert sorted(errors(job)) == [
        (3, "姓名", "name_mismatch"),
        (4, "身份证号", "unknown"),
        (5, "走访日期", "future_date"),
        (6, "走访事由", "choice"),
        (7, "慰问金额", "out_of_range"),
        (8, "慰问金额", "too_precise"),
        (9, "走访人", "required"),
        (10, "走访事由", "invalid"),
        (12, "身份证号", "duplicate"),
    ]
    assert job.create_count == 0 and not job.changes
    # The first row's visit, tried in the check, was rolled back with its occasion's reminders.
    assert snapshot() == before
    assert not occasion.visits.exists()


def test_a_secretary_records_visits_of_their_own_branches_cadres_only(
    run_jobs, cadre_a, cadre_b, secretary_a, client_as
):
    rows = [
        HEADERS,
        ["王建国", cadre_a.id_number, "重要节日", days_ago(1), "支部书记", "", "", ""],
        ["李秀英", cadre_b.id_number, "重要节日", days_ago(1), "支部书记", "", "", ""],
    ]
    before = snapshot()
    job = run(run_jobs, secretary_a, rows)
    assert job.status == Status.FAILED
    assert errors(job) == [(3, "身份证号", "outside_scope")]
    assert snapshot() == before

    done = run(run_jobs, secretary_a, rows[:2])
    assert (done.status, done.create_count) == (Status.DONE, 1), done.errors
    assert Visit.objects.get().recorded_by == secretary_a
    assert client_as(secretary_a).get(reverse("imports:records_visits")).status_code == 200


def _download(client) -> list[list]:
    response = client.get(reverse("imports:records_visits"))
    assert response.status_code == 200
    sheet = load_workbook(filename=io.BytesIO(response.content)).active
    return [
        [cell if cell is not None else "" for cell in row]
        for row in sheet.iter_rows(values_only=True)
        if any(row)
    ]


def test_the_current_visits_download_imports_back_unchanged_and_never_holds_health_notes(
    run_jobs, client_as, branch_a, staff_user
):
    cadre = CadreFactory(name="王建国", branch=branch_a, health_notes="高血压三级")
    occasion = occasion_record(
        cadre=cadre, kind=Kind.HOSPITALISED, occurred_on=days_ago(3), note="心脏搭桥手术"
    )
    visit_record(
        occasion=occasion,
        visited_on=days_ago(2),
        visitors="王科长",
        gift="水果",
        condolence_money=Decimal("500.50"),
        notes="=病情稳定",
    )
    visit_record(cadre=cadre, reason="routine", visited_on=days_ago(1), visitors="李书记")

    table = _download(client_as(staff_user))
    assert table[0] == VISITS.headers
    assert table[1] == [
        "王建国",
        cadre.id_number,
        "生病住院",
        dt.datetime.combine(days_ago(2), dt.time()),
        "王科长",
        "水果",
        500.5,
        "'=病情稳定",
    ]
    assert table[2][2] == "日常走访"
    cells = " ".join(str(cell) for row in table for cell in row)
    assert "高血压" not in cells and "搭桥" not in cells

    before = snapshot()
    job = run(run_jobs, staff_user, table)
    assert (job.status, job.create_count, job.update_count, job.skip_count) == (Status.DONE, 0, 0, 2), (
        job.errors
    )
    assert snapshot() == before


def test_notes_and_money_are_masked_for_a_reader_who_may_not_see_personal_details(
    run_jobs, client_as, cadre_a, staff_user
):
    visit_record(
        cadre=cadre_a,
        reason=Kind.FESTIVAL,
        visited_on=days_ago(1),
        visitors="王科长",
        condolence_money=Decimal("300"),
        notes="身体欠佳",
    )
    reader = UserFactory(username="visit_clerk", role=Role.AUDITOR)
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_importjob", "add_visit", "change_visit"])
    )
    (header, row) = _download(client_as(reader))
    shown = dict(zip(header, row, strict=True))
    assert (shown["身份证号"], shown["慰问金额"], shown["走访形式/内容"]) == (
        mask_id_number(cadre_a.id_number),
        "***",
        "***",
    )

    # The mask reads back as "not given": a re-upload with it keeps what is recorded.
    rows = [HEADERS, ["", cadre_a.id_number, "重要节日", days_ago(1), "王科长", "", "***", "***"]]
    before = snapshot()
    job = run(run_jobs, staff_user, rows)
    assert (job.status, job.skip_count) == (Status.DONE, 1), job.errors
    assert snapshot() == before


def test_the_template_lays_out_the_visit_columns_for_whoever_may_import_visits(
    client_as, secretary_a, auditor
):
    response = client_as(secretary_a).get(reverse("imports:template_visits"))
    assert response.status_code == 200
    workbook = load_workbook(filename=io.BytesIO(response.content))
    assert [cell.value for cell in workbook.active[1]] == VISITS.headers
    assert len(workbook.worksheets) == 2, "the notes sheet with its example row"
    assert client_as(auditor).get(reverse("imports:template_visits")).status_code == 403
    assert client_as(auditor).get(reverse("imports:records_visits")).status_code == 403
