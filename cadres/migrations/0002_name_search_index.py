from django.db import migrations

# Name search is a prefix match shown in name order (core.collation.Codepoint). A btree in
# code-point order serves both, so a search reads only the rows it shows, however many
# people share a name; trigram indexes cannot serve two-character Chinese names. SQLite
# compares in code-point order natively and needs no such index.
CREATE = (
    'CREATE INDEX IF NOT EXISTS cadre_living_name_idx ON cadres_cadre ((name COLLATE "C"), id) '
    "WHERE deceased_on IS NULL"
)
DROP = "DROP INDEX IF EXISTS cadre_living_name_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cadres", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
