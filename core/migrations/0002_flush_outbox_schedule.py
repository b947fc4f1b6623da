"""Beat's flush of the outbox every minute (django-celery-beat's DatabaseScheduler)."""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "core: flush outbox"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    # Not get_or_create: the table has no unique constraint, and the admin may have made the
    # same interval twice already.
    every_minute = IntervalSchedule.objects.filter(every=1, period="minutes").order_by("id").first()
    if every_minute is None:
        every_minute = IntervalSchedule.objects.create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "core.tasks.flush_outbox",
            "interval": every_minute,
            "enabled": True,
            # A flush queued while no worker runs is stale a minute later; the next one
            # does its work, so stale ones are dropped rather than piled up.
            "expire_seconds": 60,
        },
    )
    # Tell a running beat that the schedule changed.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_outbox_message"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
