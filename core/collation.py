"""Code-point ordering of text, the same on PostgreSQL and SQLite.

A btree index in code-point order (PostgreSQL's "C" collation) serves both a prefix
match (name LIKE '张伟%') and ORDER BY name, id: a name search then reads only the rows
it shows, however many people share the name. SQLite's BINARY collation is the same order.
"""

from django.db.models.functions import Collate


class Codepoint(Collate):
    def __init__(self, expression):
        super().__init__(expression, "C")

    def as_sqlite(self, compiler, connection, **extra_context):
        clone = self.copy()
        clone.collation = "BINARY"
        return clone.as_sql(compiler, connection, **extra_context)

    def deconstruct(self):
        return "core.collation.Codepoint", (self.source_expressions[0],), {}
