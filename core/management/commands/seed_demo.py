"""`manage.py seed_demo`: load deterministic demo data once and print the demo logins."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from core import demo_data


class Command(BaseCommand):
    help = "Load deterministic demo data (areas, branches, cadres, officers, one user per role) and print logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--cadres", type=int, default=2000, help="How many cadres to create (default 2000)."
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed gives the same data."
        )

    def handle(self, *args, cadres, seed, **options):
        if demo_data.demo_data_exists():
            self.stdout.write("Demo data is already loaded; nothing was changed.")
        elif demo_data.registry_has_data():
            # Demo records mixed into a registry someone is using would be hard to tell apart.
            self.stdout.write(
                self.style.WARNING(
                    "The registry already holds data but no demo users; no demo data was loaded."
                )
            )
            return
        else:
            started = time.monotonic()
            plan = demo_data.build_plan(cadres=cadres, seed=seed, today=timezone.localdate())
            counts = demo_data.save_plan(plan)
            summary = ", ".join(f"{count} {name}" for name, count in counts.items())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data for {plan.city} (seed {seed}): {summary} in {time.monotonic() - started:.1f} s."
                )
            )
        self.print_logins()

    def print_logins(self):
        logins = demo_data.demo_logins()
        width = max(len(login.username) for login in logins)
        lines = [
            "",
            "=" * 72,
            f"  Open {demo_data.DEMO_URL} and log in as any of these (password {demo_data.DEMO_PASSWORD}):",
            "",
        ]
        for login in logins:
            looks_after = f"  {login.looks_after}" if login.looks_after else ""
            lines.append(f"  {login.username:<{width}}  {login.role}{looks_after}")
        lines += ["", f"  The Django admin is at {demo_data.DEMO_URL}/admin/ (demo_admin).", "=" * 72, ""]
        self.stdout.write("\n".join(lines))
