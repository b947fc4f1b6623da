"""Speed goal of the annual report (年度工作总结), measured on PostgreSQL.

On the compliance bench's data (1,000,000 cadres, 5,000 党支部, a year of about 195,000 activities and
1,000,000 attendance rows; bench/compliance.py builds it, or reuses it when it is there), time
reports.selectors_annual.annual_report for the whole city as a bureau staff user, RUNS times after
two warm-up calls, and report median and p95 (nearest rank); then the page and its .xlsx workbook
through Django's test client. Goal: each under 3 s (p95). The slowest of the report's queries is
EXPLAINed (ANALYZE, BUFFERS). Results go to stdout and bench/results/annual_report.json; the exit
status is 1 when the goal is missed.

The report sets the year beside the one before, so the previous year gets activities too: the year's
activities are copied a year back with their attendance tallies (which is all the report reads; the
million attendance rows stay those of the year). The other sections get data of a plausible size,
written once and kept while it is there: volunteer teams, chief posts over rivers, roads and grids,
service records and micro-wishes; lecture groups, lecturers, talks and campaigns; visits, one-to-one
contacts and medals (left as they are when bench/reminders.py has written its care data).

    psql postgres://postgres@127.0.0.1:5432/postgres -c "CREATE DATABASE cp_annual_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_annual_bench python bench/annual_report.py
"""

import argparse
import datetime as dt
import gc
import json
import math
import os
import random
import statistics
import sys
import time
from decimal import Decimal
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

from bench.compliance import ATTENDANCE_ROWS, CADRES, MIN_BRANCHES, build, data_counts, reusable  # noqa: E402
from bench.compliance import staff_user as compliance_staff_user  # noqa: E402
from benefits.models import ContactAssignment, ContactLog, MedalAward, Visit  # noqa: E402
from branches.models import Activity, Area, Branch  # noqa: E402
from cadres.models import Cadre  # noqa: E402
from outreach.models import Campaign, LectureGroup, LectureGroupMembership, Lecturer, TalkEvent  # noqa: E402
from reports.selectors_annual import annual_report  # noqa: E402
from volunteers.models import ChiefPost, MicroWish, PatrolArea, ServiceRecord, VolunteerTeam  # noqa: E402

GOAL_SECONDS = 3.0
RUNS = 7
# The other sections' data, in proportion to a city of a million retirees (Chengdu's report: 569
# teams, 128 lecture groups, ~1000 lecturers, thousands of talks and patrols a year).
TEAMS = 1_000
PATROL_AREAS = 3_000
CHIEF_POSTS = 5_000
SERVICE_RECORDS = 60_000  # over the two years
WISHES = 10_000
LECTURE_GROUPS = 150
LECTURERS = 3_000
TALKS = 20_000
CAMPAIGNS = 12
VISITS = 20_000
CONTACTS = 5_000
CONTACT_LOGS = 60_000
MEDALS = 5_000
BATCH = 5_000


def copy_activities_back(year: int) -> int:
    """The year's activities a year earlier, with their tallies, unless last year has some already."""
    if Activity.objects.filter(held_on__year=year - 1).exists():
        return 0
    with connection.cursor() as cursor:
        # 29 February has no twin a year back: it falls on the 28th.
        cursor.execute(
            """
            INSERT INTO branches_activity (created_at, updated_at, branch_id, kind_id, held_on, starts_at, place,
                topic, presenter, minutes, guest_count, created_by_id, present_count, roll_count)
            SELECT created_at, updated_at, branch_id, kind_id, (held_on - INTERVAL '1 year')::date, starts_at,
                place, topic, presenter, minutes, guest_count, created_by_id, present_count, roll_count
            FROM branches_activity WHERE held_on >= %s AND held_on < %s
            """,
            [dt.date(year, 1, 1), dt.date(year + 1, 1, 1)],
        )
        copied = cursor.rowcount
        cursor.execute("VACUUM ANALYZE branches_activity")
    return copied


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def extras_present() -> bool:
    return ServiceRecord.objects.count() >= 0.9 * SERVICE_RECORDS and TalkEvent.objects.count() >= 0.9 * TALKS


def write_extras(year: int, seed: int) -> dict:
    """The volunteer, outreach and care rows the other sections count, with bulk_create."""
    rng = random.Random(seed)
    start, end = dt.date(year - 1, 1, 1), dt.date(year, 12, 31)
    communities = list(Area.objects.filter(kind=Area.Kind.COMMUNITY).values_list("pk", flat=True))
    party = list(Branch.objects.filter(kind=Branch.Kind.BRANCH).values_list("pk", flat=True))
    cadres = list(
        Cadre.objects.filter(deceased_on__isnull=True, branch__isnull=False).values_list("pk", flat=True)[
            :300_000
        ]
    )
    rng.shuffle(cadres)
    picked = iter(cadres)
    with transaction.atomic():
        for model in (ServiceRecord, ChiefPost, MicroWish, PatrolArea, TalkEvent, LectureGroupMembership, Lecturer,
                      Campaign, LectureGroup):  # fmt: skip
            model.objects.all().delete()
        VolunteerTeam.objects.all().delete()
        # Teams as roots of their own trees, each grown from a 党支部: what a secretary's view follows.
        levels = VolunteerTeam.Level.values
        teams = []
        for n in range(1, TEAMS + 1):
            founded = _day(rng, dt.date(2015, 1, 1), end)
            teams.append(
                VolunteerTeam(
                    name=f"银发志愿服务队{n}", level=rng.choice(levels), path=_tree_path(n), depth=1, numchild=0,
                    area_id=rng.choice(communities), branch_id=rng.choice(party), founded_on=founded,
                    dissolved_on=_day(rng, max(founded, start), end) if rng.random() < 0.05 else None,
                )
            )  # fmt: skip
        VolunteerTeam.objects.bulk_create(teams, batch_size=BATCH)
        team_ids = list(VolunteerTeam.objects.values_list("pk", flat=True))
        kinds = PatrolArea.Kind.values
        PatrolArea.objects.bulk_create(
            [
                PatrolArea(kind=kinds[n % 3], name=f"巡护区{n}", area_id=rng.choice(communities))
                for n in range(PATROL_AREAS)
            ],
            batch_size=BATCH,
        )
        areas = list(PatrolArea.objects.values_list("pk", flat=True))
        posts = []
        for _ in range(CHIEF_POSTS):
            appointed = _day(rng, dt.date(2018, 1, 1), end)
            ended = _day(rng, appointed, end) if rng.random() < 0.2 else None
            posts.append(
                ChiefPost(cadre_id=next(picked), patrol_area_id=rng.choice(areas), appointed_on=appointed,
                          ended_on=ended, team_id=rng.choice(team_ids) if rng.random() < 0.5 else None)
            )  # fmt: skip
        ChiefPost.objects.bulk_create(posts, batch_size=BATCH)
        post_ids = list(ChiefPost.objects.values_list("pk", flat=True))
        records = []
        for _ in range(SERVICE_RECORDS):
            found = rng.randrange(4)
            by_chief = rng.random() < 0.6
            records.append(
                ServiceRecord(
                    chief_post_id=rng.choice(post_ids) if by_chief else None,
                    team_id=None if by_chief else rng.choice(team_ids),
                    served_on=_day(rng, start, end),
                    kind="patrol" if by_chief else rng.choice(ServiceRecord.Kind.values),
                    hours=Decimal(rng.randrange(1, 9)) / 2,
                    people_served=rng.randrange(30),
                    problems_found=found,
                    problems_resolved=rng.randrange(found + 1),
                )
            )
        ServiceRecord.objects.bulk_create(records, batch_size=BATCH)
        wishes = []
        for _ in range(WISHES):
            posted = _day(rng, start, end)
            fulfilled = rng.random() < 0.7 and posted + dt.timedelta(days=30) <= end
            wishes.append(
                MicroWish(
                    beneficiary_id=rng.choice(cadres), wish="上门理发", area_id=rng.choice(communities),
                    posted_on=posted, status="fulfilled" if fulfilled else "posted",
                    claimed_by_branch_id=rng.choice(party) if fulfilled else None,
                    claimed_on=posted + dt.timedelta(days=3) if fulfilled else None,
                    fulfilled_on=posted + dt.timedelta(days=30) if fulfilled else None,
                )
            )  # fmt: skip
        MicroWish.objects.bulk_create(wishes, batch_size=BATCH)

        LectureGroup.objects.bulk_create(
            [
                LectureGroup(name=f"银发宣讲团{n}", level="branch", branch_id=rng.choice(party),
                             area_id=rng.choice(communities), founded_on=_day(rng, dt.date(2015, 1, 1), end))
                for n in range(LECTURE_GROUPS)
            ]
        )  # fmt: skip
        groups = list(LectureGroup.objects.values_list("pk", "founded_on"))
        Lecturer.objects.bulk_create(
            [
                Lecturer(cadre_id=next(picked), category="old_cadre", topics=["party_history"])
                for _ in range(LECTURERS)
            ],
            batch_size=BATCH,
        )
        lecturers = list(Lecturer.objects.values_list("pk", flat=True))
        memberships = []
        for lecturer in lecturers:
            group, founded = rng.choice(groups)
            joined = _day(rng, founded, end)
            left = _day(rng, joined, end) if rng.random() < 0.15 else None
            memberships.append(LectureGroupMembership(group_id=group, lecturer_id=lecturer, joined_on=joined,
                                                      left_on=left))  # fmt: skip
        LectureGroupMembership.objects.bulk_create(memberships, batch_size=BATCH)
        Campaign.objects.bulk_create(
            [
                Campaign(name=f"百千万宣讲行动{n}", starts_on=dt.date(year, 1 + n % 6, 1),
                         ends_on=dt.date(year + 1, 6, 30), target_lecturers=100, target_talks=1000,
                         target_audience=10000, branch_id=rng.choice(party) if n % 2 else None)
                for n in range(CAMPAIGNS)
            ]
        )  # fmt: skip
        campaigns = list(Campaign.objects.values_list("pk", flat=True))
        talks = []
        for _ in range(TALKS):
            audience = rng.randrange(20, 400)
            talks.append(
                TalkEvent(
                    group_id=rng.choice(groups)[0], held_on=_day(rng, start, end), topic="party_history",
                    title="传承红色基因", venue_type=rng.choice(["government", "community", "school", "enterprise",
                                                             "village", "online"]),
                    area_id=rng.choice(communities), audience=audience, youth_audience=rng.randrange(audience),
                    campaign_id=rng.choice(campaigns) if rng.random() < 0.3 else None,
                )
            )  # fmt: skip
        TalkEvent.objects.bulk_create(talks, batch_size=BATCH)
        through = TalkEvent.lecturers.through
        through.objects.bulk_create(
            [through(talkevent_id=talk, lecturer_id=rng.choice(lecturers)) for talk in
             TalkEvent.objects.values_list("pk", flat=True)],
            batch_size=BATCH,
        )  # fmt: skip

        if not Visit.objects.exists():
            _write_care(rng, cadres, start, end)
    with connection.cursor() as cursor:
        for table in ("volunteers_volunteerteam", "volunteers_chiefpost", "volunteers_servicerecord",
                      "volunteers_microwish", "outreach_lecturer", "outreach_lecturegroupmembership",
                      "outreach_talkevent", "outreach_talkevent_lecturers", "benefits_visit",
                      "benefits_contactlog", "benefits_medalaward"):  # fmt: skip
            cursor.execute(f"VACUUM ANALYZE {table}")
    return extra_counts()


def _tree_path(number: int) -> str:
    """A root's materialised path in treebeard's alphabet (steplen 4, base 36)."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = alphabet[rest] + digits
    return digits.rjust(4, "0")


def _write_care(rng: random.Random, cadres: list[int], start: dt.date, end: dt.date) -> None:
    from accounts.models import Role, User

    reasons = ["routine", "festival", "hospitalised", "milestone_birthday", "hardship", "family_event"]
    Visit.objects.bulk_create(
        [
            Visit(cadre_id=rng.choice(cadres), reason=rng.choice(reasons), visited_on=_day(rng, start, end),
                  visitors="老干部局")
            for _ in range(VISITS)
        ],
        batch_size=BATCH,
    )  # fmt: skip
    staff = User.objects.filter(role=Role.BUREAU_STAFF).first()
    chosen = rng.sample(cadres, CONTACTS)
    ContactAssignment.objects.bulk_create(
        [
            ContactAssignment(staff=staff, cadre_id=cadre, interval_days=30, started_on=start)
            for cadre in chosen
        ],
        batch_size=BATCH,
    )
    assignments = list(ContactAssignment.objects.values_list("pk", flat=True))
    ContactLog.objects.bulk_create(
        [
            ContactLog(
                assignment_id=rng.choice(assignments), contacted_on=_day(rng, start, end), method="phone"
            )
            for _ in range(CONTACT_LOGS)
        ],
        batch_size=BATCH,
    )
    MedalAward.objects.bulk_create(
        [
            MedalAward(cadre_id=cadre, kind="honourable_retirement", awarded_on=_day(rng, start, end))
            for cadre in rng.sample(cadres, MEDALS)
        ],
        batch_size=BATCH,
    )


def extra_counts() -> dict:
    return {
        "volunteer_teams": VolunteerTeam.objects.count(),
        "chief_posts": ChiefPost.objects.count(),
        "service_records": ServiceRecord.objects.count(),
        "micro_wishes": MicroWish.objects.count(),
        "lecturers": Lecturer.objects.count(),
        "talks": TalkEvent.objects.count(),
        "visits": Visit.objects.count(),
        "contact_logs": ContactLog.objects.count(),
        "medals": MedalAward.objects.count(),
    }


# Measuring ---------------------------------------------------------------------------------------


def _summary(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[math.ceil(0.95 * len(timings)) - 1], 1),
        "runs": len(timings),
    }


def measure_selector(user, year: int, runs: int) -> dict:
    for _ in range(2):  # warm the caches and the connection
        annual_report(user=user, year=year)
    timings = []
    for _ in range(runs):
        gc.collect()
        begun = time.perf_counter()
        annual_report(user=user, year=year)
        timings.append((time.perf_counter() - begun) * 1000)
    with CaptureQueriesContext(connection) as queries:
        report = annual_report(user=user, year=year)
    headline = {
        key: (report.figure(key).value, report.figure(key).last)
        for key in ("organisations", "members", "activities", "attendance_rate", "compliance_share", "teams",
                    "service_records", "talks", "visits")
    }  # fmt: skip
    return {
        **_summary(timings),
        "queries": len(queries),
        "figures": len(report.figures()),
        "headline": headline,
    }


def measure_views(user, year: int, runs: int) -> dict:
    client = Client(HTTP_HOST="localhost")  # an allowed host of the local settings
    client.force_login(user)
    url = reverse("reports:annual")
    results = {}
    for label, params in (("page", {}), ("xlsx workbook", {"format": "xlsx"})):
        params = {"year": year, **params}
        for _ in range(2):
            assert client.get(url, params).status_code == 200
        timings = []
        for _ in range(runs):
            gc.collect()
            begun = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - begun) * 1000)
        results[label] = {**_summary(timings), "bytes": len(response.content)}
    return results


def explain_heaviest(user, year: int) -> dict:
    """Time each of the report's queries once and EXPLAIN (ANALYZE, BUFFERS) the slowest."""
    with CaptureQueriesContext(connection) as queries:
        annual_report(user=user, year=year)
    timed = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            begun = time.perf_counter()
            cursor.execute(query["sql"])
            cursor.fetchall()
            timed.append(((time.perf_counter() - begun) * 1000, query["sql"]))
    timed.sort(reverse=True)
    slowest_ms, sql = timed[0]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        text = "\n".join(line for (line,) in cursor.fetchall())
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes = list(_nodes(plan[0]["Plan"]))
    return {
        "queries": [{"ms": round(ms, 1), "sql": sql[:160]} for ms, sql in timed[:8]],
        "slowest_ms": round(slowest_ms, 1),
        "execution_ms": round(plan[0]["Execution Time"], 1),
        "sequential_scans": sorted({n["Relation Name"] for n in nodes if n["Node Type"] == "Seq Scan"}),
        "indexes_used": sorted({n["Index Name"] for n in nodes if n.get("Index Name")}),
        "sql": sql,
        "plan": text,
    }


def _nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cadres", type=int, default=CADRES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=timezone.localdate().year - 1, help="the report's year")
    parser.add_argument("--attendance", type=int, default=ATTENDANCE_ROWS)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--rebuild", action="store_true", help="build the data again even if it is there")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit(
            "bench/annual_report.py measures PostgreSQL: set DATABASE_URL=postgres://… to a scratch database"
        )
    call_command("migrate", verbosity=0)
    print(f"PostgreSQL {connection.cursor().connection.server_version}")
    data = data_counts(args.year)
    begun = time.perf_counter()
    if args.rebuild or not reusable(data, attendance=args.attendance):
        built = build(cadres=args.cadres, seed=args.seed, year=args.year, attendance=args.attendance)
        data = {"build_seconds": built["build_seconds"], **data_counts(args.year)}
    else:
        print("reusing the compliance bench's data in the database (--rebuild to build it again)")
    copied = copy_activities_back(args.year)
    if copied:
        print(f"{copied:,} activities copied to {args.year - 1}")
    user = compliance_staff_user()
    if args.rebuild or not extras_present():
        print("writing the volunteer, outreach and care data …")
        extras = write_extras(args.year, args.seed)
    else:
        extras = extra_counts()
    data |= {
        "cadres": Cadre.objects.count(),
        "activities_last_year": Activity.objects.filter(held_on__year=args.year - 1).count(),
        **extras,
        "data_seconds": round(time.perf_counter() - begun, 1),
    }
    at_scale = data["branches"] >= MIN_BRANCHES and data["attendance"] >= 0.95 * ATTENDANCE_ROWS
    print(", ".join(f"{key} {value:,}" for key, value in data.items() if isinstance(value, int)))
    if not at_scale:
        print(f"  below the goal's scale ({MIN_BRANCHES:,} branches, {ATTENDANCE_ROWS:,} attendance rows)")

    print(
        f"\nannual_report({args.year}) for the whole city as bureau staff, {args.runs} runs after 2 warm-ups"
    )
    selector = measure_selector(user, args.year, args.runs)
    print(
        f"  selector      median {selector['median_ms']:7.1f} ms   p95 {selector['p95_ms']:7.1f} ms"
        f"   {selector['queries']} queries, {selector['figures']} figures"
    )
    views = measure_views(user, args.year, args.runs)
    for label, result in views.items():
        print(f"  {label:13} median {result['median_ms']:7.1f} ms   p95 {result['p95_ms']:7.1f} ms")
    print("  headline figures (this year, last year):")
    for key, values in selector["headline"].items():
        print(f"    {key:18} {values[0]!s:>10} {values[1]!s:>10}")
    heaviest = explain_heaviest(user, args.year)
    print("\nthe report's slowest queries, each timed once:")
    for query in heaviest["queries"]:
        print(f"  {query['ms']:7.1f} ms  {query['sql'][:100]}")
    print(f"\nEXPLAIN ANALYZE of the slowest: {heaviest['execution_ms']} ms")
    print(f"  indexes used: {', '.join(heaviest['indexes_used']) or 'none'};"
          f" sequential scans: {', '.join(heaviest['sequential_scans']) or 'none'}")  # fmt: skip
    print("  " + heaviest["plan"].replace("\n", "\n  "))

    goal_ms = GOAL_SECONDS * 1000
    met = at_scale and all(result["p95_ms"] < goal_ms for result in (selector, *views.values()))
    print(f"\ngoal: the report, its page and its workbook under {GOAL_SECONDS:.0f} s (p95): "
          f"{'met' if met else 'NOT met'}")  # fmt: skip
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    selector["headline"] = {key: [str(v) for v in values] for key, values in selector["headline"].items()}
    report = {
        "year": args.year,
        "data": data,
        "goal": {"p95_under_ms": goal_ms, "at_scale": at_scale, "met": met},
        "selector": selector,
        "views": views,
        "heaviest_query": heaviest,
    }
    (out / "annual_report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
