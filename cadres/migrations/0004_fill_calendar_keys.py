"""Fill the birthday keys of cadres registered before they existed (see Cadre.set_calendar_keys)."""

from django.db import migrations

BATCH = 2000


def fill(apps, schema_editor):
    from reminders.lunar import solar_to_lunar

    Cadre = apps.get_model("cadres", "Cadre")
    rows = Cadre.objects.filter(birth_month_day__isnull=True).order_by("pk")
    while batch := list(rows[:BATCH]):
        for cadre in batch:
            lunar = solar_to_lunar(cadre.birth_date)
            cadre.birth_month_day = cadre.birth_date.month * 100 + cadre.birth_date.day
            cadre.lunar_birth_year = lunar.year
            cadre.lunar_birth_month_day = lunar.month * 100 + lunar.day
            if cadre.party_join_date:
                cadre.party_join_month_day = cadre.party_join_date.month * 100 + cadre.party_join_date.day
        Cadre.objects.bulk_update(
            batch, ["birth_month_day", "lunar_birth_year", "lunar_birth_month_day", "party_join_month_day"]
        )


class Migration(migrations.Migration):
    dependencies = [("cadres", "0003_calendar_keys")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
