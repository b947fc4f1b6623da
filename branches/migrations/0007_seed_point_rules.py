from django.db import migrations

# The points system (积分制) starts with one rule; bureau admins add more or change the
# points without a code change. Names are data in the bureau's language.
RULES = [("attendance_present", "参加组织生活", 1, "attendance_present")]


def seed(apps, schema_editor):
    rule_model = apps.get_model("branches", "PointRule")
    for code, name, points, source in RULES:
        rule_model.objects.get_or_create(
            code=code, defaults={"name": name, "points": points, "source": source}
        )


class Migration(migrations.Migration):
    dependencies = [("branches", "0006_branch_records")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
