"""Speed of the cadre roster import, measured on PostgreSQL against two references.

On one 100,000-row .xlsx roster of valid cadres (all the template's columns, over a small
branch tree, written once with openpyxl's write-only mode and kept in the temp directory), in
one run:

(a) stock: django-import-export's ModelResource for Cadre with its default widgets, the
    headers renamed to the field names it expects, imports a 2,000-row slice of the same roster
    (read with tablib as the admin reads an upload, then import_data, dry_run=False) in a
    transaction rolled back afterwards; rows/s is extrapolated to 100,000 rows, because the
    whole file at about 500 rows/s takes minutes. Only what its default widgets can read is
    given to it (the 五老 list and the branch name are left out), and Cadre.save() and the
    audit log run for each row, as in any stock import of this model here;
(b) the floor: python-calamine reads the whole file and PostgreSQL COPY writes its rows into a
    scratch copy of the cadre table (same columns and indexes), choice labels mapped to codes by
    a dictionary lookup and dates formatted: the least any import must do;
(c) the portal: the full import of all 100,000 rows into an empty registry, through the same
    services the staff pages call (upload stored, check and preview by the validate task,
    confirm, the write by the run task with memberships, birthday keys and the audit entry),
    tasks in-process as in the embedded default.

Goals: the portal at least 20× the stock import's rows/s, and within 4× the floor's seconds.
Then the same file is imported again: every row is skipped and nothing changes. Results go to
stdout and bench/results/imports.json; the exit status is 1 when a goal is missed. The
registry of the database is wiped (bench/generate.py's TRUNCATE … CASCADE), so give it a
database of its own:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_imp python bench/imports.py
"""

import argparse
import datetime as dt
import gc
import io
import json
import os
import random
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre_portal.settings.local")
os.environ["DJANGO_DEBUG"] = "false"  # DEBUG keeps every query in memory and slows the runs
os.environ.setdefault("DJANGO_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "cadre_portal_bench_media"))
# The embedded default: tasks run in-process, so the timing has no broker or worker in it.
os.environ["REDIS_URL"] = ""
os.environ.pop("CELERY_BROKER_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from accounts.services import roles_sync_groups, user_set_role  # noqa: E402
from bench.generate import _wipe_registry  # noqa: E402
from branches.models import Branch, BranchMembership  # noqa: E402
from branches.services import branch_create  # noqa: E402
from cadres.models import Cadre  # noqa: E402
from core import demo_data, idcard  # noqa: E402
from imports import services  # noqa: E402
from imports.models import ImportJob  # noqa: E402
from imports.specs import CADRE_ROSTER, FIVE_ELDERS_LABELS, RANK_LABELS  # noqa: E402

ROWS = 100_000
STOCK_ROWS = 2_000
GOAL_TIMES_STOCK = 20
GOAL_TIMES_FLOOR = 4
BRANCHES = 60
NULL = "\\N"
REGIONS = ["510104", "510105", "510106", "510107", "510108", "110101", "320102", "440103"]
UNITS = demo_data.DISTRICT_UNITS


# The roster ------------------------------------------------------------------------------------


def roster_path(rows: int, seed: int) -> Path:
    return Path(tempfile.gettempdir()) / "cadre_portal_bench" / f"roster_{rows}_seed{seed}.xlsx"


def roster_rows(rows: int, seed: int, branch_names: list[str]):
    """`rows` valid, distinct cadres as the template's cells, drawn from `seed`."""
    rng = random.Random(seed)
    today = dt.date.today()
    seen = set()
    surnames = (
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    )
    given = "建国秀英志明桂兰淑珍玉华德胜文明海涛春梅丽华永红国强"
    produced = 0
    while produced < rows:
        sex = rng.choice("MF")
        born = dt.date(1925, 1, 1) + dt.timedelta(days=rng.randrange(365 * 40))
        number = idcard.make_id_number(rng.choice(REGIONS), born, rng.randrange(500), sex)
        if number in seen:
            continue
        seen.add(number)
        produced += 1
        retired = born + dt.timedelta(days=365 * 60 + 15)
        joined = born + dt.timedelta(days=365 * rng.randint(18, 40)) if rng.random() < 0.7 else None
        yield [
            rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.randint(1, 2))),
            "男" if sex == "M" else "女",
            number,
            born,
            "汉族" if rng.random() < 0.92 else rng.choice(["回族", "满族", "蒙古族", "壮族"]),
            "离休" if born.year < 1932 else "退休",
            retired if retired <= today else None,
            rng.choice(UNITS),
            rng.choice(["科员", "科长", "副处长", "处长", "副局长", "局长", "主任"]),
            rng.choice(list(RANK_LABELS.values())),
            joined,
            rng.choice(branch_names),
            f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
            f"锦江区红星路{rng.randint(1, 300)}号",
            "农历" if rng.random() < 0.3 else "公历",
            "、".join(rng.sample(list(FIVE_ELDERS_LABELS.values()), 2)) if rng.random() < 0.1 else None,
            "是" if rng.random() < 0.05 else "否",
            "是" if rng.random() < 0.03 else "否",
            None,
            None,
        ]


def write_roster(path: Path, rows: list[list]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(CADRE_ROSTER.headers)
    for row in rows:
        sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


# The registry ----------------------------------------------------------------------------------


def fresh_registry() -> tuple[User, list[str]]:
    """Wipe the registry; build a committee, general branches and BRANCHES 党支部; a staff user."""
    with connection.cursor() as cursor, transaction.atomic():
        _wipe_registry(cursor, print)
    roles_sync_groups()
    committee = branch_create(name="市委老干部局离退休干部党委", kind="committee")
    names = []
    for g in range(BRANCHES // 10):
        general = branch_create(name=f"第{g + 1}离退休干部党总支", kind="general_branch", parent=committee)
        for b in range(10):
            names.append(
                branch_create(name=f"第{g + 1}总支第{b + 1}党支部", kind="branch", parent=general).name
            )
    staff = User.objects.create_user(username="bench_import_staff", password=None)
    user_set_role(user=staff, role=Role.BUREAU_STAFF)
    return User.objects.get(pk=staff.pk), names


# (a) the stock resource ------------------------------------------------------------------------


def measure_stock(rows: list[list], *, audit_log: bool = True) -> dict:
    import tablib
    from auditlog.context import disable_auditlog
    from import_export import resources

    field_of = {column.header: column.field for column in CADRE_ROSTER.columns}
    # What the default widgets can read: the 五老 cell is no JSON list, the branch is no field,
    # and the empty 备注 column would be read as NULL into a NOT NULL column.
    left_out = ("five_elders", "branch", "notes")
    kept = [h for h in CADRE_ROSTER.headers if field_of[h] not in left_out]

    class StockCadreResource(resources.ModelResource):
        class Meta:
            model = Cadre
            import_id_fields = ("id_number",)
            fields = tuple(field_of[h] for h in kept)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(CADRE_ROSTER.headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    with transaction.atomic(), nullcontext() if audit_log else disable_auditlog():
        started = time.perf_counter()
        dataset = tablib.Dataset().load(data, format="xlsx")
        dataset.headers = [field_of.get(h, h) for h in dataset.headers]
        for header in left_out:
            del dataset[header]
        # tablib reads an Excel date as a datetime, which DateWidget passes on as it is and
        # Cadre.save() cannot subtract from a date: hand them over as dates.
        dataset = tablib.Dataset(
            *[[v.date() if isinstance(v, dt.datetime) else v for v in row] for row in dataset],
            headers=dataset.headers,
        )
        result = StockCadreResource().import_data(
            dataset, dry_run=False, raise_errors=True, use_transactions=False
        )
        seconds = time.perf_counter() - started
        written = Cadre.objects.count()
        transaction.set_rollback(True)
    assert not result.has_errors() and written == len(rows), (result.has_errors(), written)
    return {"rows": len(rows), "seconds": round(seconds, 3), "rows_per_second": round(len(rows) / seconds, 1)}


# (b) the floor ---------------------------------------------------------------------------------


def measure_floor(data: bytes) -> dict:
    from python_calamine import CalamineWorkbook

    codes = {
        "男": "M",
        "女": "F",
        "离休": "lixiu",
        "退休": "tuixiu",
        "公历": "solar",
        "农历": "lunar",
        **{label: code for code, label in RANK_LABELS.items()},
    }
    now = timezone.now().isoformat()
    # Every roster column but the branch (a name to look up: more than the floor does).
    copied = [(i, c.field) for i, c in enumerate(CADRE_ROSTER.columns) if c.field != "branch"]
    columns = [field for _i, field in copied] + [
        "health_notes",
        "emergency_contact",
        "created_at",
        "updated_at",
    ]
    dates = {"birth_date", "retired_on", "party_join_date", "deceased_on"}
    booleans = {"lives_elsewhere", "special_hardship"}
    tags = {label: code for code, label in FIVE_ELDERS_LABELS.items()}

    def cell(field, value):
        if field in dates:
            return value.isoformat() if value != "" else NULL
        if field in booleans:
            return "t" if value == "是" else "f"
        if field == "five_elders":
            return json.dumps([tags[t] for t in value.split("、")] if value else [])
        return codes.get(value, value) if isinstance(value, str) else str(value)

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE scratch_cadre (LIKE cadres_cadre INCLUDING DEFAULTS INCLUDING IDENTITY "
                "INCLUDING CONSTRAINTS INCLUDING INDEXES)"
            )
        gc.collect()
        started = time.perf_counter()
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        rows = iter(sheet.iter_rows())
        next(rows)
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join([*(cell(field, row[i]) for i, field in copied), "", "", now, now]))
            buffer.write("\n")
        read = time.perf_counter() - started
        buffer.seek(0)
        with connection.cursor() as cursor:
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.copy_expert(f"COPY scratch_cadre ({quoted}) FROM STDIN", buffer)
            cursor.execute("SELECT count(*) FROM scratch_cadre")
            (written,) = cursor.fetchone()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {
        "rows": written,
        "seconds": round(seconds, 3),
        "read_seconds": round(read, 3),
        "copy_seconds": round(seconds - read, 3),
        "rows_per_second": round(written / seconds, 1),
    }


# (c) the portal --------------------------------------------------------------------------------


def measure_portal(user: User, name: str, data: bytes) -> dict:
    gc.collect()
    started = time.perf_counter()
    # Autocommit, as a worker runs: each service commits, and the task it enqueues runs
    # in-process right after the commit (the embedded default).
    job = services.job_create(user=user, resource="cadres", upload=SimpleUploadedFile(name, data))
    job.refresh_from_db()
    previewed = time.perf_counter()
    if job.status != ImportJob.Status.PREVIEWED:
        raise SystemExit(f"the check failed: {job.message or job.errors[:5]}")
    services.job_confirm(job=job, user=user)
    job.refresh_from_db()
    seconds = time.perf_counter() - started
    if job.status != ImportJob.Status.DONE:
        raise SystemExit(f"the import failed: {job.message or job.errors[:5]}")
    return {
        "rows": job.row_count,
        "created": job.create_count,
        "updated": job.update_count,
        "skipped": job.skip_count,
        "seconds": round(seconds, 3),
        "check_and_preview_seconds": round(previewed - started, 3),
        "confirm_and_write_seconds": round(seconds - (previewed - started), 3),
        "rows_per_second": round(job.row_count / seconds, 1),
        "job": job.pk,
    }


def verify(rows: int) -> dict:
    """The import wrote what the services would: cadres, memberships, keys, one audit entry."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    cadres = Cadre.objects.count()
    memberships = BranchMembership.objects.filter(left_on__isnull=True).count()
    sample = list(Cadre.objects.order_by("?")[:500])
    keys_ok = True
    for cadre in sample:
        stored = [getattr(cadre, key) for key in Cadre.CALENDAR_KEYS]
        cadre.set_calendar_keys()
        keys_ok &= stored == [getattr(cadre, key) for key in Cadre.CALENDAR_KEYS]
    cadre_entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Cadre)).count()
    job_entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(ImportJob)).count()
    return {
        "cadres": cadres,
        "current_memberships": memberships,
        "calendar_keys_match_save": keys_ok,
        "audit_entries_for_cadres": cadre_entries,
        "audit_entries_for_imports": job_entries,
        "ok": cadres == rows and memberships == rows and keys_ok and cadre_entries == 0 and job_entries == 1,
    }


def snapshot_digest() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM cadres_cadre t")
        (cadres,) = cursor.fetchone()
        cursor.execute("SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM branches_branchmembership t")
        (memberships,) = cursor.fetchone()
    return f"{cadres}/{memberships}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--stock-rows", type=int, default=STOCK_ROWS)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/imports.py measures PostgreSQL: set DATABASE_URL=postgres://… to a scratch database")
    call_command("migrate", verbosity=0)
    print(f"PostgreSQL {connection.cursor().connection.server_version}")
    user, branch_names = fresh_registry()
    print(f"an empty registry with {Branch.objects.count()} branches")

    path = roster_path(args.rows, args.seed)
    started = time.perf_counter()
    rows = list(roster_rows(args.rows, args.seed, branch_names))
    if not path.exists():
        write_roster(path, rows)
        print(f"wrote {path} ({args.rows:,} rows) in {time.perf_counter() - started:.1f} s")
    data = path.read_bytes()
    print(
        f"the roster: {args.rows:,} rows × {len(CADRE_ROSTER.headers)} columns, {len(data) / 2**20:.1f} MiB .xlsx"
    )
    if len(data) > settings.IMPORT_MAX_BYTES:
        sys.exit(
            f"the roster is over IMPORT_MAX_BYTES ({settings.IMPORT_MAX_BYTES:,}): raise it for this run"
        )

    measure_stock(rows[:50])  # warm-up: imports, caches, the first queries' planning
    stock_audited = measure_stock(rows[: args.stock_rows])
    stock = measure_stock(rows[: args.stock_rows], audit_log=False)
    for label, result in (("as configured, audit log on", stock_audited), ("audit log off", stock)):
        result["extrapolated_seconds"] = round(args.rows / result["rows_per_second"], 1)
        print(
            f"(a) stock ModelResource, {label}: {result['rows']:,} rows in {result['seconds']:.2f} s = "
            f"{result['rows_per_second']:,.0f} rows/s (extrapolated: {result['extrapolated_seconds']:,.0f} s "
            f"for {args.rows:,})"
        )
    floor = measure_floor(data)
    print(
        f"(b) floor, calamine + COPY: {floor['rows']:,} rows in {floor['seconds']:.2f} s "
        f"(read {floor['read_seconds']:.2f} s, COPY {floor['copy_seconds']:.2f} s) = "
        f"{floor['rows_per_second']:,.0f} rows/s"
    )
    portal = measure_portal(user, path.name, data)
    print(
        f"(c) portal, full import: {portal['rows']:,} rows in {portal['seconds']:.2f} s "
        f"(check and preview {portal['check_and_preview_seconds']:.2f} s, confirm and write "
        f"{portal['confirm_and_write_seconds']:.2f} s) = {portal['rows_per_second']:,.0f} rows/s"
    )
    checks = verify(args.rows)
    print(f"    written: {checks}")

    before = snapshot_digest()
    again = measure_portal(user, path.name, data)
    unchanged = snapshot_digest() == before and again["skipped"] == args.rows and not again["created"]
    print(
        f"    the same file again: {again['skipped']:,} skipped, {again['created']} created, "
        f"{again['updated']} updated in {again['seconds']:.2f} s; registry unchanged: {unchanged}"
    )

    times_stock = portal["rows_per_second"] / stock["rows_per_second"]
    times_floor = portal["seconds"] / floor["seconds"]
    stock_met = times_stock >= GOAL_TIMES_STOCK
    floor_met = times_floor <= GOAL_TIMES_FLOOR
    print(
        f"\nportal / stock: {times_stock:.1f}× the rows/s (goal ≥ {GOAL_TIMES_STOCK}×): "
        f"{'met' if stock_met else 'NOT met'}"
    )
    print(
        f"portal / floor: {times_floor:.2f}× the seconds (goal ≤ {GOAL_TIMES_FLOOR}×): "
        f"{'met' if floor_met else 'NOT met'}"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    report = {
        "rows": args.rows,
        "file_bytes": len(data),
        "columns": len(CADRE_ROSTER.headers),
        "stock": {
            **stock,
            "note": f"audit log off (the faster, the goal's reference); measured on the first {stock['rows']:,} "
            "rows, rows/s extrapolated",
        },
        "stock_with_audit_log": stock_audited,
        "portal_times_stock_with_audit_log_rows_per_second": round(
            portal["rows_per_second"] / stock_audited["rows_per_second"], 1
        ),
        "floor": floor,
        "portal": portal,
        "portal_again": again,
        "written": checks,
        "reimport_changed_nothing": unchanged,
        "portal_times_stock_rows_per_second": round(times_stock, 1),
        "portal_seconds_over_floor_seconds": round(times_floor, 2),
        "goals": {
            "portal_at_least_times_stock": GOAL_TIMES_STOCK,
            "portal_within_times_floor": GOAL_TIMES_FLOOR,
            "met": stock_met and floor_met and checks["ok"] and unchanged,
        },
    }
    (out / "imports.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    sys.exit(0 if report["goals"]["met"] else 1)


if __name__ == "__main__":
    main()
