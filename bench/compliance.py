"""Speed goal of the 三会一课 compliance selector, measured on PostgreSQL.

On 5,000 党支部 with a year of activities and 1,000,000 attendance rows, time
branches.selectors.branch_compliance as a bureau staff user for that year, one quarter and
one month, RUNS times each after two warm-up calls, and report median and p95 (nearest
rank). Goal: under 1 s for the year. The aggregate query over the period's activities (slots
held, and the sums of each activity's attendance tallies) is EXPLAINed (ANALYZE, BUFFERS) to
show which indexes it uses. Results go to stdout and bench/results/compliance.json.

The data is built once and reused while it is there (--rebuild builds it again):
bench/generate.py writes the registry (1,000,000 cadres give 5,000 党支部; it wipes the
registry and, through CASCADE, activities, attendance and users), then activities (about
40 per branch over the year) and attendance rows are written with COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_comp python bench/compliance.py
"""

import argparse
import datetime as dt
import gc
import io
import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre_portal.settings.local")
os.environ["DJANGO_DEBUG"] = "false"  # DEBUG keeps every query in memory and slows the runs

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from accounts.services import roles_sync_groups, user_set_role  # noqa: E402
from bench.generate import generate  # noqa: E402
from branches.models import Activity, ActivityKind, Attendance, Branch  # noqa: E402
from branches.selectors import COMPLIANCE_KINDS, branch_compliance  # noqa: E402
from core.periods import parse_period  # noqa: E402

GOAL_SECONDS = 1.0
# bench/generate.py writes one 党支部 per 200 cadres: a million cadres give 5,000.
CADRES = 1_000_000
MIN_BRANCHES = 5_000
ACTIVITIES_PER_BRANCH = 40
ATTENDANCE_ROWS = 1_000_000
NULL = "\\N"
# How likely a branch is to hold each required activity in its slot: most do, some miss one.
HOLD_CHANCE = {"month": 0.93, "quarter": 0.9, "year": 0.9}
BIG_TABLES = ("branches_activity", "branches_attendance")


def data_counts(year: int) -> dict:
    """What the database holds: compliance branches, activities in `year`, attendance rows."""
    return {
        "branches": Branch.objects.filter(kind__in=COMPLIANCE_KINDS).count(),
        "activities": Activity.objects.filter(held_on__year=year).count(),
        "attendance": Attendance.objects.count(),
    }


def reusable(counts: dict, *, attendance: int) -> bool:
    """Whether the data in the database is big enough to measure again without building it."""
    return (
        counts["branches"] >= MIN_BRANCHES
        and counts["attendance"] >= 0.95 * attendance
        and counts["activities"] >= 0.9 * ACTIVITIES_PER_BRANCH * counts["branches"]
    )


def build(*, cadres: int, seed: int, year: int, attendance: int) -> dict:
    """Write the registry with bench/generate.py, then a year of activities and their attendance."""
    with connection.cursor() as cursor:
        start = time.perf_counter()
        counts = generate(cursor, cadres=cadres, seed=seed)
        with transaction.atomic():
            counts |= _copy_activities(cursor, random.Random(seed), year, attendance)
        print(f"{time.perf_counter() - start:7.1f} s  activities and attendance written")
        for table in ("branches_branch", "cadres_cadre", *BIG_TABLES):
            # What autovacuum does in service: statistics and the visibility map (index-only scans).
            cursor.execute(f"VACUUM ANALYZE {table}")
        print(f"{time.perf_counter() - start:7.1f} s  vacuumed and analyzed")
    counts["build_seconds"] = round(time.perf_counter() - start, 1)
    return counts


def _copy_activities(cursor, rng: random.Random, year: int, target: int) -> dict:
    kinds = list(ActivityKind.objects.filter(is_active=True).exclude(frequency="").filter(held_by="branch"))
    branches = list(
        Branch.objects.filter(kind__in=COMPLIANCE_KINDS)
        .exclude(kind=Branch.Kind.GROUP)
        .values_list("pk", flat=True)
    )
    members: dict[int, list[int]] = {}
    cursor.execute(
        "SELECT branch_id, id FROM cadres_cadre WHERE branch_id IS NOT NULL AND deceased_on IS NULL ORDER BY id"
    )
    for branch_id, cadre_id in cursor.fetchall():
        members.setdefault(branch_id, []).append(cadre_id)
    now = timezone.now().isoformat()
    activity_rows, planned = [], []
    for branch_id in branches:
        days = _activity_days(rng, kinds, year)
        for kind, day in days:
            activity_id = len(activity_rows) + 1
            activity_rows.append(
                (activity_id, now, now, branch_id, kind.pk, day.isoformat(), NULL, "", f"{kind.name}{day:%m月%d日}",
                 "", "", 0, NULL, 0, 0)
            )  # fmt: skip
            planned.append((activity_id, branch_id))
    columns = ["id", "created_at", "updated_at", "branch_id", "kind_id", "held_on", "starts_at", "place", "topic",
               "presenter", "minutes", "guest_count", "created_by_id", "present_count", "roll_count"]  # fmt: skip
    _copy(cursor, "branches_activity", columns, activity_rows)
    # Attendance rows per activity, spread so that the total comes to `target`.
    per_activity = target / len(planned)
    low, high = max(1, math.floor(per_activity) - 2), math.ceil(per_activity) + 2
    reasons = Attendance.LeaveReason.values
    written, chunk = 0, []
    for activity_id, branch_id in planned:
        people = members.get(branch_id, [])
        left = target - written
        count = min(len(people), left, rng.randint(low, high))
        for cadre_id in rng.sample(people, count):
            draw = rng.random()
            if draw < 0.78:
                status, reason = Attendance.Status.PRESENT, ""
            elif draw < 0.92:
                status, reason = Attendance.Status.LEAVE, rng.choice(reasons)
            else:
                status, reason = Attendance.Status.ABSENT, ""
            chunk.append((activity_id, cadre_id, status, reason))
        written += count
        if len(chunk) >= 200_000:
            _copy(cursor, "branches_attendance", ["activity_id", "cadre_id", "status", "leave_reason"], chunk)
            chunk = []
    _copy(cursor, "branches_attendance", ["activity_id", "cadre_id", "status", "leave_reason"], chunk)
    # What branches.services.activity_tally does for each recorded activity, in one statement.
    cursor.execute(
        "UPDATE branches_activity AS a SET present_count = t.present, roll_count = t.roll"
        " FROM (SELECT activity_id, COUNT(*) FILTER (WHERE status = 'present') AS present, COUNT(*) AS roll"
        " FROM branches_attendance GROUP BY activity_id) AS t WHERE a.id = t.activity_id"
    )
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence('branches_activity', 'id'), (SELECT MAX(id) FROM branches_activity))"
    )
    return {"activities": len(activity_rows), "attendance": written}


def _activity_days(rng: random.Random, kinds, year: int) -> list:
    """About ACTIVITIES_PER_BRANCH (kind, day) pairs: each required slot held or (rarely) missed,
    then extra activities of random required kinds, which fill no slot twice."""
    days = []
    for kind in kinds:
        months = {"month": 1, "quarter": 3, "year": 12}[kind.frequency]
        for first in range(1, 13, months):
            if rng.random() < HOLD_CHANCE[kind.frequency]:
                month = first + rng.randrange(months)
                days.append((kind, dt.date(year, month, rng.randint(1, 28))))
    while len(days) < ACTIVITIES_PER_BRANCH + rng.randint(-3, 3):
        days.append((rng.choice(kinds), dt.date(year, rng.randint(1, 12), rng.randint(1, 28))))
    return days


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(str(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def staff_user() -> User:
    # The generator's TRUNCATE … CASCADE empties users and groups: make them again.
    roles_sync_groups()
    user = User.objects.filter(username="bench_compliance_staff").first()
    if user is None:
        user = User(username="bench_compliance_staff")
        user.set_unusable_password()
        user.save()
    user_set_role(user=user, role=Role.BUREAU_STAFF)
    return User.objects.get(pk=user.pk)


def measure(user, period, runs: int) -> dict:
    for _ in range(2):  # warm the caches and the connection
        branch_compliance(user=user, period=period)
    timings = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        rows = branch_compliance(user=user, period=period)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        branch_compliance(user=user, period=period)
    return {
        "period": period.label,
        **_summary(timings),
        "runs": runs,
        "queries": len(queries),
        "branches": len(rows),
        "compliant": sum(1 for row in rows if row.compliant),
    }


def measure_views(user, period, runs: int) -> dict:
    """The page (first page of 20 over all branches) and both exports, through the test client."""
    client = Client(HTTP_HOST="localhost")  # an allowed host of the local settings
    client.force_login(user)
    url = reverse("reports:compliance")
    results = {}
    for label, params in (
        ("page", {}),
        ("csv export", {"format": "csv"}),
        ("xlsx export", {"format": "xlsx"}),
    ):
        params = {"period": period.label, **params}
        assert client.get(url, params).status_code == 200
        timings = []
        for _ in range(runs):
            gc.collect()
            start = time.perf_counter()
            client.get(url, params)
            timings.append((time.perf_counter() - start) * 1000)
        results[label] = _summary(timings)
    return results


def _summary(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[math.ceil(0.95 * len(timings)) - 1], 1),
    }


def explain(user, period) -> list[dict]:
    """EXPLAIN ANALYZE the selector's aggregate queries (those over activities and attendance)."""
    with CaptureQueriesContext(connection) as queries:
        branch_compliance(user=user, period=period)
    plans = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if "GROUP BY" not in sql:
            continue
        table = "branches_attendance" if 'FROM "branches_attendance"' in sql else "branches_activity"
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            text = "\n".join(line for (line,) in cursor.fetchall())
        plan = json.loads(plan) if isinstance(plan, str) else plan
        nodes = list(_nodes(plan[0]["Plan"]))
        scans = [
            {"node": n["Node Type"], "relation": n.get("Relation Name"), "index": n.get("Index Name"),
             "rows": n.get("Actual Rows"), "ms": round(n.get("Actual Total Time", 0), 1)}
            # A Bitmap Index Scan names its index but not its table (the Bitmap Heap Scan above does).
            for n in nodes if "Scan" in n["Node Type"] and (n.get("Relation Name") or n.get("Index Name"))
        ]  # fmt: skip
        plans.append(
            {
                "query": f"aggregate over {table}",
                "execution_ms": round(plan[0]["Execution Time"], 1),
                "indexes_used": sorted({s["index"] for s in scans if s["index"]}),
                "sequential_scans": sorted({s["relation"] for s in scans if s["node"] == "Seq Scan"}),
                "scans": scans,
                "plan": text,
            }
        )
    return plans


def _nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cadres", type=int, default=CADRES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--year", type=int, default=timezone.localdate().year - 1, help="the year of activities"
    )
    parser.add_argument("--attendance", type=int, default=ATTENDANCE_ROWS, help="attendance rows to write")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--rebuild", action="store_true", help="build the data again even if it is there")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit(
            "bench/compliance.py measures PostgreSQL: set DATABASE_URL=postgres://… to a scratch database"
        )
    call_command("migrate", verbosity=0)
    print(f"PostgreSQL {connection.cursor().connection.server_version}")
    data = data_counts(args.year)
    if args.rebuild or not reusable(data, attendance=args.attendance):
        built = build(cadres=args.cadres, seed=args.seed, year=args.year, attendance=args.attendance)
        data = {"build_seconds": built["build_seconds"], "cadres": built["cadres"], **data_counts(args.year)}
    else:
        print("reusing the data in the database (--rebuild to build it again)")
    at_scale = data["branches"] >= MIN_BRANCHES and data["attendance"] >= 0.95 * ATTENDANCE_ROWS
    print(
        f"{data['branches']:,} branches, {data['activities']:,} activities, {data['attendance']:,} attendance rows"
    )
    if not at_scale:
        print(f"  below the goal's scale ({MIN_BRANCHES:,} branches, {ATTENDANCE_ROWS:,} attendance rows)")
    user = staff_user()
    periods = [parse_period(str(args.year)), parse_period(f"{args.year}-Q2"), parse_period(f"{args.year}-06")]
    results = {}
    print(f"\nbranch_compliance as bureau staff, {args.runs} runs each")
    for period in periods:
        result = measure(user, period, args.runs)
        results[period.unit] = result
        print(
            f"  {period.unit:8} {period.label:8}  median {result['median_ms']:7.1f} ms   p95 {result['p95_ms']:7.1f} ms"
            f"   {result['queries']} queries, {result['branches']:,} branches, {result['compliant']:,} compliant"
        )
    goal_met = at_scale and results["year"]["p95_ms"] < GOAL_SECONDS * 1000
    print(f"\ngoal: the year under {GOAL_SECONDS:.0f} s (p95): {'met' if goal_met else 'NOT met'}")
    pages = measure_views(user, periods[0], args.runs)
    print(f"\nthe compliance page and its exports for {periods[0].label} (Django test client)")
    for label, result in pages.items():
        print(f"  {label:12} median {result['median_ms']:7.1f} ms   p95 {result['p95_ms']:7.1f} ms")
    plans = {}
    for period in (periods[0], periods[2]):
        plans[period.label] = explain(user, period)
        for plan in plans[period.label]:
            used = ", ".join(plan["indexes_used"]) or "none"
            seq = ", ".join(plan["sequential_scans"]) or "none"
            print(f"\nEXPLAIN ANALYZE, {plan['query']} ({period.label}): {plan['execution_ms']} ms")
            print(f"  indexes used: {used}; sequential scans: {seq}")
            print("  " + plan["plan"].replace("\n", "\n  "))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    report = {
        "data": data,
        "goal": {
            "period": "year",
            "p95_under_ms": GOAL_SECONDS * 1000,
            "at_scale": at_scale,
            "met": goal_met,
        },
        "timings": results,
        "views": pages,
        "plans": plans,
    }
    (out / "compliance.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    sys.exit(0 if goal_met else 1)


if __name__ == "__main__":
    main()
