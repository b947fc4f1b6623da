"""Importing the records other than the cadre roster: Party organisations, memberships,
officers, activities with their attendance, volunteer teams, chief posts, service records,
talks and visits.

These sheets are small beside a roster (hundreds or a few thousand rows), and each record
carries rules that live in its app's services: a transfer closes the old membership, an
officer must be a member, an activity records every member's attendance, a visit closes its
occasion. So every row is written through those same services, each in a savepoint, all in
one transaction. The check behind the preview runs the whole file and rolls it back; the
confirmed import runs it again and commits only when no row failed. That is
django-import-export's dry-run design (Resource.import_data with dry_run and
use_transactions); the cells are cleaned, and every error named by row, column and reason, as
the roster's are (imports.planning).

Each app describes its sheets in its `importers` module: a RecordResource with the columns,
the natural key that finds an existing record, a `prepare` that looks up in bulk what the rows
name (branches, cadres, teams), and an `apply` that writes one row and says what it did.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Branch
from core.masking import mask_id_number
from imports import cleaning
from imports.planning import SAMPLE_SIZE, Plan, branch_ids_by_spelling, clean_cells, map_headers
from imports.readers import Table
from imports.specs import Column, Resource, label_of, labelled_choice  # noqa: F401 (for the importers)

# Rows between two progress reports while the rows are written.
PROGRESS_EVERY = 200


class RowProblem(Exception):
    """A row that cannot be written: the column (by field) at fault and why, for the user."""

    def __init__(self, field: str, message: str, code: str = "invalid"):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What writing one row did, and how the preview names the record."""

    action: str  # "create", "update" or "skip"
    label: str = ""
    branch: str = ""
    id_number: str = ""
    changed: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class RecordResource(Resource):
    # The fields that together find an existing record; a file may hold each key once.
    key_fields: tuple[str, ...] = ()
    # Resource.key_field: the first of key_fields unless given.
    key_field: str = ""
    # (rows, user) -> context: the bulk lookups of what the rows name.
    prepare: Callable = lambda rows, user: {}
    # (values, context, user) -> Outcome; raises RowProblem or ValidationError.
    apply: Callable | None = None
    # user -> the records the user may see, exported in this layout.
    queryset: Callable | None = None
    # A record -> its stored values by field, as the columns export them.
    values_of: Callable | None = None
    # Permissions needed beside imports.add_importjob.
    perms: tuple[str, ...] = ()
    # The list that shows what was imported.
    list_url: str = ""
    # Error keys of the services and models -> the column's field.
    error_fields: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        if not self.key_field:
            object.__setattr__(self, "key_field", self.key_fields[0])

    def export_row(self, obj) -> list:
        values = self.values_of(obj)
        return [column.export(values.get(column.field)) for column in self.columns]

    def header_for(self, key: str) -> str:
        field = self.error_fields.get(key, key)
        for column in self.columns:
            if column.field == field:
                return column.header
        return ""


def check_record_rows(*, resource: RecordResource, table: Table, progress=None) -> Plan:
    """The checks that need only the file: headers, every cell, a key given twice."""
    plan = Plan(resource=resource)
    present = map_headers(resource, table.header, plan)
    if plan.message:
        return plan
    rows = clean_cells(table, present, plan, progress)
    if not plan.row_count:
        plan.message = _("The file has headers but no rows of data.")
    first_row_of = {}
    header = resource.header_for(resource.key_fields[0])
    for number, values in rows:
        key = tuple(values.get(field) for field in resource.key_fields)
        first = first_row_of.setdefault(key, number)
        if first != number:
            plan.add_error(
                number,
                header,
                _("The same record as row %(row)d: each record may appear once in a file.") % {"row": first},
                "duplicate",
            )
            continue
        plan.rows.append((number, values))
    plan.finish_errors()
    return plan


def settle_record_rows(*, plan: Plan, user, write: bool, progress=None) -> Plan:
    """Write every row through the services in one transaction; keep it only when `write` and
    no row failed. Either way `plan` ends with the counts, the errors and a sample."""
    resource = plan.resource
    rows, plan.rows = plan.rows, []
    with transaction.atomic():
        context = resource.prepare(rows, user)
        for done, (number, values) in enumerate(rows, start=1):
            try:
                with transaction.atomic():
                    outcome = resource.apply(values, context, user)
            except RowProblem as problem:
                plan.add_error(number, resource.header_for(problem.field), problem.message, problem.code)
            except ValidationError as error:
                _add_validation_error(plan, resource, number, error)
            except IntegrityError:
                plan.add_error(
                    number,
                    "",
                    _("This row conflicts with a record already registered."),
                    "conflict",
                )
            else:
                _count(plan, number, outcome)
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(60 + done * 39 // len(rows))
        if plan.error_count or not write:
            transaction.set_rollback(True)
    if plan.error_count:
        plan.created = plan.updated = plan.skip_count = 0
        plan.sample.clear()
    plan.finish_errors()
    return plan


def _add_validation_error(plan: Plan, resource: RecordResource, number: int, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            for message in messages:
                plan.add_error(number, resource.header_for(key), message, "invalid")
    else:
        for message in error.messages:
            plan.add_error(number, "", message, "invalid")


def _count(plan: Plan, number: int, outcome: Outcome) -> None:
    if outcome.action == "skip":
        plan.skip_count += 1
        return
    if outcome.action == "create":
        plan.created += 1
    else:
        plan.updated += 1
    if plan.sampled[outcome.action] < SAMPLE_SIZE:
        plan.sampled[outcome.action] += 1
        plan.sample.append(
            {
                "row": number,
                "action": outcome.action,
                "name": outcome.label,
                "id_number": outcome.id_number,
                "branch": outcome.branch,
                "columns": list(outcome.changed),
            }
        )


# Helpers for the apps' importers ----------------------------------------------------------------


def date_cell(value):
    """A stored date as its cell (a blank cell when there is none)."""
    return value if isinstance(value, dt.date) else ""


def text_of(limit: int) -> Callable:
    """A one-line text cell of at most `limit` characters."""
    return cleaning.max_length(cleaning.single_line, limit)


def spelled(value):
    """A stored value as a cell would give it back (imports.cleaning): text single-lined, NFKC;
    so that what was exported compares equal when it is imported again."""
    return cleaning.single_line(value) if isinstance(value, str) else value


def parent_name(model):
    """An annotation: the name of a tree node's parent (treebeard's materialised path: the
    parent's path is the node's less its last step)."""
    return Subquery(
        model.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - model.steplen)
        ).values("name")[:1]
    )


def names_in(rows, field: str) -> set:
    return {values[field] for _number, values in rows if values.get(field)}


def branches_named(names: Iterable[str], user) -> dict[str, object]:
    """The active Party organisation of each name among those `user` may see; a name that
    matches none, or several, maps to the RowProblem message saying so. Names are compared as
    a cell spells them (imports.planning.branch_ids_by_spelling)."""
    names = set(names)
    ids = branch_ids_by_spelling(user, names)
    branches = Branch.objects.in_bulk([pk for matches in ids.values() for pk, _dissolved in matches])
    resolved = {}
    for name in names:
        matches = [branches[pk] for pk, _dissolved in ids.get(name, [])]
        active = [branch for branch in matches if branch.dissolved_on is None]
        if len(active) == 1:
            resolved[name] = active[0]
        elif len(active) > 1:
            resolved[name] = _(
                "More than one Party organisation is called “%(name)s”; ask the bureau to rename one."
            ) % {"name": name}
        elif matches:
            resolved[name] = _("The Party organisation “%(name)s” has been dissolved.") % {"name": name}
        else:
            resolved[name] = _(
                "Unknown Party organisation “%(name)s”: no organisation you can see has this name."
            ) % {"name": name}
    return resolved


def cadres_numbered(id_numbers: Iterable[str], user, *, among=None) -> dict:
    """The registered cadres `user` may see (or `among`, a queryset of them), by ID number.

    A masked number (110***********1234, as the lists show it) maps to the one cadre in scope it
    fits, or to a message when it fits several: write that one out in full.
    """
    from cadres.selectors import cadre_list

    cadres = among if among is not None else cadre_list(user=user)
    wanted = set(id_numbers)
    masked = {number for number in wanted if "*" in number}
    whole = sorted(wanted - masked)
    found = {}
    for start in range(0, len(whole), 500):
        for cadre in cadres.filter(id_number__in=whole[start : start + 500]):
            found[cadre.id_number] = cadre
    for number in sorted(masked):
        fits = list(cadres.filter(id_number__startswith=number[:3], id_number__endswith=number[-4:])[:2])
        if len(fits) == 1:
            found[number] = fits[0]
        elif fits:
            found[number] = _(
                "More than one cadre you can see fits the masked ID number %(number)s: write it in full."
            ) % {"number": number}
    return found


def named(lookup: dict, key, field: str, unknown: str):
    """lookup[key], or a RowProblem on `field`: a message found there, else `unknown`."""
    value = lookup.get(key)
    if value is None:
        raise RowProblem(field, unknown, "unknown")
    if isinstance(value, str):
        raise RowProblem(field, value, "unknown")
    return value


def cadre_numbered(context: dict, id_number: str, field: str = "id_number"):
    return named(
        context["cadres"],
        id_number,
        field,
        _("No cadre you can see is registered under the ID number %(number)s.")
        % {"number": mask_id_number(id_number)},
    )


def check_name(cadre, values: dict) -> None:
    """A name given beside an ID number must be the name registered under it."""
    if values.get("name") and values["name"] != cadre.name:
        raise RowProblem(
            "name",
            _("The name disagrees with the ID number, which is registered as “%(name)s”.")
            % {"name": cadre.name},
            "name_mismatch",
        )


def changed_columns(resource: RecordResource, obj, values: dict, fields: Iterable[str]) -> tuple[str, ...]:
    """The headers of `fields` whose given value (not None) differs from the record's."""
    return tuple(
        resource.header_for(field)
        for field in fields
        if values.get(field) is not None and values[field] != getattr(obj, field)
    )


def given(values: dict, fields: Iterable[str]) -> dict:
    """The values of `fields` given in the row (a blank cell is None: not given)."""
    return {field: values[field] for field in fields if values.get(field) is not None}


def existing(queryset, **lookup):
    try:
        return queryset.get(**lookup)
    except ObjectDoesNotExist:
        return None


def id_number_column(header: str = "身份证号", **kwargs) -> Column:
    return Column(
        header,
        "id_number",
        cleaning.id_number_or_masked,
        required=True,
        aliases=("身份证号码", "公民身份号码"),
        example="51010419500314029X",
        **{
            "note": gettext_lazy(
                "18 characters, the last may be X. A number masked as the lists show it "
                "(110***********1234) is accepted when it fits one cadre you can see."
            ),
            **kwargs,
        },
    )
