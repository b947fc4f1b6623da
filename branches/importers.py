"""The spreadsheets of Party organisations and of transfers between them (imports.records).

Headers and choice labels are data in Chinese, the same in every language, as the bureaus'
own sheets are (see imports.specs).
"""

import datetime as dt

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import visible_branches
from branches import services
from branches.models import Area, Branch, BranchMembership
from core.masking import mask_id_number
from imports import cleaning
from imports.records import (
    Outcome,
    RecordResource,
    RowProblem,
    branches_named,
    cadre_numbered,
    cadres_numbered,
    changed_columns,
    given,
    id_number_column,
    label_of,
    labelled_choice,
    named,
    names_in,
)
from imports.registry import register
from imports.specs import Column

BRANCH_KIND_LABELS = {
    Branch.Kind.WORKING_COMMITTEE: "党工委",
    Branch.Kind.COMMITTEE: "党委",
    Branch.Kind.GENERAL_BRANCH: "党总支",
    Branch.Kind.BRANCH: "党支部",
    Branch.Kind.TEMPORARY: "临时党支部",
    Branch.Kind.GROUP: "党小组",
}


def _date_cell(value):
    return value if isinstance(value, dt.date) else ""


def _text(limit: int):
    return cleaning.max_length(cleaning.single_line, limit)


# Party organisations ---------------------------------------------------------------------------

_BRANCH_FIELDS = (
    "kind",
    "former_unit",
    "founded_on",
    "dissolved_on",
    "term_years",
    "liaison_name",
    "liaison_phone",
    "liaison_unit",
)


def _prepare_branches(rows, user) -> dict:
    names = names_in(rows, "name") | names_in(rows, "parent")
    areas: dict[str, object] = {}
    wanted = names_in(rows, "area")
    for area in Area.objects.filter(name__in=wanted):
        areas[area.name] = (
            _("More than one area is called “%(name)s”.") % {"name": area.name}
            if area.name in areas
            else area
        )
    return {
        # Every organisation of those names the user may see, dissolved ones too: a row may
        # record the dissolution of one.
        "branches": {
            name: list(visible_branches(user).filter(name=name).order_by("path")) for name in sorted(names)
        },
        "areas": areas,
    }


def _branch_of_name(context, name: str, field: str):
    found = context["branches"].get(name)
    if found is None:
        # Created by an earlier row of the same file.
        found = context["branches"][name] = list(Branch.objects.filter(name=name).order_by("path"))
    if len(found) > 1:
        raise RowProblem(
            field,
            _("More than one Party organisation is called “%(name)s”; ask the bureau to rename one.")
            % {"name": name},
            "branch_not_unique",
        )
    return found[0] if found else None


def _apply_branch(values: dict, context: dict, user) -> Outcome:
    name = values["name"]
    fields = given(values, _BRANCH_FIELDS)
    if values.get("area"):
        fields["area"] = named(
            context["areas"],
            values["area"],
            "area",
            _("Unknown area “%(name)s”.") % {"name": values["area"]},
        )
    branch = _branch_of_name(context, name, "name")
    parent = None
    if values.get("parent"):
        parent = _branch_of_name(context, values["parent"], "parent")
        if parent is None:
            raise RowProblem(
                "parent",
                _("Unknown Party organisation “%(name)s”: no organisation you can see has this name.")
                % {"name": values["parent"]},
                "unknown_branch",
            )
    if branch is None:
        branch = services.branch_create(
            name=name, kind=fields.pop("kind", Branch.Kind.BRANCH), parent=parent, **fields
        )
        context["branches"][name] = [branch]
        return Outcome("create", label=name, branch=parent.name if parent else "")
    if parent is not None and not (branch.path.startswith(parent.path) and branch.depth == parent.depth + 1):
        raise RowProblem(
            "parent",
            _("An organisation is moved in the tree on its own page, not by an import."),
            "moved",
        )
    changed = changed_columns(BRANCHES, branch, fields, fields)
    if not changed:
        return Outcome("skip")
    services.branch_update(branch=branch, **fields)
    return Outcome("update", label=name, changed=changed)


def _parent_name():
    # A parent's path is the child's less its last step (treebeard's materialised path).
    return Subquery(
        Branch.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Branch.steplen)
        ).values("name")[:1]
    )


def _branch_values(branch: Branch) -> dict:
    return {
        **{field: getattr(branch, field) for field in _BRANCH_FIELDS},
        "name": branch.name,
        "parent": branch.parent_name or "",
        "area": branch.area.name if branch.area_id else "",
    }


BRANCHES = register(
    RecordResource(
        slug="branches",
        verbose_name=gettext_lazy("Party organisations"),
        model=Branch,
        key_field="name",
        key_fields=("name",),
        perms=("branches.add_branch", "branches.change_branch"),
        list_url="branches:branch_list",
        prepare=_prepare_branches,
        apply=_apply_branch,
        queryset=lambda user: (
            visible_branches(user)
            .select_related("area")
            .annotate(parent_name=_parent_name())
            .order_by("path")
        ),
        values_of=_branch_values,
        error_fields={"founded_on": "founded_on", "__all__": "dissolved_on"},
        columns=(
            Column(
                "名称",
                "name",
                _text(120),
                required=True,
                aliases=("党组织名称",),
                example="市城管局离退休干部党支部",
            ),
            Column(
                "类型",
                "kind",
                labelled_choice(
                    BRANCH_KIND_LABELS, {"支部": Branch.Kind.BRANCH, "总支": Branch.Kind.GENERAL_BRANCH}
                ),
                export=label_of(BRANCH_KIND_LABELS),
                example="党支部",
                note=gettext_lazy(
                    "党工委, 党委, 党总支, 党支部, 临时党支部 or 党小组; blank means 党支部 for a new one."
                ),
            ),
            Column(
                "上级党组织",
                "parent",
                _text(120),
                example="市直机关离退休干部党委",
                note=gettext_lazy(
                    "The full name of an organisation you can see, or one named in an earlier row."
                ),
            ),
            Column("所在区域", "area", _text(100), example="锦江区"),
            Column("原单位", "former_unit", _text(120), example="市城管局"),
            Column("成立日期", "founded_on", cleaning.date, export=_date_cell, example=dt.date(2018, 7, 1)),
            Column("撤销日期", "dissolved_on", cleaning.date, export=_date_cell, example=""),
            Column(
                "任期年限",
                "term_years",
                cleaning.integer(3, 5),
                example=3,
                note=gettext_lazy("3 to 5; blank means 3 for a new one."),
            ),
            Column("联络员", "liaison_name", cleaning.max_length(cleaning.name, 50), example="李明"),
            Column(
                "联络员电话", "liaison_phone", cleaning.max_length(cleaning.phone, 20), example="13800001111"
            ),
            Column("联络员单位", "liaison_unit", _text(120), example="市委老干部局"),
        ),
    )
)


# Transfers between branches --------------------------------------------------------------------


def _prepare_transfers(rows, user) -> dict:
    return {
        "branches": branches_named(names_in(rows, "branch"), user),
        "cadres": cadres_numbered((values["id_number"] for _number, values in rows), user),
    }


def _check_name(cadre, values: dict) -> None:
    if values.get("name") and values["name"] != cadre.name:
        raise RowProblem(
            "name",
            _("The name disagrees with the ID number, which is registered as “%(name)s”.")
            % {"name": cadre.name},
            "name_mismatch",
        )


def _apply_transfer(values: dict, context: dict, user) -> Outcome:
    cadre = cadre_numbered(context, values["id_number"])
    _check_name(cadre, values)
    branch = named(context["branches"], values["branch"], "branch", "")
    on = values["joined_on"]
    if on > dt.date.today():
        raise RowProblem(
            "joined_on", _("%(date)s is in the future.") % {"date": on.isoformat()}, "future_date"
        )
    if BranchMembership.objects.filter(cadre=cadre, branch=branch, joined_on=on).exists():
        return Outcome("skip")
    services.membership_transfer(cadre=cadre, branch=branch, on=on)
    return Outcome("create", label=cadre.name, branch=branch.name, id_number=mask_id_number(cadre.id_number))


TRANSFERS = register(
    RecordResource(
        slug="memberships",
        verbose_name=gettext_lazy("Branch transfers"),
        model=BranchMembership,
        key_field="id_number",
        key_fields=("id_number", "branch", "joined_on"),
        perms=("branches.add_branchmembership", "branches.change_branchmembership"),
        list_url="cadres:cadre_list",
        prepare=_prepare_transfers,
        apply=_apply_transfer,
        queryset=lambda user: (
            BranchMembership.objects.filter(branch__in=visible_branches(user))
            .select_related("cadre", "branch")
            .order_by("cadre_id", "joined_on")
        ),
        values_of=lambda membership: {
            "name": membership.cadre.name,
            "id_number": membership.cadre.id_number,
            "branch": membership.branch.name,
            "joined_on": membership.joined_on,
        },
        error_fields={"on": "joined_on", "cadre": "id_number"},
        columns=(
            Column("姓名", "name", cleaning.max_length(cleaning.name, 50), example="王建国"),
            id_number_column(),
            Column(
                "转入党支部",
                "branch",
                _text(120),
                required=True,
                aliases=("所在党支部", "党支部"),
                example="市城管局离退休干部党支部",
            ),
            Column(
                "转入日期",
                "joined_on",
                cleaning.date,
                required=True,
                export=_date_cell,
                example=dt.date(2024, 3, 1),
                note=gettext_lazy(
                    "The cadre leaves their current branch on this day. A row already recorded is skipped."
                ),
            ),
        ),
    )
)
