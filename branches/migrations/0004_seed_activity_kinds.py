from django.db import migrations

# The kinds the rules of Party life name (DOMAIN.md, "Branch life"); bureau admins may add
# more. Names are data in the bureau's language, like the branch names.
KINDS = [
    ("general_meeting", "支部党员大会", "quarter", "branch"),
    ("committee_meeting", "支部委员会", "month", "branch"),
    ("group_meeting", "党小组会", "month", "group"),
    ("party_lecture", "党课", "quarter", "branch"),
    ("theme_day", "主题党日", "month", "branch"),
    ("life_meeting", "组织生活会", "year", "branch"),
    ("member_review", "民主评议党员", "year", "branch"),
    ("heart_talk", "谈心谈话", "", "branch"),
    ("oath_review", "重温入党誓词", "", "branch"),
    ("political_birthday", "过政治生日", "", "branch"),
    ("other", "其他活动", "", "branch"),
]


def seed(apps, schema_editor):
    kind_model = apps.get_model("branches", "ActivityKind")
    for order, (code, name, frequency, held_by) in enumerate(KINDS, start=1):
        kind_model.objects.update_or_create(
            code=code, defaults={"name": name, "frequency": frequency, "held_by": held_by, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("branches", "0003_activities")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
