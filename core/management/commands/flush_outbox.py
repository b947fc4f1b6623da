"""`manage.py flush_outbox`: publish what the outbox still holds, as beat does every minute."""

from django.core.management.base import BaseCommand

from core import outbox


class Command(BaseCommand):
    help = "Publish the pending outbox messages, oldest first (without a broker, run them in-process)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="Most messages to try (default 500).")

    def handle(self, *args, limit, **options):
        sent = outbox.flush(limit=limit)
        self.stdout.write(f"Sent {sent} outbox messages; {outbox.pending_count()} still pending.")
