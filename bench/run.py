"""Speed goals of the cadre list, measured on PostgreSQL in one run.

For 10,000 and then 1,000,000 cadres (bench/generate.py builds them), render each list
page REPEAT times through Django's test client as a bureau staff user and report the
median and p95; beside them the Django admin's stock changelist on the same table.
Goals (issue 2): each page under 1/5 of the stock changelist at 1M, and its p95 at 1M
at most 1.5x its p95 at 10k. Results go to stdout and bench/results/cadre_list.json.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadre_portal_bench python bench/run.py
"""

import argparse
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre_portal.settings.local")
os.environ["DJANGO_DEBUG"] = "false"  # DEBUG keeps every query in memory and slows rendering

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from accounts.services import roles_sync_groups, user_set_role  # noqa: E402
from bench.generate import generate  # noqa: E402
from branches.models import Branch  # noqa: E402
from cadres.models import Cadre  # noqa: E402

MAX_P95_GROWTH = 1.5
MAX_SHARE_OF_STOCK_ADMIN = 1 / 5


def pages():
    """(label, url) of the list pages to measure, chosen from the data present."""
    branch = (
        Branch.objects.filter(kind=Branch.Kind.COMMITTEE).order_by("path").first() or Branch.objects.first()
    )
    full_id = Cadre.objects.order_by("-id").values_list("id_number", flat=True).first()
    return [
        ("first page", "/cadres/"),
        (
            "filtered page",
            f"/cadres/?branch={branch.pk}&retirement_type=tuixiu&age_band=80_89&party_member=true",
        ),
        ("two-character name", "/cadres/?q=" + "张伟"),
        ("full ID number", f"/cadres/?q={full_id}"),
        # All statuses, so that page 500 holds rows at 10,000 cadres too (some are deceased).
        ("page 500", "/cadres/?status=all&page=500"),
        ("stock admin changelist", "/stock-admin/cadres/cadre/"),
    ]


def measure(client, url, repeat):
    for _ in range(3):  # warm caches and connections
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(repeat):
        # Each request starts from a collected heap, so one request's garbage does not land
        # in the next one's time; the collector still runs within a request as in service.
        gc.collect()
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
    }


def staff_client():
    # The generator's TRUNCATE … CASCADE also empties users and groups: make them again.
    roles_sync_groups()
    user = User(username="bench_staff", is_staff=True, is_superuser=True)
    user.set_unusable_password()
    user.save()
    user_set_role(user=user, role=Role.BUREAU_STAFF)
    client = Client(HTTP_HOST="localhost")  # an allowed host of the local settings
    client.force_login(user)
    return client


def run_size(cadres, seed, repeat):
    with connection.cursor() as cursor:
        start = time.perf_counter()
        generate(cursor, cadres=cadres, seed=seed)
        built = time.perf_counter() - start
        # What autovacuum does to a live table: visibility map and statistics, so
        # index-only scans work as they would in service.
        cursor.execute("VACUUM ANALYZE cadres_cadre")
    print(f"\n{cadres:,} cadres built in {built:.1f} s")
    client = staff_client()
    results = {}
    with override_settings(ROOT_URLCONF="bench.urls"):
        for label, url in pages():
            results[label] = measure(client, url, repeat)
            print(
                f"  {label:24} median {results[label]['median_ms']:8.1f} ms   p95 {results[label]['p95_ms']:8.1f} ms"
            )
    return {"build_seconds": round(built, 1), "pages": results}


def verdicts(small, large):
    stock = large["pages"]["stock admin changelist"]["median_ms"]
    rows = []
    for label, big in large["pages"].items():
        if label == "stock admin changelist":
            continue
        growth = big["p95_ms"] / small["pages"][label]["p95_ms"]
        share = big["median_ms"] / stock
        ok = growth <= MAX_P95_GROWTH and share <= MAX_SHARE_OF_STOCK_ADMIN
        rows.append(
            {"page": label, "p95_growth": round(growth, 2), "share_of_stock": round(share, 3), "ok": ok}
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/run.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    print(
        f"PostgreSQL {connection.cursor().connection.server_version}, LIST_MAX_ROWS={settings.LIST_MAX_ROWS}"
    )
    small = run_size(args.small, args.seed, args.repeat)
    large = run_size(args.large, args.seed, args.repeat)
    rows = verdicts(small, large)
    print("\npage                      p95 1M / p95 10k   median / stock admin   goal met")
    for row in rows:
        verdict = "yes" if row["ok"] else "NO"
        print(f"  {row['page']:24} {row['p95_growth']:14.2f}   {row['share_of_stock']:20.3f}   {verdict}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    report = {"small": {args.small: small}, "large": {args.large: large}, "verdicts": rows}
    (out / "cadre_list.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    sys.exit(0 if all(r["ok"] for r in rows) else 1)


if __name__ == "__main__":
    main()
