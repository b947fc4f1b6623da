from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import visible_branches
from branches.models import Area, Branch
from branches.selectors import branch_compliance
from core.exports import EXPORT_TYPES, export_type, table_response
from core.forms import style_widgets
from core.pagination import paginate
from core.periods import MONTH, parse_period, period_of
from core.trees import tree_choices
from reports.exports import annual_response, scope_label
from reports.forms import AnnualReportForm, OrganisationFilterForm
from reports.selectors import registry_summary
from reports.selectors_annual import annual_organisation_list, annual_report


@login_required
def dashboard(request):
    if request.user.is_team_leader:
        # A team leader sees no registry; their home is their teams' service.
        return redirect("volunteers:summary")
    summary = registry_summary(user=request.user, today=timezone.localdate())
    return render(
        request,
        "reports/dashboard.html",
        {"summary": summary, "chart_data": summary.chart_data()},
    )


class ComplianceForm(forms.Form):
    """The compliance page's parameters, kept in the URL; a bad one falls back to its default."""

    period = forms.CharField(label=gettext_lazy("Period"), required=False, max_length=10)
    root = forms.ModelChoiceField(
        label=gettext_lazy("Party organisation (and below)"), queryset=Branch.objects.none(), required=False
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("Area (and below)"), queryset=Area.objects.all(), required=False
    )
    only = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[
            ("", gettext_lazy("All organisations")),
            ("noncompliant", gettext_lazy("Not compliant only")),
            ("compliant", gettext_lazy("Compliant only")),
        ],
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Order"),
        required=False,
        choices=[
            ("", gettext_lazy("Not compliant first")),
            ("name", gettext_lazy("Name")),
            ("rate", gettext_lazy("Attendance rate, lowest first")),
            ("missing", gettext_lazy("Most activities missing first")),
        ],
    )
    format = forms.ChoiceField(required=False, choices=[("", "")] + [(key, key) for key in EXPORT_TYPES])

    def __init__(self, data, *, user):
        super().__init__(data)
        branches = visible_branches(user)
        self.fields["root"].queryset = branches
        # The top levels of the tree only (a city has thousands of branches), plus the chosen one.
        self.fields["root"].widget.choices = tree_choices(branches, self.data.get("root"))
        self.fields["area"].widget.choices = tree_choices(Area.objects.all(), self.data.get("area"))
        self.fields["period"].widget.attrs.update(placeholder="2026-07", autocomplete="off")
        style_widgets(self)

    def clean_period(self):
        text = self.cleaned_data["period"]
        try:
            return parse_period(text)
        except ValueError:
            # The same message for a year out of range (0000, 9999-12) as for a bad pattern.
            raise ValidationError(
                _("A period is a month (2026-07), a quarter (2026-Q3) or a year (2026).")
            ) from None


@login_required
@permission_required("branches.view_branch", raise_exception=True)
def compliance(request):
    """三会一课: which branches held their required activities in a period, and attendance."""
    current = period_of(MONTH, timezone.localdate())
    data = request.GET.copy()
    if not data.get("period"):
        data["period"] = current.label
    form = ComplianceForm(data, user=request.user)
    form.is_valid()
    # Each parameter that failed validation falls back to its default; the error shows beside it.
    params = form.cleaned_data
    period = params.get("period") or current
    root = params.get("root")
    everything = branch_compliance(user=request.user, period=period, root=root, area=params.get("area"))
    rows = _sorted(everything, params.get("sort", ""))
    if params.get("only") == "noncompliant":
        rows = [row for row in rows if not row.compliant]
    elif params.get("only") == "compliant":
        rows = [row for row in rows if row.compliant]
    # Columns for every required kind in scope, so they stay the same from page to page.
    required = {r.kind.pk: r.kind for row in everything for r in row.requirements}
    kinds = sorted(required.values(), key=lambda kind: (kind.sort_order, kind.pk))
    if params.get("format") in EXPORT_TYPES:
        return _export(rows, kinds, period, params["format"])
    page, query_string = paginate(request, rows)
    export_params = request.GET.copy()
    for name in ("page", "per_page", "format"):
        export_params.pop(name, None)
    present = sum(row.present for row in everything)
    attendance_rows = sum(row.attendance_rows for row in everything)
    compliant = sum(1 for row in everything if row.compliant)
    return render(
        request,
        "reports/compliance.html",
        {
            "form": form,
            "period": period,
            "scope": root or (request.user.branch if request.user.is_branch_secretary else None),
            "kinds": kinds,
            "summary": {
                "branches": len(everything),
                "compliant": compliant,
                "noncompliant": len(everything) - compliant,
                "rate": _percent(present / attendance_rows) if attendance_rows else None,
                "compliant_share": round(100 * compliant / len(everything)) if everything else 0,
            },
            "page_obj": page,
            "rows": [_table_row(row, kinds) for row in page.object_list],
            "query_string": query_string,
            "export_query": export_params.urlencode(),
        },
    )


def _sorted(rows, sort):
    # The selector returns rows in tree order (path); every sort keeps it as the tie-break.
    if sort == "name":
        return sorted(rows, key=lambda row: row.branch.name)
    if sort == "rate":
        # No attendance recorded at all is the lowest rate there is.
        return sorted(rows, key=lambda row: -1 if row.attendance_rate is None else row.attendance_rate)
    if sort == "missing":
        return sorted(rows, key=lambda row: -_missing(row))
    return sorted(rows, key=lambda row: row.compliant)


def _missing(row) -> int:
    return sum(r.missing for r in row.requirements)


def _percent(share: float | None) -> float | None:
    return None if share is None else round(100 * share, 1)


def _table_row(row, kinds) -> dict:
    by_kind = {r.kind.pk: r for r in row.requirements}
    return {
        "branch": row.branch,
        "cells": [(kind, by_kind.get(kind.pk)) for kind in kinds],
        "rate": _percent(row.attendance_rate),
        "compliant": row.compliant,
    }


def _export(rows, kinds, period, file_type: str) -> HttpResponse:
    headers = [capfirst(Branch._meta.verbose_name), capfirst(Branch._meta.get_field("kind").verbose_name)]
    for kind in kinds:
        headers += [_("%(kind)s held") % {"kind": kind.name}, _("%(kind)s needed") % {"kind": kind.name}]
    headers += [_("Activities missing"), _("Attendance rate (%)"), _("Compliant")]
    return table_response(
        headers,
        (_export_row(row, kinds) for row in rows),
        file_type=file_type,
        filename=f"compliance-{period.label}",
        title=period.label,
    )


def _export_row(row, kinds) -> list:
    by_kind = {r.kind.pk: r for r in row.requirements}
    cells = [row.branch.name, row.branch.get_kind_display()]
    for kind in kinds:
        status = by_kind.get(kind.pk)
        cells += [status.held, status.needed] if status else ["", ""]
    rate = _percent(row.attendance_rate)
    return cells + [_missing(row), "" if rate is None else rate, _("Yes") if row.compliant else _("No")]


@login_required
@permission_required("branches.view_branch", raise_exception=True)
def annual(request):
    """The annual report (年度工作总结) for a year and a scope, beside last year; ?format=xlsx or csv."""
    form = AnnualReportForm(request.GET, user=request.user)
    if not form.is_valid():
        # A branch outside the user's scope, or a year not offered: the errors, never figures.
        return render(request, "reports/annual.html", {"form": form, "report": None})
    params = form.cleaned_data
    report = annual_report(
        user=request.user, year=params["year"], scope_branch=params["branch"], scope_area=params["area"]
    )
    if params["format"] in EXPORT_TYPES:
        return annual_response(
            report,
            file_type=params["format"],
            generated_by=request.user.get_full_name() or request.user.get_username(),
        )
    export_params = request.GET.copy()
    export_params.pop("format", None)
    export_params["year"] = report.year
    return render(
        request,
        "reports/annual.html",
        {
            "form": form,
            "report": report,
            "scope_label": scope_label(report),
            "chart_data": report.chart_data(),
            "chart_labels": {"this_year": str(report.year), "last_year": str(report.last_year)},
            "export_query": export_params.urlencode(),
        },
    )


@login_required
@permission_required("branches.view_branch", raise_exception=True)
def annual_organisations(request):
    """Party organisations as the annual report counts them (existing on a day, founded, rated)."""
    form = OrganisationFilterForm(request.GET, user=request.user)
    rating_year = form.cleaned_data.get("rating_year") if form.is_valid() else None
    organisations = form.filter(annual_organisation_list(user=request.user, rating_year=rating_year))
    file_type = export_type(request)
    if file_type:
        return table_response(
            [
                capfirst(Branch._meta.get_field("name").verbose_name),
                capfirst(Branch._meta.get_field("kind").verbose_name),
                capfirst(Branch._meta.get_field("area").verbose_name),
                capfirst(Branch._meta.get_field("founded_on").verbose_name),
                capfirst(Branch._meta.get_field("dissolved_on").verbose_name),
                _("Stars"),
            ],
            (
                [
                    branch.name,
                    branch.get_kind_display(),
                    branch.area.name if branch.area else "",
                    branch.founded_on or "",
                    branch.dissolved_on or "",
                    branch.stars or "",
                ]
                for branch in organisations.iterator(chunk_size=2000)
            ),
            file_type=file_type,
            filename=_("party-organisations"),
            title=_("Party organisations"),
        )
    page, query_string = paginate(request, organisations)
    export_params = request.GET.copy()
    for name in ("page", "per_page", "format"):
        export_params.pop(name, None)
    return render(
        request,
        "reports/annual_organisations.html",
        {
            "form": form,
            "rating_year": rating_year,
            "page_obj": page,
            "rows": page.object_list,
            "query_string": query_string,
            "export_query": export_params.urlencode(),
        },
    )
