"""The spreadsheet of visits (六必访 走访记录), imported through benefits.services.visit_record
and visit_update (imports.records).

One row is one visit. A visit is found again by its natural key: the cadre's ID number, the
reason and the day (身份证号, 走访事由, 走访日期). A row whose key matches a recorded visit
updates what the visit form may change (走访人, 慰问品, 慰问金额, 走访形式/内容; a blank cell
keeps what is recorded); any other row records a new visit.

How a new visit meets its occasion. The service needs none: the staff UI records a visit for an
occasion from the occasion's page (benefits.views.occasion_visit: visit_record(occasion=…),
which closes the occasion and its open reminders), and records any other visit with its reason
alone from the visit form (visit_create: no occasion is recorded for it). The import does the
same, row by row: when the cadre has an open occasion of the row's reason (one with no visit yet)
that occurred on or before the visit, the visit is recorded for it, the latest such occasion when
there are several (benefits.selectors.occasion_answered_by), exactly as from that occasion's page;
otherwise the visit is recorded with its reason alone, as the visit form does, and no occasion is
invented for it. The check behind the preview rolls everything back, so a preview closes nothing.

Scope: the cadres the user may see (a branch secretary, their own branches' members; a row
naming anyone else is that row's error). The download of current visits never carries an
occasion's or a cadre's health notes, and masks the visit's notes and money (as the visit list
does) for those who may not see personal details; a masked cell (***) imports as "not given".

Headers and choice labels are data in Chinese, the same in every language (see imports.specs).
"""

import datetime as dt
from decimal import Decimal

from django.db.models import BooleanField, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benefits import scoping, selectors, services
from benefits.models import ROUTINE, Occasion, Visit
from cadres.models import Cadre
from core.masking import mask_id_number
from imports import cleaning
from imports.records import (
    Outcome,
    RecordResource,
    RowProblem,
    cadre_numbered,
    cadres_numbered,
    date_cell,
    given,
    id_number_column,
    label_of,
    labelled_choice,
)
from imports.registry import register
from imports.specs import Column

SENSITIVE_PERMISSION = "cadres.view_sensitive_details"
# What the download shows, as the visit list does, in a cell its reader may not see.
HIDDEN = "***"

# The six occasions of 六必访, and the routine visit the visit form also records.
REASON_LABELS = {
    Occasion.Kind.HOSPITALISED: "生病住院",
    Occasion.Kind.FAMILY_EVENT: "家庭重大变故",
    Occasion.Kind.HARDSHIP: "生活特殊困难",
    Occasion.Kind.FESTIVAL: "重要节日",
    Occasion.Kind.MILESTONE_BIRTHDAY: "逢五逢十生日",
    Occasion.Kind.DEATH: "去世",
    ROUTINE: "日常走访",
}
# Cells are read after NFKC (imports.cleaning.text): full-width brackets arrive as ( and ).
REASON_ALIASES = {
    "住院": Occasion.Kind.HOSPITALISED,
    "特殊困难": Occasion.Kind.HARDSHIP,
    "逢五逢十": Occasion.Kind.MILESTONE_BIRTHDAY,
    "去世(走访家属)": Occasion.Kind.DEATH,
    "日常": ROUTINE,
}
_UPDATED = ("visitors", "gift", "condolence_money", "notes")


def _unless_hidden(cleaner):
    """`cleaner`, reading the download's mask (***) as a blank cell: the recorded value stays."""

    def clean(value):
        if cleaning.text(value) == HIDDEN:
            return None
        return cleaner(value)

    return clean


def _prepare_visits(rows, user) -> dict:
    numbers = {values["id_number"] for _number, values in rows}
    cadres = cadres_numbered(numbers, user)
    # Registered, but in a branch the user may not see: said so, as the roster import does.
    elsewhere = set(
        Cadre.objects.filter(id_number__in=numbers - set(cadres)).values_list("id_number", flat=True)
    )
    return {"cadres": cadres, "elsewhere": elsewhere}


def _cadre_of(values: dict, context: dict):
    if values["id_number"] in context["elsewhere"]:
        raise RowProblem(
            "id_number",
            _(
                "A cadre with this ID number is registered in a branch outside yours; you cannot record their visits."
            ),
            "outside_scope",
        )
    cadre = cadre_numbered(context, values["id_number"])
    if values.get("name") and values["name"] != cadre.name:
        raise RowProblem(
            "name",
            _("The name disagrees with the ID number, which is registered as “%(name)s”.")
            % {"name": cadre.name},
            "name_mismatch",
        )
    return cadre


def _apply_visit(values: dict, context: dict, user) -> Outcome:
    cadre = _cadre_of(values, context)
    visited_on, reason = values["visited_on"], values["reason"]
    if visited_on > timezone.localdate():
        raise RowProblem(
            "visited_on", _("%(date)s is in the future.") % {"date": visited_on.isoformat()}, "future_date"
        )
    outcome = {
        "label": cadre.name,
        "branch": cadre.branch.name if cadre.branch_id else "",
        "id_number": mask_id_number(cadre.id_number),
    }
    fields = given(values, _UPDATED)
    matches = list(Visit.objects.filter(cadre=cadre, reason=reason, visited_on=visited_on).order_by("id")[:2])
    if len(matches) > 1:
        raise RowProblem(
            "visited_on",
            _(
                "Several visits of this cadre for this reason are recorded on this day; correct them on their pages."
            ),
            "ambiguous",
        )
    if not matches:
        services.visit_record(
            cadre=cadre,
            occasion=selectors.occasion_answered_by(cadre=cadre, reason=reason, visited_on=visited_on),
            reason=reason,
            visited_on=visited_on,
            recorded_by=user,
            **fields,
        )
        return Outcome("create", **outcome)
    visit = matches[0]
    changed = [field for field in _UPDATED if field in fields and fields[field] != getattr(visit, field)]
    if not changed:
        return Outcome("skip")
    services.visit_update(visit=visit, **{field: fields[field] for field in changed})
    return Outcome("update", changed=tuple(VISITS.header_for(field) for field in changed), **outcome)


def _visits_visible(user):
    # Whether the reader may see notes and money rides on each record to values_of, which the
    # download calls with the record alone.
    return (
        scoping.visits_visible(user)
        .select_related("cadre__branch")
        .annotate(shown_to_reader=Value(user.has_perm(SENSITIVE_PERMISSION), output_field=BooleanField()))
        .order_by("visited_on", "id")
    )


def _visit_values(visit: Visit) -> dict:
    sensitive = getattr(visit, "shown_to_reader", False)

    def private(value):
        return value if sensitive or value in (None, "") else HIDDEN

    return {
        "name": visit.cadre.name,
        "id_number": visit.cadre.id_number,
        "reason": visit.reason,
        "visited_on": visit.visited_on,
        "visitors": visit.visitors,
        "gift": visit.gift,
        "condolence_money": private(visit.condolence_money),
        "notes": private(visit.notes),
    }


VISITS = register(
    RecordResource(
        slug="visits",
        verbose_name=gettext_lazy("Visits"),
        model=Visit,
        key_fields=("id_number", "reason", "visited_on"),
        perms=("benefits.add_visit", "benefits.change_visit"),
        list_url="benefits:visit_list",
        prepare=_prepare_visits,
        apply=_apply_visit,
        queryset=_visits_visible,
        values_of=_visit_values,
        error_fields={"cadre": "id_number", "occasion": "reason"},
        columns=(
            Column(
                "姓名",
                "name",
                cleaning.max_length(cleaning.name, 50),
                aliases=("走访对象",),
                example="王建国",
            ),
            id_number_column(
                note=gettext_lazy(
                    "The cadre visited, among those you can see. A visit is found by the ID number, the "
                    "reason and the date: a row naming a recorded visit updates it."
                )
            ),
            Column(
                "走访事由",
                "reason",
                labelled_choice(REASON_LABELS, REASON_ALIASES),
                required=True,
                aliases=("事由", "走访原因", "六必访事由"),
                export=label_of(REASON_LABELS),
                example="生病住院",
                note=gettext_lazy(
                    "生病住院, 家庭重大变故, 生活特殊困难, 重要节日, 逢五逢十生日, 去世 or 日常走访. A visit for "
                    "one of the six closes the cadre's open occasion of that kind, as on the occasion's page."
                ),
            ),
            Column(
                "走访日期",
                "visited_on",
                cleaning.date,
                required=True,
                aliases=("日期", "慰问日期"),
                export=date_cell,
                example=dt.date(2025, 9, 10),
                note=gettext_lazy("Not in the future."),
            ),
            Column(
                "走访人",
                "visitors",
                cleaning.max_length(cleaning.single_line, 300),
                required=True,
                aliases=("走访人员", "慰问人"),
                example="李明、张华",
            ),
            Column(
                "慰问品",
                "gift",
                cleaning.max_length(cleaning.single_line, 200),
                aliases=("慰问物品",),
                example="",
            ),
            Column(
                "慰问金额",
                "condolence_money",
                _unless_hidden(cleaning.decimal(0, Decimal("99999999.99"), places=2)),
                aliases=("慰问金", "慰问金(元)"),
                example=500,
                note=gettext_lazy("In yuan, at most 2 decimal places; may be left blank."),
            ),
            Column(
                "走访形式/内容",
                "notes",
                _unless_hidden(cleaning.text),
                aliases=("走访内容", "走访形式", "走访情况", "备注"),
                example="上门看望，了解身体和生活情况",
            ),
        ),
    )
)
