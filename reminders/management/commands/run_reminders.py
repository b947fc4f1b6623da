import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from reminders.services import run_reminders, send_digests, today_in_shanghai


class Command(BaseCommand):
    help = "Write the reminders due on a day (default: today in Asia/Shanghai); safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD")
        parser.add_argument(
            "--send-digests",
            action="store_true",
            help="Then e-mail each recipient's digest, as the daily Celery task does.",
        )

    def handle(self, *args, date=None, **options):
        try:
            on = dt.date.fromisoformat(date) if date else today_in_shanghai()
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD: {error}") from error
        counts = run_reminders(on=on)
        for rule, count in counts.items():
            self.stdout.write(f"{rule}: {count}")
        self.stdout.write(self.style.SUCCESS(f"{on}: {sum(counts.values())} new reminders"))
        if options["send_digests"]:
            self.stdout.write(f"{send_digests(on=on)} digests e-mailed")
