"""Import jobs end to end, in-process: upload, check, preview, confirm, write; all or nothing."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from branches.models import BranchMembership
from cadres.models import Cadre
from imports import services
from imports.models import ImportJob
from tests.factories import CadreFactory
from tests.imports import xls
from tests.imports.helpers import HEADERS, SHORT_HEADERS, csv_bytes, person, rows_of, upload, xlsx
from tests.imports.test_readers import _replace_member

pytestmark = pytest.mark.django_db

Status = ImportJob.Status


def check(run_jobs, user, name, data):
    job = run_jobs(services.job_create, user=user, resource="cadres", upload=upload(name, data))
    job.refresh_from_db()
    return job


def confirm(run_jobs, job, user):
    run_jobs(services.job_confirm, job=job, user=user)
    job.refresh_from_db()
    return job


def registry_snapshot():
    return (
        list(Cadre.objects.order_by("pk").values()),
        list(BranchMembership.objects.order_by("pk").values()),
    )


def test_an_upload_is_checked_previewed_and_written_on_confirmation(run_jobs, staff_user, branch_a, branch_b):
    people = [person(1, branch=branch_a.name), person(2, branch=branch_b.name, sex="F"), person(3)]
    job = check(run_jobs, staff_user, "花名册.xlsx", xlsx(rows_of(people)))
    assert job.status == Status.PREVIEWED, job.message or job.errors
    assert (job.row_count, job.create_count, job.update_count, job.skip_count, job.error_count) == (
        3,
        3,
        0,
        0,
        0,
    )
    assert not Cadre.objects.exists(), "the preview writes nothing"

    job = confirm(run_jobs, job, staff_user)
    assert job.status == Status.DONE
    assert job.progress == 100 and job.finished_at is not None
    cadres = {cadre.name: cadre for cadre in Cadre.objects.all()}
    assert set(cadres) == {"测试1", "测试2", "测试3"}
    assert cadres["测试2"].sex == "F" and cadres["测试2"].branch == branch_b
    assert cadres["测试3"].branch is None
    # Columns the file does not have: the model's defaults.
    assert (cadres["测试1"].ethnicity, cadres["测试1"].birthday_calendar, cadres["测试1"].five_elders) == (
        "汉族",
        "solar",
        [],
    )
    # The membership cadre_create would make, from today.
    memberships = BranchMembership.objects.order_by("cadre__name")
    assert [(m.cadre.name, m.branch_id, m.joined_on, m.left_on) for m in memberships] == [
        ("测试1", branch_a.pk, timezone.localdate(), None),
        ("测试2", branch_b.pk, timezone.localdate(), None),
    ]


def test_the_derived_birthday_keys_are_those_save_computes(run_jobs, staff_user, branch_a):
    people = [{**person(i, branch=branch_a.name), "入党日期": dt.date(1970 + i, 7, 1)} for i in range(1, 30)]
    people[3]["出生日期"] = ""
    job = confirm(
        run_jobs,
        check(run_jobs, staff_user, "a.xlsx", xlsx(rows_of(people, [*SHORT_HEADERS, "入党日期"]))),
        staff_user,
    )
    assert job.status == Status.DONE
    for cadre in Cadre.objects.all():
        stored = [getattr(cadre, key) for key in Cadre.CALENDAR_KEYS]
        cadre.set_calendar_keys()
        assert stored == [getattr(cadre, key) for key in Cadre.CALENDAR_KEYS]
        assert cadre.party_join_month_day == 701


def test_importing_the_same_file_again_changes_nothing(run_jobs, staff_user, branch_a):
    data = xlsx(rows_of([person(i, branch=branch_a.name) for i in range(1, 6)], HEADERS))
    confirm(run_jobs, check(run_jobs, staff_user, "a.xlsx", data), staff_user)
    before = registry_snapshot()

    again = check(run_jobs, staff_user, "a.xlsx", data)
    assert (again.create_count, again.update_count, again.skip_count) == (0, 0, 5)
    again = confirm(run_jobs, again, staff_user)
    assert again.status == Status.DONE
    assert registry_snapshot() == before


def test_an_export_shaped_roster_imports_back_unchanged(run_jobs, staff_user, branch_a):
    from imports.specs import CADRE_ROSTER
    from imports.workbook import roster_workbook

    CadreFactory(name="王建国", branch=branch_a, five_elders=["teacher", "old_cadre"], notes="=1+2")
    CadreFactory(
        name="李秀英", sex="F", birth_date=dt.date(1952, 1, 2), retirement_type="lixiu", rank="county"
    )
    before = registry_snapshot()
    exported = roster_workbook(CADRE_ROSTER, [CADRE_ROSTER.export_row(c) for c in Cadre.objects.all()])
    job = check(run_jobs, staff_user, "export.xlsx", exported)
    assert (job.create_count, job.update_count, job.skip_count) == (0, 0, 2), job.errors
    confirm(run_jobs, job, staff_user)
    assert registry_snapshot() == before


def test_a_changed_cadre_is_updated_and_a_moved_one_transferred(
    run_jobs, staff_user, cadre_a, branch_a, branch_b
):
    rows = [SHORT_HEADERS, [cadre_a.name, "男", cadre_a.id_number, "", "离休", branch_b.name, "13900000000"]]
    job = check(run_jobs, staff_user, "a.xlsx", xlsx(rows))
    assert (job.create_count, job.update_count) == (0, 1)
    assert job.changes[0]["columns"] == ["退休类别", "联系电话", "所在党支部"]
    confirm(run_jobs, job, staff_user)
    cadre_a.refresh_from_db()
    assert (cadre_a.retirement_type, cadre_a.phone, cadre_a.branch) == ("lixiu", "13900000000", branch_b)
    history = list(cadre_a.memberships.order_by("joined_on", "pk").values_list("branch", "left_on"))
    assert history == [(branch_a.pk, timezone.localdate()), (branch_b.pk, None)]


def test_one_audit_entry_records_the_import_and_none_per_cadre(run_jobs, staff_user, branch_a):
    job = check(
        run_jobs, staff_user, "a.xlsx", xlsx(rows_of([person(i, branch=branch_a.name) for i in range(20)]))
    )
    LogEntry.objects.all().delete()
    confirm(run_jobs, job, staff_user)
    cadre_type = ContentType.objects.get_for_model(Cadre)
    assert not LogEntry.objects.filter(content_type=cadre_type).exists()
    assert not LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(BranchMembership)
    ).exists()
    [entry] = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(ImportJob))
    assert entry.actor == staff_user
    assert entry.changes_dict["create_count"] == [None, "20"]


def test_the_file_is_deleted_once_imported(run_jobs, staff_user, branch_a):
    job = check(run_jobs, staff_user, "a.xlsx", xlsx(rows_of([person(1, branch=branch_a.name)])))
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    job = confirm(run_jobs, job, staff_user)
    assert not job.file and not storage.exists(name)
    assert job.file_name == "a.xlsx"


# The bad-file corpus: each a clear message, and nothing written ---------------------------------


def _one_bad_among_a_thousand(branch):
    people = [person(i, branch=branch.name) for i in range(1000)]
    number = people[636]["身份证号"]
    people[636]["身份证号"] = number[:-1] + ("0" if number[-1] != "0" else "1")
    return xlsx(rows_of(people))


def _xml_bomb(branch):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
    )
    return _replace_member(xlsx(rows_of([person(1, branch=branch.name)])), "xl/worksheets/sheet1.xml", bomb)


def _formula_date(branch):
    entry = {**person(1, branch=branch.name), "出生日期": "=DATE(1940,1,1)"}
    return xlsx(rows_of([entry]))


@pytest.mark.parametrize(
    ("case", "name", "build", "expected"),
    [
        ("wrong headers", "a.xlsx", lambda b: xlsx([["名字", "证件号"], ["王建国", "x"]]), "姓名"),
        ("headers only", "a.xlsx", lambda b: xlsx([SHORT_HEADERS]), "没有数据行"),
        ("one bad row among 1,000", "a.xlsx", _one_bad_among_a_thousand, (638, "身份证号")),
        ("XML bomb", "bomb.xlsx", _xml_bomb, "DOCTYPE"),
        ("formula for a date", "a.xlsx", _formula_date, (2, "出生日期")),
        ("junk named .xlsx", "a.xlsx", lambda b: b"\x00\x01junk" * 100, "损坏"),
    ],
)
def test_a_bad_file_fails_with_a_clear_message_and_writes_nothing(
    run_jobs, staff_user, branch_a, case, name, build, expected
):
    before = registry_snapshot()
    job = check(run_jobs, staff_user, name, build(branch_a))
    assert job.status == Status.FAILED, case
    if isinstance(expected, tuple):
        assert (job.errors[0]["row"], job.errors[0]["column"]) == expected
        assert job.errors[0]["message"]
    else:
        assert expected.lower() in job.message.lower()
    assert not job.can_confirm
    with pytest.raises(ValidationError):
        services.job_confirm(job=job, user=staff_user)
    assert registry_snapshot() == before


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("empty.xlsx", b"", "空的"),
        ("big.xlsx", b"PK" + b"\0" * (20 * 1024 * 1024), "20.0"),
        ("a.txt", b"x", ".csv"),
    ],
)
def test_an_empty_oversized_or_unknown_file_is_refused_at_upload(run_jobs, staff_user, name, data, fragment):
    with pytest.raises(ValidationError) as refused:
        services.job_create(user=staff_user, resource="cadres", upload=upload(name, data))
    assert fragment in " ".join(refused.value.messages).lower()
    assert not ImportJob.objects.exists() and not Cadre.objects.exists()


def test_formula_text_in_a_text_column_is_kept_as_text_never_run(run_jobs, staff_user, branch_a):
    formula = '=HYPERLINK("http://evil.example","点我")'
    entry = {**person(1, branch=branch_a.name), "备注": formula}
    job = check(run_jobs, staff_user, "a.xlsx", xlsx(rows_of([entry], [*SHORT_HEADERS, "备注"])))
    confirm(run_jobs, job, staff_user)
    assert Cadre.objects.get().notes == formula


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_a_csv_in_gbk_or_utf8_imports(run_jobs, staff_user, branch_a, encoding):
    data = csv_bytes(rows_of([person(1, branch=branch_a.name), person(2, branch=branch_a.name)]), encoding)
    job = confirm(run_jobs, check(run_jobs, staff_user, "花名册.csv", data), staff_user)
    assert job.status == Status.DONE
    assert sorted(Cadre.objects.values_list("name", flat=True)) == ["测试1", "测试2"]


def test_an_xls_imports(run_jobs, staff_user, branch_a):
    rows = rows_of([person(1, branch=branch_a.name)])
    rows[1][3] = rows[1][3].isoformat()
    job = confirm(run_jobs, check(run_jobs, staff_user, "花名册.xls", xls.workbook(rows)), staff_user)
    assert job.status == Status.DONE
    assert Cadre.objects.get().branch == branch_a


# Scope ------------------------------------------------------------------------------------------


def test_a_secretary_cannot_import_into_another_branch(run_jobs, secretary_a, branch_a, branch_b):
    before = registry_snapshot()
    data = xlsx(rows_of([person(1, branch=branch_a.name), person(2, branch=branch_b.name)]))
    job = check(run_jobs, secretary_a, "a.xlsx", data)
    assert job.status == Status.FAILED
    assert job.errors == [
        {"row": 3, "column": "所在党支部", "message": job.errors[0]["message"], "code": "unknown_branch"}
    ]
    assert branch_b.name in job.errors[0]["message"]
    assert registry_snapshot() == before


def test_a_secretary_imports_into_their_own_branch(run_jobs, secretary_a, branch_a):
    data = xlsx(rows_of([person(1, branch=branch_a.name)]))
    job = confirm(run_jobs, check(run_jobs, secretary_a, "a.xlsx", data), secretary_a)
    assert job.status == Status.DONE
    assert job.branch == branch_a
    assert Cadre.objects.get().branch == branch_a


def test_the_write_checks_again_and_stops_at_a_change_made_since_the_preview(
    run_jobs, secretary_a, branch_a, branch_b
):
    entry = person(1, branch=branch_a.name)
    job = check(run_jobs, secretary_a, "a.xlsx", xlsx(rows_of([entry, person(2, branch=branch_a.name)])))
    assert job.status == Status.PREVIEWED
    # Meanwhile the bureau registers the same person in another branch.
    CadreFactory(name="测试1", id_number=entry["身份证号"], birth_date=entry["出生日期"], branch=branch_b)
    before = registry_snapshot()
    job = confirm(run_jobs, job, secretary_a)
    assert job.status == Status.FAILED
    assert [(e["row"], e["code"]) for e in job.errors] == [(2, "outside_scope")]
    assert registry_snapshot() == before


def test_only_a_previewed_job_can_be_confirmed_and_only_once(run_jobs, staff_user, branch_a):
    job = check(run_jobs, staff_user, "a.xlsx", xlsx(rows_of([person(1, branch=branch_a.name)])))
    confirm(run_jobs, job, staff_user)
    with pytest.raises(ValidationError):
        services.job_confirm(job=job, user=staff_user)
    # A task delivered twice finds its step done and does nothing.
    assert services.job_run(job_id=job.pk) == Status.DONE
    assert services.job_validate(job_id=job.pk) == Status.DONE
    assert Cadre.objects.count() == 1


def test_purge_deletes_old_files_and_abandons_unfinished_jobs(run_jobs, staff_user, branch_a):
    job = check(run_jobs, staff_user, "a.xlsx", xlsx(rows_of([person(1, branch=branch_a.name)])))
    storage, name = job.file.storage, job.file.name
    assert services.purge_old_files(days=1) == 0
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    assert services.purge_old_files(days=1) == 1
    job.refresh_from_db()
    assert not storage.exists(name) and not job.file
    assert job.status == Status.PREVIEWED  # a previewed job was not running; it just lost its file
    job = confirm(run_jobs, job, staff_user)
    assert job.status == Status.FAILED and "重新上传" in job.message
    assert not Cadre.objects.exists()


def test_the_write_uses_the_rows_checked_for_the_preview_not_a_second_reading(run_jobs, staff_user, branch_a):
    job = check(run_jobs, staff_user, "a.xlsx", xlsx(rows_of([person(1, branch=branch_a.name)])))
    with job.file.storage.open(job.file.name, "wb") as stored:
        stored.write(b"no longer a workbook")
    job = confirm(run_jobs, job, staff_user)
    assert job.status == Status.DONE
    assert Cadre.objects.get().name == "测试1"


def test_checked_rows_whose_signature_fails_are_not_used(run_jobs, staff_user, branch_a):
    job = check(run_jobs, staff_user, "a.xlsx", xlsx(rows_of([person(1, branch=branch_a.name)])))
    storage = job.file.storage
    name = services._checked_name(job)
    with storage.open(name, "rb") as stored:
        signature, _newline, checked = stored.read().partition(b"\n")
    with storage.open(name, "wb") as stored:
        stored.write(signature + b"\n" + checked.replace("测试1".encode(), "篡改1".encode()))
    job = confirm(run_jobs, job, staff_user)
    # The file is read and checked again instead: the tampered rows are never unpickled.
    assert job.status == Status.DONE
    assert Cadre.objects.get().name == "测试1"
    assert not storage.exists(name)
