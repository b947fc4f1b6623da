"""Checking a whole roster and deciding, row by row, what an import would do.

`plan_cadres` reads every row, cleans each cell (imports.cleaning), checks each row on its own
(ID number, birth date and sex against it, dates not in the future, order of dates) and
against the others (an ID number twice in the file), resolves branch names among the branches
the user may see, and compares each row with the cadre already registered under its ID
number: create, update (naming the columns that change) or skip. Nothing is written here;
one error anywhere and imports.writing is never called.

The checks mirror Cadre.clean and its constraints for the fields a roster carries, set-based
over the whole file rather than through full_clean per row (tests/imports/test_planning.py
holds every row the plan accepts to full_clean). A blank optional cell means "not given":
a new cadre gets the field's default, a registered one keeps what it has.
"""

import collections
import dataclasses
import datetime as dt
import functools
import itertools
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import visible_branches
from branches.models import BranchMembership
from cadres.models import Cadre
from core import idcard
from core.masking import mask_id_number
from imports import cleaning
from imports.readers import Table
from imports.specs import CADRE_ROSTER, SEX_LABELS, Resource

# Rows between two progress reports.
PROGRESS_EVERY = 5_000
# How many rows of each action the preview lists.
SAMPLE_SIZE = 100
_DATE_FIELDS = ("retired_on", "party_join_date", "deceased_on")


@dataclasses.dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str
    code: str

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class Plan:
    """What an import would do; `message` is set when the whole file is refused."""

    resource: Resource
    row_count: int = 0
    # Field values of each cadre to create (branch as branch_id), with their row numbers.
    creates: list[tuple[int, dict]] = dataclasses.field(default_factory=list)
    # (cadre id, the cadre's fields after the update, current branch id) of each cadre to update.
    updates: list[tuple[int, dict, int | None]] = dataclasses.field(default_factory=list)
    skip_count: int = 0
    errors: list[RowError] = dataclasses.field(default_factory=list)
    error_count: int = 0
    message: str = ""
    # A few rows of each action for the preview: {"row", "action", "name", "id_number", "branch", "columns"}.
    sample: list[dict] = dataclasses.field(default_factory=list)
    sampled: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    # The rows that passed the checks of the file alone, (row number, values), before the
    # registry is looked at: what the validation keeps for the write (imports.services).
    rows: list[tuple[int, dict]] = dataclasses.field(default_factory=list)
    # Records created and updated one by one (imports.records), which keep no values here.
    created: int = 0
    updated: int = 0

    @property
    def create_count(self) -> int:
        return len(self.creates) + self.created

    @property
    def update_count(self) -> int:
        return len(self.updates) + self.updated

    @property
    def is_valid(self) -> bool:
        return not self.message and self.error_count == 0

    def add_error(self, row: int, column: str, message: str, code: str) -> None:
        self.error_count += 1
        # Checks run column by column: keep enough of each to hold the first rows overall.
        if len(self.errors) < 20 * settings.IMPORT_MAX_STORED_ERRORS:
            self.errors.append(RowError(row, column, message, code))

    def finish_errors(self) -> None:
        """Keep the errors of the first rows, in row order, up to IMPORT_MAX_STORED_ERRORS."""
        self.errors.sort(key=lambda error: error.row)
        del self.errors[settings.IMPORT_MAX_STORED_ERRORS :]


def plan_cadres(*, table: Table, user, progress: Callable[[int], None] | None = None) -> Plan:
    """Check every row of `table` as a cadre roster for `user` and classify it; write nothing."""
    plan = check_cadre_rows(table=table, progress=progress)
    if plan.is_valid:
        classify_cadre_rows(plan=plan, user=user)
    return plan


def check_cadre_rows(*, table: Table, progress: Callable[[int], None] | None = None) -> Plan:
    """The checks that need only the file: headers, every cell, each row, duplicates."""
    plan = Plan(resource=CADRE_ROSTER)
    present = map_headers(CADRE_ROSTER, table.header, plan)
    if plan.message:
        return plan
    plan.rows = _clean_rows(table, present, plan, timezone.localdate(), progress)
    if not plan.row_count:
        plan.message = _("The file has headers but no rows of data.")
    plan.finish_errors()
    return plan


def classify_cadre_rows(*, plan: Plan, user) -> Plan:
    """The checks against the registry as it is now, for `user`: branches by name within their
    scope, the cadres registered under each ID number; then create, update or skip each row.
    Consumes plan.rows."""
    rows, plan.rows = plan.rows, []
    branch_ids = _resolve_branches(rows, user, plan)
    _classify(rows, branch_ids, user, plan, timezone.localdate())
    plan.finish_errors()
    return plan


def map_headers(resource: Resource, header: list, plan: Plan) -> list[tuple[int, object]]:
    """(cell index, column) of each known header; a file-level message when headers are wrong."""
    present = []
    seen = {}
    unknown = []
    duplicated = []
    for index, raw in enumerate(header):
        title = cleaning.text(raw).replace(" ", "")
        if not title or title in resource.ignored_headers:
            continue
        column = resource.column_for(title)
        if column is None:
            unknown.append(title)
        elif column.header in seen:
            duplicated.append(column.header)
        else:
            seen[column.header] = index
            present.append((index, column))
    missing = [header for header in resource.required_headers if header not in seen]
    if unknown or missing or duplicated:
        problems = []
        if missing:
            problems.append(_("Missing columns: %(headers)s.") % {"headers": "、".join(missing)})
        if unknown:
            problems.append(_("Unknown columns: %(headers)s.") % {"headers": "、".join(unknown)})
        if duplicated:
            problems.append(_("Columns given twice: %(headers)s.") % {"headers": "、".join(duplicated)})
        plan.message = " ".join(
            [
                _("The column headers (row %(row)d) do not match the template.") % {"row": 1},
                *problems,
                _("The columns are: %(headers)s. Download the template to see them.")
                % {"headers": "、".join(resource.headers)},
            ]
        )
    return present


def _clean_rows(table: Table, present, plan: Plan, today: dt.date, progress) -> list[tuple[int, dict]]:
    """Each non-blank row's cleaned values, with the row-level checks; errors go to `plan`."""
    header_of = {column.field: column.header for _index, column in present}
    rows = []
    first_row_of = {}
    for number, values in clean_cells(table, present, plan, progress):
        first = first_row_of.setdefault(values["id_number"], number)
        if first != number:
            plan.add_error(
                number,
                header_of["id_number"],
                _("The same ID number as row %(row)d: each cadre may appear once in a file.")
                % {"row": first},
                "duplicate",
            )
            continue
        if _check_row(number, values, header_of, plan, today):
            rows.append((number, values))
    return rows


def clean_cells(table: Table, present, plan: Plan, progress) -> list[tuple[int, dict]]:
    """(row number, cleaned values by field) of each non-blank row whose cells all passed;
    refused cells and blank required ones go to `plan` as errors.

    None stands for a blank cell: "not given". Cells are cleaned column by column, each
    distinct text once: a sheet repeats its units, posts, branches and labels thousands of times.
    """
    numbers = []
    raw_rows = []
    total = max(table.row_count, 1)
    for number, cells in table.rows:
        if is_blank(cells):
            continue
        numbers.append(number)
        raw_rows.append(cells)
        if progress is not None and len(numbers) % PROGRESS_EVERY == 0:
            # Reading is about half of the check.
            progress(min(49, len(numbers) * 50 // total))
    plan.row_count = len(numbers)
    failed = set()
    columns = []
    limit = settings.IMPORT_MAX_STORED_ERRORS
    # Rows may stop short of the last columns: those cells read as blank.
    raw_columns = list(itertools.zip_longest(*raw_rows, fillvalue=""))
    width = len(raw_columns)
    del raw_rows
    for index, column in present:
        raw = raw_columns[index] if index < width else [""] * len(numbers)
        values, bad = clean_column(column.clean, raw)
        if column.required:
            bad = sorted({*bad, *(i for i, value in enumerate(values) if value is None)})
        for shown, i in enumerate(bad):
            value = values[i]
            if shown < limit:
                if isinstance(value, cleaning.CellError):
                    plan.add_error(numbers[i], column.header, value.message, value.code)
                else:
                    plan.add_error(numbers[i], column.header, _("This column must be filled in."), "required")
            else:
                plan.error_count += 1
            failed.add(i)
        columns.append(values)
    if progress is not None:
        progress(60)
    fields = [column.field for _index, column in present]
    if not failed:
        # The usual case: map() keeps the dict() calls out of the interpreter loop.
        rows = map(dict, map(zip, itertools.repeat(fields), zip(*columns, strict=True)))
        return list(zip(numbers, rows, strict=True))
    return [
        (numbers[i], dict(zip(fields, cells, strict=True)))
        for i, cells in enumerate(zip(*columns, strict=True))
        if i not in failed
    ]


def clean_column(clean: Callable, raw: list) -> tuple[list, list[int]]:
    """`raw` cleaned by `clean`: blank as None, a refused cell as its CellError; and the
    positions refused. Each distinct text is cleaned once."""
    memo = {}
    refused = []

    def miss(cell):
        try:
            value = clean(cell)
        except cleaning.CellError as error:
            value = error
            refused.append(cell)
        else:
            if value == "":
                value = None
        # Only text is remembered: True, 1 and 1.0 are equal keys but not the same cell.
        if cell.__class__ is str:
            memo[cell] = value
        return value

    if clean is cleaning.date:
        # Excel date cells arrive as dates already: only text and numbers need reading.
        date = dt.date
        values = [
            cell
            if cell.__class__ is date
            else memo[cell]
            if cell.__class__ is str and cell in memo
            else miss(cell)
            for cell in raw
        ]
    else:
        values = [memo[cell] if cell.__class__ is str and cell in memo else miss(cell) for cell in raw]
    if not refused:
        return values, []
    return values, [i for i, value in enumerate(values) if isinstance(value, cleaning.CellError)]


def is_blank(cells) -> bool:
    for cell in cells:
        if cell is None or cell == "" or (isinstance(cell, str) and not cell.strip()):
            continue
        return False
    return True


def _check_row(number: int, values: dict, header_of: dict, plan: Plan, today: dt.date) -> bool:
    """The checks across a row's cells; fill in birth date and sex from the ID number."""
    ok = True
    number_ = values["id_number"]
    born = _birth_date(number_[6:14])
    sex = idcard.SEX_MALE if number_[16] in "13579" else idcard.SEX_FEMALE
    given_birth = values.get("birth_date")
    if given_birth is not None and given_birth != born:
        plan.add_error(
            number,
            header_of["birth_date"],
            _("The birth date %(entered)s disagrees with the ID number, which gives %(from_id)s.")
            % {"entered": given_birth.isoformat(), "from_id": born},
            "birth_date_mismatch",
        )
        ok = False
    given_sex = values.get("sex")
    if given_sex is not None and given_sex != sex:
        plan.add_error(
            number,
            header_of["sex"],
            _("The sex disagrees with the ID number, which gives %(from_id)s.")
            % {"from_id": SEX_LABELS[sex]},
            "sex_mismatch",
        )
        ok = False
    values["birth_date"] = born
    values["sex"] = sex
    for field in _DATE_FIELDS:
        day = values.get(field)
        if day is None:
            continue
        if day > today:
            plan.add_error(
                number,
                header_of[field],
                _("%(date)s is in the future.") % {"date": day.isoformat()},
                "future_date",
            )
            ok = False
        # One may die on the day of birth, but not retire or join the Party then.
        elif day < born or (day == born and field != "deceased_on"):
            plan.add_error(
                number,
                header_of[field],
                _("%(date)s is not after the birth date (%(born)s).")
                % {"date": day.isoformat(), "born": born},
                "before_birth",
            )
            ok = False
    return ok


@functools.lru_cache(maxsize=65536)
def _birth_date(digits: str) -> dt.date:
    """The birth date of an ID number's characters 7 to 14 (already validated), as idcard reads it."""
    return idcard.birth_date_of("000000" + digits)


def _resolve_branches(rows, user, plan: Plan) -> dict[str, int]:
    """Branch id by name for the names in `rows`, among the active branches `user` may see;
    rows naming another branch get an error."""
    names = {values["branch"] for _number, values in rows if values.get("branch")}
    found = branch_ids_by_spelling(user, names)
    resolved = {}
    problems = {}
    for name in names:
        matches = found.get(name, [])
        active = [pk for pk, dissolved_on in matches if dissolved_on is None]
        if len(active) == 1:
            resolved[name] = active[0]
        elif len(active) > 1:
            problems[name] = (
                _("More than one Party organisation is called “%(name)s”; ask the bureau to rename one.")
                % {"name": name},
                "branch_not_unique",
            )
        elif matches:
            problems[name] = (
                _("The Party organisation “%(name)s” has been dissolved.") % {"name": name},
                "branch_dissolved",
            )
        else:
            problems[name] = (
                _("Unknown Party organisation “%(name)s”: no organisation you can see has this name.")
                % {"name": name},
                "unknown_branch",
            )
    if problems:
        header = CADRE_ROSTER.column_for("所在党支部").header
        kept = []
        for number, values in rows:
            problem = problems.get(values.get("branch"))
            if problem is None:
                kept.append((number, values))
            else:
                plan.add_error(number, header, *problem)
        rows[:] = kept
    return resolved


def branch_ids_by_spelling(user, names: set[str]) -> dict[str, list[tuple[int, dt.date | None]]]:
    """(id, dissolved_on) of the branches `user` may see, by each of `names` as a cell spells them.

    A cell's text is normalised (imports.cleaning: full-width brackets become ASCII ones, spaces
    are trimmed), so stored names are compared in that same form. A city has a few thousand
    organisations: they are read once, not looked up name by name.
    """
    found: dict[str, list[tuple[int, dt.date | None]]] = {}
    if not names:
        return found
    for pk, name, dissolved_on in visible_branches(user).values_list("pk", "name", "dissolved_on"):
        spelled = cleaning.single_line(name)
        if spelled in names:
            found.setdefault(spelled, []).append((pk, dissolved_on))
    return found


# The fields a roster can change, compared with the registered cadre's.
_COMPARED = [column.field for column in CADRE_ROSTER.columns if column.field not in ("branch", "id_number")]


def _classify(rows, branch_ids: dict[str, int], user, plan: Plan, today: dt.date) -> None:
    """Create, update or skip each row against the registered cadres; scope errors to `plan`."""
    is_secretary = not user.is_bureau_wide
    visible = set(visible_branches(user).values_list("pk", flat=True)) if is_secretary else None
    existing = _registered(number for _row, values in rows for number in (values["id_number"],))
    header_of = {column.field: column.header for column in CADRE_ROSTER.columns}
    label_of = {column.field: column.header for column in CADRE_ROSTER.columns}
    moving = []
    creates = plan.creates
    for number, values in rows:
        branch_name = values.pop("branch", None)
        branch_id = branch_ids.get(branch_name) if branch_name else None
        current = existing.get(values["id_number"]) if existing else None
        if current is None and branch_id is not None:
            # The common case first, and cheaply: a new cadre joining a branch.
            values["branch_id"] = branch_id
            creates.append((number, values))
            if plan.sampled["create"] < SAMPLE_SIZE:
                _sample(plan, number, "create", values, branch_name, [])
            continue
        if current is None:
            if is_secretary:
                plan.add_error(
                    number,
                    header_of["branch"],
                    _("Name the Party organisation: a new cadre must join one of your branches."),
                    "branch_required",
                )
                continue
            # Fields left blank are None: the write gives them the model's defaults.
            values["branch_id"] = branch_id
            plan.creates.append((number, values))
            _sample(plan, number, "create", values, branch_name, [])
            continue
        if is_secretary and current["branch_id"] not in visible:
            plan.add_error(
                number,
                header_of["id_number"],
                _(
                    "A cadre with this ID number is registered in a branch outside yours; you cannot change them."
                ),
                "outside_scope",
            )
            continue
        changed = [
            label_of[field]
            for field in _COMPARED
            if values.get(field) is not None and values[field] != current[field]
        ]
        new_branch = branch_id if branch_id is not None else current["branch_id"]
        if new_branch != current["branch_id"]:
            changed.append(header_of["branch"])
            moving.append((number, current["id"], current["branch_id"]))
        if not changed:
            plan.skip_count += 1
            continue
        given = {field: value for field, value in values.items() if value is not None}
        merged = {**{field: current[field] for field in _COMPARED}, **given, "branch_id": new_branch}
        if not _dates_in_order(merged):
            plan.add_error(
                number,
                header_of["deceased_on"],
                _("%(date)s is not after the birth date (%(born)s).")
                % {"date": merged["deceased_on"], "born": merged["birth_date"]},
                "before_birth",
            )
            continue
        plan.updates.append((current["id"], merged, current["branch_id"]))
        _sample(plan, number, "update", merged, branch_name, changed)
    _check_transfers(moving, plan, today)
    if plan.error_count:
        plan.creates.clear()
        plan.updates.clear()


def _dates_in_order(values: dict) -> bool:
    deceased = values.get("deceased_on")
    return deceased is None or deceased >= values["birth_date"]


def _check_transfers(moving, plan: Plan, today: dt.date) -> None:
    """A transfer from today cannot close a membership that starts after today."""
    if not moving:
        return
    cadre_ids = [cadre_id for _row, cadre_id, _branch in moving]
    late = {}
    for start in range(0, len(cadre_ids), _chunk_size()):
        late.update(
            BranchMembership.objects.filter(
                cadre_id__in=cadre_ids[start : start + _chunk_size()],
                left_on__isnull=True,
                joined_on__gt=today,
            ).values_list("cadre_id", "joined_on")
        )
    header = CADRE_ROSTER.column_for("所在党支部").header
    for number, cadre_id, _branch in moving:
        if cadre_id in late:
            plan.add_error(
                number,
                header,
                _("The transfer date is before the cadre joined the current branch (%(date)s).")
                % {"date": late[cadre_id]},
                "transfer_before_joining",
            )


def _registered(id_numbers) -> dict[str, dict]:
    """The registered cadres among `id_numbers`, each as the compared fields, id and branch_id."""
    id_numbers = list(id_numbers)
    found = {}
    fields = ["id", "branch_id", "id_number", *_COMPARED]
    if connection.vendor == "postgresql":
        # One array parameter: Django would compile an IN list of 100,000 parameters.
        wanted = RawSQL("SELECT unnest(%s::varchar[])", [id_numbers])
        lookups = [Cadre.objects.filter(id_number__in=wanted)] if id_numbers else []
    else:
        size = _chunk_size()
        lookups = [
            Cadre.objects.filter(id_number__in=id_numbers[start : start + size])
            for start in range(0, len(id_numbers), size)
        ]
    for queryset in lookups:
        for row in queryset.values(*fields):
            row["five_elders"] = _canonical_tags(row["five_elders"])
            found[row["id_number"]] = row
    return found


def _canonical_tags(tags) -> list[str]:
    tags = set(tags or [])
    return [code for code in Cadre.FiveElders.values if code in tags] + sorted(
        tags - set(Cadre.FiveElders.values)
    )


def _chunk_size() -> int:
    # SQLite limits the parameters of one statement; PostgreSQL takes a long IN list well.
    return 20_000 if connection.vendor == "postgresql" else 900


def _sample(plan: Plan, number: int, action: str, values: dict, branch_name, changed: list[str]) -> None:
    if plan.sampled[action] >= SAMPLE_SIZE:
        return
    plan.sampled[action] += 1
    plan.sample.append(
        {
            "row": number,
            "action": action,
            "name": values["name"],
            "id_number": mask_id_number(values["id_number"]),
            "branch": branch_name or "",
            "columns": changed,
        }
    )
