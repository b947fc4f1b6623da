"""Speed goal of the reminder engine's daily scan, measured on PostgreSQL.

One day's run of every rule, reminders.services.run_reminders(on=D), over 1,000,000 cadres, as
the daily job meets the ledger: D-1's run is in it (untimed), then D's run is timed and the
transaction rolled back, so that every timed run meets the same state; it records the reminders
newly due, the milestone-birthday occasions included. In the same run the bare SELECTs that find
the same people (each rule's one query, reminders.services.due_rows, summed over the rules) are
timed the same way. RUNS runs of each after two warm-ups, median and p95 (nearest rank). Goals,
on an ordinary day (the medal rule set to fire on another one): the run under 2 s (p95) and
within 5x of the bare SELECTs (medians). Beside it, three runs each of two harder days: the medal
day (the medal rule fires on D: 21k more reminders, once a year), and a first run on an empty
ledger (the whole look-ahead window at once). Each rule's query is EXPLAINed (ANALYZE, BUFFERS):
the birthday, lunar, milestone and political rules must read an index of cadres_cadre, and no
rule may scan a big table sequentially. For illustration, the thing to avoid is timed once
beside the indexed query: a Python loop over every cadre deciding whose solar birthday falls in
the window. The exit status is 1 when a goal is missed. Results go to stdout and
bench/results/reminders.json.

The registry (bench/generate.py) is reused while it is there, as bench/compliance.py leaves it
(--rebuild writes it again). The users (a secretary for four of five 党支部, 20 bureau staff) are
kept while they match; the care data is written afresh for D each time, with COPY, in seconds:
六必访 occasions of the last half year (most visited, some open, some overdue), 5,000 one-to-one
contacts with their logs (some overdue), and the 50-year medals of those who reached 50 years
before D's year. D is today (Asia/Shanghai) unless --on says otherwise.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_rem python bench/reminders.py
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
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")  # the engine logs its counts on every run

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from accounts.services import roles_sync_groups  # noqa: E402
from bench.generate import birth_keys, generate  # noqa: E402
from benefits.models import ContactAssignment, MedalAward, Occasion  # noqa: E402
from benefits.rules import visit_due_days  # noqa: E402
from branches.models import Branch, BranchOfficer  # noqa: E402
from cadres.models import Cadre  # noqa: E402
from reminders import rules  # noqa: E402
from reminders.models import Reminder  # noqa: E402
from reminders.services import due_rows, run_reminders, today_in_shanghai  # noqa: E402

GOAL_SECONDS = 2.0
GOAL_RATIO = 5.0
CADRES = 1_000_000
SECRETARY_SHARE = 0.8
STAFF_USERS = 20
OCCASIONS = 8_000
OCCASION_DAYS = 180
DEATH_OCCASIONS = 300
ASSIGNMENTS = 5_000
ENDED_ASSIGNMENTS = 500
LAPSED_SHARE = 0.12  # assignments whose staff member stopped calling: overdue on D
USER_PREFIX = "bench_rem_"
# The rules whose whole point is an index over the million cadres.
INDEXED_RULES = (
    Reminder.Rule.BIRTHDAY,
    Reminder.Rule.LUNAR_BIRTHDAY,
    Reminder.Rule.MILESTONE_BIRTHDAY,
    Reminder.Rule.POLITICAL_BIRTHDAY,
)
CADRES_TABLE = "cadres_cadre"
BIG_TABLE_ROWS = 100_000  # a sequential scan of a table this big is a finding
CARE_TABLES = (
    "benefits_occasion", "benefits_visit", "benefits_contactassignment", "benefits_contactlog",
    "benefits_medalaward", "reminders_reminder",
)  # fmt: skip
NULL = "\\N"


# Data


def registry(*, cadres: int, seed: int, rebuild: bool) -> dict:
    """The cadres of bench/generate.py: reused when there are enough of them, else written."""
    count = Cadre.objects.count()
    if not rebuild and count >= 0.99 * cadres:
        print(f"reusing the {count:,} cadres in the database (--rebuild to write them again)")
        return {"cadres": count, "build_seconds": None}
    start = time.perf_counter()
    with connection.cursor() as cursor:
        generate(cursor, cadres=cadres, seed=seed)
    return {"cadres": Cadre.objects.count(), "build_seconds": round(time.perf_counter() - start, 1)}


def calendar_keys(seed: int) -> dict:
    """Fill the rules' keys where an older generate.py left them empty, then check a sample of them.

    The rules read stored keys, not dates: a key that disagrees with Cadre.set_calendar_keys would
    make the benchmark find other people than the engine finds in service.
    """
    filled = 0
    if Cadre.objects.filter(birth_month_day__isnull=True).exists():
        start = time.perf_counter()
        with connection.cursor() as cursor, transaction.atomic():
            cursor.execute(f"SELECT DISTINCT birth_date FROM {CADRES_TABLE} WHERE birth_month_day IS NULL")
            rows = [(born, *birth_keys(born)) for (born,) in cursor.fetchall()]
            cursor.execute(
                "CREATE TEMP TABLE bench_birth_keys (birth_date date PRIMARY KEY, md smallint, ly smallint,"
                " lmd smallint) ON COMMIT DROP"
            )
            _copy(cursor, "bench_birth_keys", ["birth_date", "md", "ly", "lmd"], rows)
            # Per distinct birth date (some 15,000), not per row: the lunar conversion is the costly part.
            cursor.execute(
                f"UPDATE {CADRES_TABLE} AS c SET birth_month_day = k.md, lunar_birth_year = k.ly,"
                " lunar_birth_month_day = k.lmd, party_join_month_day ="
                " EXTRACT(MONTH FROM c.party_join_date)::int * 100 + EXTRACT(DAY FROM c.party_join_date)::int"
                " FROM bench_birth_keys AS k WHERE c.birth_date = k.birth_date AND c.birth_month_day IS NULL"
            )
            filled = cursor.rowcount
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {CADRES_TABLE}")
        print(f"{time.perf_counter() - start:7.1f} s  filled the calendar keys of {filled:,} cadres")
    rng = random.Random(seed)
    top = Cadre.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sample = Cadre.objects.filter(pk__in=rng.sample(range(1, top + 1), min(2_000, top)))
    wrong = 0
    for cadre in sample.only("birth_date", "party_join_date", *Cadre.CALENDAR_KEYS):
        stored = [getattr(cadre, key) for key in Cadre.CALENDAR_KEYS]
        cadre.set_calendar_keys()
        wrong += stored != [getattr(cadre, key) for key in Cadre.CALENDAR_KEYS]
    return {"filled": filled, "sampled": sample.count(), "wrong": wrong}


def wipe_care_data() -> None:
    """Only this script writes care data here: start from none, whatever an earlier day left.

    First of all, as the care data points at the users (a contact's staff member is protected)."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(CARE_TABLES)} RESTART IDENTITY CASCADE")


def users(seed: int) -> dict:
    """A secretary for four of five 党支部 and STAFF_USERS bureau staff: whom the reminders go to."""
    rng = random.Random(seed)
    party = Branch.objects.filter(kind__in=[Branch.Kind.BRANCH, Branch.Kind.TEMPORARY]).order_by("pk")
    wanted = {pk for pk in party.values_list("pk", flat=True) if rng.random() < SECRETARY_SHARE}
    ours = User.objects.filter(username__startswith=USER_PREFIX)
    have = set(ours.filter(role=Role.BRANCH_SECRETARY).values_list("branch_id", flat=True))
    if have != wanted or ours.filter(role=Role.BUREAU_STAFF).count() != STAFF_USERS:
        roles_sync_groups()
        ours.delete()
        password = make_password(None)
        made = User.objects.bulk_create(
            [
                User(username=f"{USER_PREFIX}secretary_{pk}", password=password, role=Role.BRANCH_SECRETARY,
                     branch_id=pk, first_name="书记")
                for pk in sorted(wanted)
            ]
            + [
                User(username=f"{USER_PREFIX}staff_{number}", password=password, role=Role.BUREAU_STAFF,
                     first_name="干部处")
                for number in range(1, STAFF_USERS + 1)
            ],
            batch_size=2_000,
        )  # fmt: skip
        groups = dict(Group.objects.values_list("name", "pk"))
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=user.pk, group_id=groups[user.role]) for user in made],
            batch_size=5_000,
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE accounts_user")
    return {
        "secretaries": User.objects.filter(role=Role.BRANCH_SECRETARY, is_active=True).count(),
        "party_branches": party.count(),
        "bureau_staff": User.objects.filter(role=Role.BUREAU_STAFF, is_active=True).count(),
    }


def care_data(on: dt.date, seed: int) -> dict:
    """Occasions with visits, contacts with logs, and the medals already awarded, for the day `on`."""
    rng = random.Random(seed * 1_000_003 + on.toordinal())
    start = time.perf_counter()
    now = timezone.now().isoformat()
    secretary_of = dict(
        User.objects.filter(role=Role.BRANCH_SECRETARY, username__startswith=USER_PREFIX).values_list(
            "branch_id", "pk"
        )
    )
    staff = list(
        User.objects.filter(role=Role.BUREAU_STAFF, username__startswith=USER_PREFIX).values_list(
            "pk", flat=True
        )
    )

    def recorder(branch_id):
        draw = rng.random()
        if draw < 0.7 and branch_id in secretary_of:
            return secretary_of[branch_id]
        return rng.choice(staff) if draw < 0.92 else None

    with connection.cursor() as cursor, transaction.atomic():
        cursor.execute(f"SELECT MAX(id) FROM {CADRES_TABLE}")
        top = cursor.fetchone()[0]
        drawn = rng.sample(range(1, top + 1), 2 * OCCASIONS)
        cursor.execute(
            f"SELECT id, branch_id FROM {CADRES_TABLE} WHERE id = ANY(%s) AND deceased_on IS NULL", [drawn]
        )
        branch_of = dict(cursor.fetchall())
        living = [(pk, branch_of[pk]) for pk in drawn if pk in branch_of][:OCCASIONS]
        cursor.execute(
            f"SELECT id, branch_id, deceased_on FROM {CADRES_TABLE}"
            " WHERE deceased_on > %s AND deceased_on <= %s ORDER BY id",
            [on - dt.timedelta(days=OCCASION_DAYS), on],
        )
        dead = cursor.fetchall()
        dead = rng.sample(dead, min(DEATH_OCCASIONS, len(dead)))
        kinds = [Occasion.Kind.HOSPITALISED, Occasion.Kind.FAMILY_EVENT, Occasion.Kind.HARDSHIP,
                 Occasion.Kind.FESTIVAL]  # fmt: skip
        planned = [
            (cadre_id, branch_id, rng.choices(kinds, weights=[40, 20, 15, 25])[0],
             on - dt.timedelta(days=rng.randint(0, OCCASION_DAYS)))
            for cadre_id, branch_id in living
        ] + [(cadre_id, branch_id, Occasion.Kind.DEATH, died) for cadre_id, branch_id, died in dead]  # fmt: skip
        occasions, visits = [], []
        for occasion_id, (cadre_id, branch_id, kind, occurred) in enumerate(planned, start=1):
            due = occurred + dt.timedelta(days=visit_due_days(kind))
            user = recorder(branch_id)
            occasions.append((occasion_id, now, now, cadre_id, kind, occurred, due, "", user))
            # Most are visited in time; the recent ones are still open, a few old ones are overdue.
            if rng.random() < (0.9 if due < on else 0.35 if occurred < on else 0.05):
                visited = occurred + dt.timedelta(days=rng.randint(0, max(0, (min(due, on) - occurred).days)))
                money = "500.00" if kind == Occasion.Kind.DEATH else None
                visits.append((now, now, cadre_id, occasion_id, kind, visited, "老干部局干部处、支部书记",
                               "", money, "", user))  # fmt: skip
        _copy(cursor, "benefits_occasion", ["id", "created_at", "updated_at", "cadre_id", "kind", "occurred_on",
              "due_on", "note", "recorded_by_id"], occasions)  # fmt: skip
        _copy(cursor, "benefits_visit", ["created_at", "updated_at", "cadre_id", "occasion_id", "reason",
              "visited_on", "visitors", "gift", "condolence_money", "notes", "recorded_by_id"], visits)  # fmt: skip

        # One-to-one contacts with the cadres in special hardship.
        cursor.execute(
            f"SELECT id FROM {CADRES_TABLE} WHERE special_hardship AND deceased_on IS NULL ORDER BY id"
        )
        hardship = [cadre_id for (cadre_id,) in cursor.fetchall()]
        chosen = rng.sample(hardship, min(len(hardship), ASSIGNMENTS + ENDED_ASSIGNMENTS))
        assignments, logs = [], []
        for assignment_id, cadre_id in enumerate(chosen, start=1):
            interval = rng.choice([30, 30, 30, 60, 90])
            started = on - dt.timedelta(days=rng.randint(60, 900))
            ended = None
            last = on
            if assignment_id > ASSIGNMENTS:
                ended = started + dt.timedelta(days=rng.randint(30, (on - started).days))
                last = ended
            elif rng.random() < LAPSED_SHARE:
                last = on - dt.timedelta(days=interval + rng.randint(1, 60))
            member = rng.choice(staff)
            assignments.append((assignment_id, now, now, member, cadre_id, interval, started, ended, ""))
            # A contact a little sooner than the interval each time, until the last day they kept it.
            contacted = started + dt.timedelta(days=round(interval * rng.uniform(0.6, 1.0)))
            while contacted <= last:
                method = rng.choice(["phone", "phone", "visit", "video"])
                logs.append((now, now, assignment_id, contacted, method, "", member))
                contacted += dt.timedelta(days=round(interval * rng.uniform(0.6, 1.0)))
        _copy(cursor, "benefits_contactassignment", ["id", "created_at", "updated_at", "staff_id", "cadre_id",
              "interval_days", "started_on", "ended_on", "note"], assignments)  # fmt: skip
        _copy(cursor, "benefits_contactlog", ["created_at", "updated_at", "assignment_id", "contacted_on",
              "method", "note", "recorded_by_id"], logs)  # fmt: skip
        for table in ("benefits_occasion", "benefits_contactassignment"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))"
            )

        # Everyone who reached 50 years before D's year has the medal (the first were awarded in 2021),
        # so the medal rule's "not yet awarded" meets a table as big as in service.
        cursor.execute(
            "INSERT INTO benefits_medalaward (created_at, updated_at, cadre_id, kind, awarded_on, note)"
            " SELECT now(), now(), id, %s, award, '' FROM ("
            "  SELECT id, deceased_on, GREATEST(DATE '2021-07-01',"
            "   make_date(EXTRACT(YEAR FROM party_join_date)::int + 50, 7, 1)) AS award"
            f"  FROM {CADRES_TABLE} WHERE party_join_date < %s) AS c"
            " WHERE deceased_on IS NULL OR deceased_on > award",
            [MedalAward.Kind.PARTY_50_YEARS, dt.date(on.year - rules.MEDAL_YEARS, 1, 1)],
        )
        medals = cursor.rowcount
    with connection.cursor() as cursor:
        for table in CARE_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"{time.perf_counter() - start:7.1f} s  care data for {on} written")
    return {
        "occasions": len(occasions),
        "visits": len(visits),
        "contact_assignments_open": ContactAssignment.objects.filter(ended_on__isnull=True).count(),
        "contact_logs": len(logs),
        "medals_awarded": medals,
        "officers": BranchOfficer.objects.count(),
        "officer_terms_ending_in_90_days": rules.officer_terms_ending(on=on).count(),
    }


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        # COPY's text format: \N is NULL; the values written here hold no tab, newline or backslash.
        buffer.write("\t".join(NULL if value is None else str(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


# Measurements


def full_run(on: dt.date) -> tuple[float, dict]:
    """run_reminders(on=D) end to end, rolled back: every run meets a ledger empty for D."""
    gc.collect()
    with transaction.atomic(), connection.cursor() as cursor:
        start = time.perf_counter()
        counts = run_reminders(on=on)
        # The foreign keys are DEFERRABLE INITIALLY DEFERRED: their checks run at the commit, which
        # the rollback skips. Run them here, inside the timing, as a committing run pays them.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        elapsed = (time.perf_counter() - start) * 1000
        transaction.set_rollback(True)
    _vacuum_ledger()
    return elapsed, counts


def daily_run(on: dt.date) -> tuple[float, dict]:
    """Once, the run of D with D-1's run already in the ledger, as the daily job meets it in service:
    most of the birthday window, the officers and the open visits and contacts were recorded the day
    before, and the ledger's unique constraints turn them away."""
    gc.collect()
    with transaction.atomic(), connection.cursor() as cursor:
        run_reminders(on=on - dt.timedelta(days=1))
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        start = time.perf_counter()
        counts = run_reminders(on=on)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        elapsed = (time.perf_counter() - start) * 1000
        transaction.set_rollback(True)
    _vacuum_ledger()
    return elapsed, counts


def _vacuum_ledger() -> None:
    # Each rollback leaves the run's rows dead in the ledger and its indexes; clear them, as
    # autovacuum would between two days, so that the next run meets the same tables.
    with connection.cursor() as cursor:
        for table in ("reminders_reminder", "benefits_occasion", "auditlog_logentry"):
            cursor.execute(f"VACUUM {table}")


def bare_run(on: dt.date) -> tuple[dict[str, float], dict[str, int]]:
    """Each rule's one query alone (reminders.services.due_rows), timed per rule."""
    gc.collect()
    timings, people = {}, {}
    for rule in Reminder.Rule.values:
        start = time.perf_counter()
        rows = due_rows(rule, on)
        timings[rule] = (time.perf_counter() - start) * 1000
        people[rule] = len(rows)
    return timings, people


def measure(on: dt.date, runs: int, run=None) -> dict:
    """Time `run` (daily_run: D after D-1, as the job meets the ledger; full_run: an empty ledger)
    and the bare SELECTs, alternated, after two warm-ups."""
    run = run or daily_run
    for _ in range(2):  # warm the caches, the connection and the lunar tables
        run(on)
        bare_run(on)
    full, bare, per_rule = [], [], {rule: [] for rule in Reminder.Rule.values}
    for _ in range(runs):
        # Alternated, so that both meet the same state of the machine.
        elapsed, recorded = run(on)
        full.append(elapsed)
        timings, people = bare_run(on)
        bare.append(sum(timings.values()))
        for rule, ms in timings.items():
            per_rule[rule].append(ms)
    return {
        "full": _summary(full),
        "bare": _summary(bare),
        "bare_per_rule": {rule: _summary(values) for rule, values in per_rule.items()},
        "recorded": recorded,
        "people": people,
        "runs": runs,
    }


def query_profile(on: dt.date) -> dict:
    """How many statements one full run sends and how much of its time is spent in them."""
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        run_reminders(on=on)
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    _vacuum_ledger()
    statements = queries.captured_queries
    inserts = [q for q in statements if q["sql"].startswith('INSERT INTO "reminders_reminder"')]
    return {
        "statements": len(statements),
        "reminder_insert_batches": len(inserts),
        "sql_seconds": round(sum(float(q["time"]) for q in statements), 3),
        "reminder_insert_seconds": round(sum(float(q["time"]) for q in inserts), 3),
        "total_seconds": round(elapsed, 3),
    }


def python_loop(on: dt.date) -> dict:
    """The thing to avoid: every cadre's birth date into Python, to decide whose solar birthday it is."""
    until = on + dt.timedelta(days=rules.birthday_lead_days())
    keys = {key for day in rules.window(on, until) for key in rules.solar_keys(day)}
    gc.collect()
    start = time.perf_counter()
    found = set()
    rows = Cadre.objects.values_list("id", "birth_date", "birthday_calendar", "deceased_on")
    for pk, born, calendar, deceased in rows.iterator(chunk_size=20_000):
        if (
            calendar == Cadre.BirthdayCalendar.SOLAR
            and (deceased is None or deceased > on)
            and born < on
            and born.month * 100 + born.day in keys
        ):
            found.add(pk)
    loop_ms = (time.perf_counter() - start) * 1000
    indexed = []
    for _ in range(5):
        start = time.perf_counter()
        ids = set(rules.solar_birthdays(on=on, until=until).values_list("id", flat=True))
        indexed.append((time.perf_counter() - start) * 1000)
    indexed_ms = statistics.median(indexed)
    return {
        "loop_ms": round(loop_ms, 1),
        "indexed_ms": round(indexed_ms, 1),
        "times_slower": round(loop_ms / indexed_ms),
        "people": len(found),
        "same_people": found == ids,
    }


def explain(on: dt.date) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) the one query due_rows sends for each rule, exactly as it sends it."""
    plans = {}
    for rule in Reminder.Rule.values:
        with CaptureQueriesContext(connection) as queries:
            due_rows(rule, on)
        statements = [q["sql"] for q in queries.captured_queries]
        sql = statements[-1]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            text = "\n".join(line for (line,) in cursor.fetchall())
        plan = json.loads(plan) if isinstance(plan, str) else plan
        nodes = list(_nodes(plan[0]["Plan"]))
        relations = {n["Relation Name"] for n in nodes if n.get("Relation Name")}
        sizes = _table_rows(relations)
        seq = sorted({n["Relation Name"] for n in nodes if n["Node Type"] == "Seq Scan"})
        # An index scan with no condition walks the whole index: a sequential scan in other clothes.
        walks = sorted(
            {
                n["Relation Name"]
                for n in nodes
                if n["Node Type"] in ("Index Scan", "Index Only Scan") and "Index Cond" not in n
            }
        )
        cadre_indexes = sorted(
            {
                n["Index Name"]
                for n in nodes
                if n.get("Index Name") and _index_table(n["Index Name"]) == CADRES_TABLE
            }
        )
        plans[rule] = {
            "statements": len(statements),
            "execution_ms": round(plan[0]["Execution Time"], 1),
            "nodes": [n["Node Type"] for n in nodes],
            "indexes_used": sorted({n["Index Name"] for n in nodes if n.get("Index Name")}),
            "cadre_indexes_used": cadre_indexes,
            "sequential_scans": seq,
            "big_sequential_scans": [table for table in seq if sizes.get(table, 0) >= BIG_TABLE_ROWS],
            "big_index_walks": [table for table in walks if sizes.get(table, 0) >= BIG_TABLE_ROWS],
            "plan": text,
        }
    return plans


def _nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _table_rows(tables) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)", [list(tables)]
        )
        return dict(cursor.fetchall())


def _index_table(index: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_indexes WHERE indexname = %s", [index])
        row = cursor.fetchone()
    return row[0] if row else None


def _summary(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[math.ceil(0.95 * len(timings)) - 1], 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cadres", type=int, default=CADRES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--on", type=dt.date.fromisoformat, help="the day D (default: today in Asia/Shanghai)"
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="write the registry again even if it is there")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit(
            "bench/reminders.py measures PostgreSQL: set DATABASE_URL=postgres://… to a scratch database"
        )
    on = args.on or today_in_shanghai()
    if on > timezone.localdate():
        sys.exit("--on must not be in the future: the milestone occasions the run records must not be.")
    call_command("migrate", verbosity=0)
    print(f"PostgreSQL {connection.cursor().connection.server_version}")
    data = registry(cadres=args.cadres, seed=args.seed, rebuild=args.rebuild)
    keys = calendar_keys(args.seed)
    print(f"calendar keys: {keys['sampled']:,} cadres sampled, {keys['wrong']} disagree with Cadre.save()")
    wipe_care_data()
    data |= {"calendar_keys": keys, **users(args.seed), **care_data(on, args.seed)}
    at_scale = data["cadres"] >= CADRES
    lead = rules.birthday_lead_days()
    medal_day = (on.month, on.day)
    print(
        f"{data['cadres']:,} cadres; {data['secretaries']:,} secretaries of {data['party_branches']:,} 党支部,"
        f" {data['bureau_staff']} bureau staff; {data['occasions']:,} occasions ({data['visits']:,} visited),"
        f" {data['contact_assignments_open']:,} open contacts ({data['contact_logs']:,} logs),"
        f" {data['medals_awarded']:,} medals awarded, {data['officer_terms_ending_in_90_days']:,} officer"
        f" terms ending within 90 days"
    )
    if not at_scale:
        print(f"  below the goal's scale ({CADRES:,} cadres)")
    print(f"\nday D = {on}, birthdays looked ahead {lead} days")

    # An ordinary day (the medal rule fires on another one) is the goal's day: "recording the few
    # thousand reminders due". The medal day (21k more, once a year) and a first run on an empty
    # ledger (the whole look-ahead window at once) are measured beside it.
    ordinary_medal_day = ((on + dt.timedelta(days=100)).month, (on + dt.timedelta(days=100)).day)
    with override_settings(REMINDERS_MEDAL_DAY=ordinary_medal_day):
        result = measure(on, args.runs, daily_run)
    with override_settings(REMINDERS_MEDAL_DAY=medal_day):
        medal_result = measure(on, 3, daily_run)
        cold_result = measure(on, 3, full_run)
        profile = query_profile(on)
        daily_ms, daily_counts = daily_run(on)
        loop = python_loop(on)
        plans = explain(on)

    full, bare = result["full"], result["bare"]
    ratio = full["median_ms"] / bare["median_ms"]
    people, recorded = result["people"], result["recorded"]
    print(f"\n{'rule':20} {'due people':>10} {'reminders':>10} {'per person':>10} {'bare median':>12}")
    for rule in [*Reminder.Rule.values, "all"]:
        due = sum(people.values()) if rule == "all" else people[rule]
        made = sum(recorded.values()) if rule == "all" else recorded[rule]
        ms = bare["median_ms"] if rule == "all" else result["bare_per_rule"][rule]["median_ms"]
        print(f"{rule:20} {due:>10,} {made:>10,} {made / max(due, 1):>10.1f} {ms:>9.1f} ms")
    print(f"\nThe ordinary day's daily run, D after D-1 ({args.runs} runs each after two warm-ups):")
    print(
        f"  run_reminders(on=D), rolled back  median {full['median_ms']:7.1f} ms   p95 {full['p95_ms']:7.1f} ms"
        f"   ({sum(recorded.values()):,} new reminders)"
    )
    print(
        f"  the bare SELECTs (due_rows)       median {bare['median_ms']:7.1f} ms   p95 {bare['p95_ms']:7.1f} ms"
    )
    print(f"  full / bare (medians): {ratio:.1f}x")
    for label, other in (
        ("the medal day, D after D-1", medal_result),
        ("a first run, empty ledger", cold_result),
    ):
        print(
            f"  {label:28} median {other['full']['median_ms']:7.1f} ms   p95 {other['full']['p95_ms']:7.1f} ms,"
            f" {sum(other['recorded'].values()):,} new reminders,"
            f" {other['full']['median_ms'] / other['bare']['median_ms']:.1f}x its bare SELECTs (3 runs)"
        )
    print(
        f"  once, D after D-1's run (the ledger as the daily job meets it): {daily_ms:7.1f} ms,"
        f" {sum(daily_counts.values()):,} new reminders"
    )
    print(
        f"  one full run: {profile['statements']:,} statements, {profile['sql_seconds']:.2f} s in SQL of"
        f" {profile['total_seconds']:.2f} s ({profile['reminder_insert_batches']} reminder INSERT batches,"
        f" {profile['reminder_insert_seconds']:.2f} s)"
    )
    print(
        f"\nthe thing to avoid, once: a Python loop over all {data['cadres']:,} cadres for the solar birthdays"
        f" {loop['loop_ms']:,.0f} ms, the indexed query {loop['indexed_ms']:.1f} ms"
        f" ({loop['times_slower']:,}x slower; {loop['people']:,} people,"
        f" {'the same' if loop['same_people'] else 'NOT the same'} as the query's)"
    )

    findings = []
    for rule, plan in plans.items():
        print(f"\nEXPLAIN ANALYZE {rule}: {plan['execution_ms']} ms")
        print(f"  nodes: {' > '.join(plan['nodes'])}")
        walks = ", ".join(plan["big_index_walks"])
        print(f"  indexes: {', '.join(plan['indexes_used']) or 'none'};"
              f" sequential scans: {', '.join(plan['sequential_scans']) or 'none'}"
              + (f"; whole-index walks: {walks}" if walks else ""))  # fmt: skip
        if plan["statements"] != 1:
            findings.append(f"{rule} sends {plan['statements']} statements, not one")
        if rule in INDEXED_RULES and (
            CADRES_TABLE in plan["sequential_scans"] or not plan["cadre_indexes_used"]
        ):
            findings.append(f"{rule} reads {CADRES_TABLE} without an index")
        for table in plan["big_sequential_scans"]:
            findings.append(f"{rule} scans the big table {table} sequentially")
        for table in plan["big_index_walks"]:
            findings.append(f"{rule} walks an index of the big table {table} without a condition")
    for rule in INDEXED_RULES:
        print(f"\n{rule}:\n  " + plans[rule]["plan"].replace("\n", "\n  "))

    if keys["wrong"]:
        findings.append(f"{keys['wrong']} sampled cadres' calendar keys disagree with Cadre.save()")
    if not loop["same_people"]:
        findings.append("the Python loop and the indexed query found different people")
    speed_met = full["p95_ms"] < GOAL_SECONDS * 1000
    ratio_met = ratio <= GOAL_RATIO
    goal_met = at_scale and speed_met and ratio_met and not findings
    print(f"\ngoal: the full run under {GOAL_SECONDS:.0f} s (p95): {'met' if speed_met else 'NOT met'}")
    print(
        f"goal: within {GOAL_RATIO:.0f}x of the bare SELECTs: {'met' if ratio_met else 'NOT met'} ({ratio:.1f}x)"
    )
    print(
        "plans: "
        + ("every rule reads its index, no big sequential scan" if not findings else "; ".join(findings))
    )

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    report = {
        "data": data,
        "day": on.isoformat(),
        "settings": {"birthday_lead_days": lead, "medal_day": list(medal_day)},
        "goal": {
            "full_p95_under_ms": GOAL_SECONDS * 1000,
            "full_over_bare_at_most": GOAL_RATIO,
            "ratio": round(ratio, 2),
            "at_scale": at_scale,
            "met": goal_met,
            "findings": findings,
        },
        "timings": result,
        "medal_day": medal_result,
        "empty_ledger": cold_result,
        "ordinary_medal_day": list(ordinary_medal_day),
        "full_run_profile": profile,
        "daily_run": {"ms": round(daily_ms, 1), "recorded": daily_counts},
        "python_loop": loop,
        "plans": plans,
    }
    (out / "reminders.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    sys.exit(0 if goal_met else 1)


if __name__ == "__main__":
    main()
