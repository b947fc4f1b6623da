from django.core.management.base import BaseCommand

from imports.services import purge_old_files


class Command(BaseCommand):
    help = "Delete the uploaded files of import jobs older than IMPORT_KEEP_DAYS days (or --days)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days=None, **options):
        deleted = purge_old_files(days=days)
        self.stdout.write(f"Deleted the files of {deleted} import job(s).")
