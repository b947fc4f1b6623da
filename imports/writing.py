"""Writing a checked plan (imports.planning) in one set-based pass, in the caller's transaction.

On PostgreSQL the new cadres and memberships go in with COPY and the updates through a
temporary table and one UPDATE; elsewhere (SQLite, the embedded default) with bulk_create and
bulk_update in batches. Either way the fields Cadre.save() derives (the birthday keys, with
one lunar conversion per distinct birth date) and the membership cadre_create and
membership_transfer would make are written too. Bulk writes send no model signals, so
django-auditlog records nothing per row: the ImportJob and its one log entry are the audit.

The COPY text is built column by column: one list comprehension per column, each distinct
date or list encoded once, text escaped only in the columns that hold a tab, line break or
backslash.
"""

import datetime as dt
import io
import json
import types

from django.db import connection
from django.utils import timezone

from branches.models import BranchMembership
from cadres.models import Cadre
from imports.planning import Plan

_BATCH = 1_000
NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = ("\\", "\t", "\n", "\r")


def write_plan(plan: Plan) -> None:
    """Create and update the plan's cadres with their memberships; the caller holds the transaction."""
    today = timezone.localdate()
    now = timezone.now()
    creates = [values for _row, values in plan.creates]
    updates = plan.updates
    if connection.vendor == "postgresql":
        _write_postgresql(creates, updates, today, now)
    else:
        _write_with_orm(creates, updates, today, now)


class _CalendarKeys:
    """The keys Cadre.set_calendar_keys derives, computed once per distinct date."""

    def __init__(self):
        self._birth = {}

    def birth(self, born: dt.date) -> tuple[int, int, int]:
        keys = self._birth.get(born)
        if keys is None:
            # The model's own method, on a bare object: the same keys as save() gives.
            holder = types.SimpleNamespace(birth_date=born, party_join_date=None)
            Cadre.set_calendar_keys(holder)
            keys = self._birth[born] = (
                holder.birth_month_day,
                holder.lunar_birth_year,
                holder.lunar_birth_month_day,
            )
        return keys

    @staticmethod
    def party(joined: dt.date | None) -> int | None:
        return joined.month * 100 + joined.day if joined else None

    def columns(self, rows: list[dict]) -> dict[str, list]:
        births = [self.birth(row["birth_date"]) for row in rows]
        return {
            "birth_month_day": [keys[0] for keys in births],
            "lunar_birth_year": [keys[1] for keys in births],
            "lunar_birth_month_day": [keys[2] for keys in births],
            "party_join_month_day": [self.party(row.get("party_join_date")) for row in rows],
        }


def _field_columns(rows: list[dict], fields: list[str], defaults: dict) -> dict[str, list]:
    """Each of `fields` as a column of `rows`' values, `defaults` where a row has none (or None)."""
    columns = {}
    # Every row of a plan has the same fields (imports.planning cleans the file column by
    # column): a field the first row lacks is a column of defaults, built without a look at each.
    given = rows[0].keys() if rows else ()
    for field in fields:
        default = defaults.get(field)
        if field not in given:
            columns[field] = [default] * len(rows)
        elif default is None:
            columns[field] = [row.get(field) for row in rows]
        else:
            columns[field] = [default if (value := row.get(field)) is None else value for row in rows]
    return columns


def _defaults() -> dict:
    return {
        field.attname: field.get_default() for field in Cadre._meta.concrete_fields if not field.primary_key
    }


# PostgreSQL ------------------------------------------------------------------------------------


def _write_postgresql(creates: list[dict], updates: list[tuple], today: dt.date, now: dt.datetime) -> None:
    keys = _CalendarKeys()
    table = Cadre._meta.db_table
    with connection.cursor() as cursor:
        if creates:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(creates)],
            )
            ids = [cadre_id for (cadre_id,) in cursor.fetchall()]
            defaults = _defaults()
            fields = [name for name in defaults if name not in Cadre.CALENDAR_KEYS]
            columns = {"id": ids, **_field_columns(creates, fields, defaults), **keys.columns(creates)}
            columns["created_at"] = columns["updated_at"] = [now] * len(creates)
            _copy(cursor, table, columns)
            joined = [
                (cadre_id, row["branch_id"])
                for cadre_id, row in zip(ids, creates, strict=True)
                if row["branch_id"]
            ]
            _copy_memberships(cursor, joined, today)
        if updates:
            _update_postgresql(cursor, updates, today, now, keys)


def _update_postgresql(
    cursor, updates: list[tuple], today: dt.date, now: dt.datetime, keys: _CalendarKeys
) -> None:
    rows = [values for _cadre_id, values, _old in updates]
    fields = list(rows[0])
    columns = {
        "id": [cadre_id for cadre_id, _values, _old in updates],
        **_field_columns(rows, fields, {}),
        **keys.columns(rows),
        "updated_at": [now] * len(rows),
    }
    quote = connection.ops.quote_name
    written = [name for name in columns if name != "id"]
    selected = ", ".join(quote(_column(name)) for name in written)
    cursor.execute(
        f"CREATE TEMPORARY TABLE import_cadre_update ON COMMIT DROP AS "
        f"SELECT id, {selected} FROM {quote(Cadre._meta.db_table)} WITH NO DATA"
    )
    _copy(cursor, "import_cadre_update", columns)
    assignments = ", ".join(f"{quote(_column(name))} = u.{quote(_column(name))}" for name in written)
    cursor.execute(
        f"UPDATE {quote(Cadre._meta.db_table)} AS c SET {assignments} FROM import_cadre_update AS u WHERE c.id = u.id"
    )
    cursor.execute("DROP TABLE import_cadre_update")
    moved = [
        (cadre_id, values["branch_id"]) for cadre_id, values, old in updates if values["branch_id"] != old
    ]
    if moved:
        cursor.execute(
            f"UPDATE {quote(BranchMembership._meta.db_table)} SET left_on = %s "
            "WHERE left_on IS NULL AND cadre_id = ANY(%s)",
            [today, [cadre_id for cadre_id, _branch in moved]],
        )
        _copy_memberships(cursor, moved, today)


def _copy_memberships(cursor, members: list[tuple[int, int]], today: dt.date) -> None:
    """Open a membership from `today` for each (cadre id, branch id)."""
    if members:
        _copy(
            cursor,
            BranchMembership._meta.db_table,
            {
                "cadre_id": [cadre_id for cadre_id, _branch in members],
                "branch_id": [branch_id for _cadre, branch_id in members],
                "joined_on": [today] * len(members),
            },
        )


def _column(name: str) -> str:
    """The database column of a Cadre field given by name or attname."""
    if name == "id":
        return "id"
    return Cadre._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name).column


def _copy(cursor, table: str, columns: dict[str, list]) -> None:
    """COPY `columns` (name → values, all of one length) into `table` in PostgreSQL's text format."""
    encoded = [_encode(values) for values in columns.values()]
    buffer = io.StringIO()
    buffer.write("\n".join(map("\t".join, zip(*encoded, strict=True))))
    buffer.write("\n")
    buffer.seek(0)
    quote = connection.ops.quote_name
    names = ", ".join(quote(name if table != Cadre._meta.db_table else _column(name)) for name in columns)
    cursor.copy_expert(f"COPY {quote(table)} ({names}) FROM STDIN", buffer)


def _encode(values: list) -> list[str]:
    """One column's values as COPY text, by the type of its first value that is not None."""
    sample = next((value for value in values if value is not None), None)
    if sample is None:
        return [NULL] * len(values)
    if isinstance(sample, str):
        has_null = None in values
        present = [value for value in values if value is not None] if has_null else values
        # Most columns hold no character COPY must escape: one look over the whole column.
        if any(special in "\x1f".join(present) for special in _SPECIAL):
            values = [None if value is None else value.translate(_ESCAPES) for value in values]
        return [NULL if value is None else value for value in values] if has_null else values
    if isinstance(sample, bool):
        return ["t" if value else "f" for value in values]
    if isinstance(sample, int):
        return [NULL if value is None else str(value) for value in values]
    if isinstance(sample, dt.date):
        # Dates and timestamps repeat: each distinct one is formatted once.
        memo = {None: NULL}
        return [
            memo[value] if value in memo else memo.setdefault(value, value.isoformat()) for value in values
        ]
    if isinstance(sample, list):
        memo = {}
        out = []
        for value in values:
            key = tuple(value) if value is not None else None
            if key not in memo:
                memo[key] = (
                    NULL if value is None else json.dumps(value, ensure_ascii=False).translate(_ESCAPES)
                )
            out.append(memo[key])
        return out
    raise TypeError(f"No COPY encoding for {type(sample).__name__}")


# Other databases -------------------------------------------------------------------------------


def _write_with_orm(creates: list[dict], updates: list[tuple], today: dt.date, now: dt.datetime) -> None:
    keys = _CalendarKeys()
    if creates:
        defaults = _defaults()
        cadres = []
        for row in creates:
            born = keys.birth(row["birth_date"])
            cadres.append(
                Cadre(
                    **{
                        **defaults,
                        **{field: value for field, value in row.items() if value is not None},
                        "birth_month_day": born[0],
                        "lunar_birth_year": born[1],
                        "lunar_birth_month_day": born[2],
                        "party_join_month_day": keys.party(row.get("party_join_date")),
                    }
                )
            )
        created = Cadre.objects.bulk_create(cadres, batch_size=_BATCH)
        BranchMembership.objects.bulk_create(
            [
                BranchMembership(cadre_id=cadre.pk, branch_id=cadre.branch_id, joined_on=today)
                for cadre in created
                if cadre.branch_id
            ],
            batch_size=_BATCH,
        )
    if updates:
        fields = [*updates[0][1], *Cadre.CALENDAR_KEYS, "updated_at"]
        cadres = []
        for cadre_id, values, _old in updates:
            born = keys.birth(values["birth_date"])
            cadres.append(
                Cadre(
                    id=cadre_id,
                    **values,
                    birth_month_day=born[0],
                    lunar_birth_year=born[1],
                    lunar_birth_month_day=born[2],
                    party_join_month_day=keys.party(values.get("party_join_date")),
                    updated_at=now,
                )
            )
        Cadre.objects.bulk_update(cadres, fields, batch_size=200)
        moved = [
            (cadre_id, values["branch_id"]) for cadre_id, values, old in updates if values["branch_id"] != old
        ]
        for start in range(0, len(moved), 500):
            chunk = moved[start : start + 500]
            BranchMembership.objects.filter(
                cadre_id__in=[cadre_id for cadre_id, _branch in chunk], left_on__isnull=True
            ).update(left_on=today)
        BranchMembership.objects.bulk_create(
            [
                BranchMembership(cadre_id=cadre_id, branch_id=branch_id, joined_on=today)
                for cadre_id, branch_id in moved
            ],
            batch_size=_BATCH,
        )
