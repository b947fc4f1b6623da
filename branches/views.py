from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import exports, record_services, selectors, services
from branches.forms import (
    ActivityFilterForm,
    ActivityForm,
    ActivityUpdateForm,
    BranchForm,
    BranchSearchForm,
    DuesForm,
    OfficerForm,
)
from cadres.exports import members_table
from core.access import require_perm
from core.forms import add_service_errors
from core.images import PhotoUploadForm
from core.pages import (
    add_photos_page,
    confirm_delete_page,
    export_query,
    export_response,
    list_page,
    save_form,
)
from core.periods import MONTH, QUARTER, period_of


@login_required
@permission_required("branches.view_branch", raise_exception=True)
def branch_list(request):
    form = BranchSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    # The page opens the top levels of the tree; its spreadsheet holds every level below them.
    download = export_response(
        request,
        selectors.branch_tree(user=request.user, query=query, all_levels=True),
        export=exports.branches_table,
        filename=_("Party organisations"),
    )
    if download is not None:
        return download
    branches = list(selectors.branch_tree(user=request.user, query=query))
    # Indent from the top level this user sees, not from the root of the whole tree.
    top_depth = min((b.depth for b in branches), default=1)
    return render(
        request,
        "branches/branch_list.html",
        {
            "branches": branches,
            "query": query,
            "indent_offset": 1 - top_depth,
            "export_query": export_query(request),
        },
    )


@login_required
@permission_required("branches.view_branch", raise_exception=True)
def branch_detail(request, pk):
    branch = selectors.branch_get(user=request.user, pk=pk)
    # The page's list is the branch's members: its export links download them.
    return list_page(
        request,
        "branches/branch_detail.html",
        selectors.branch_members(branch=branch),
        {
            "branch": branch,
            "ancestors": selectors.branch_ancestors(user=request.user, branch=branch),
            "honours": selectors.branch_honours(branch=branch),
            "children": selectors.branch_children(branch=branch),
            "officers": selectors.branch_officers(branch=branch),
        },
        export=members_table,
        filename=f"{branch.name}-{_('Members')}",
        rows_name="members",
    )


@login_required
def branch_create_child(request, pk):
    parent = selectors.branch_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.add_branch")
    form = BranchForm(request.POST or None, initial={"area": parent.area_id})
    return save_form(
        request,
        form,
        save=lambda data: services.branch_create(parent=parent, **data),
        success=lambda branch: _("%(name)s was created.") % {"name": branch.name},
    ) or render(request, "branches/branch_form.html", {"form": form, "parent": parent})


@login_required
def branch_update(request, pk):
    branch = selectors.branch_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.change_branch")
    form = BranchForm(request.POST or None, instance=branch)
    return save_form(
        request,
        form,
        save=lambda data: services.branch_update(
            branch=selectors.branch_get(user=request.user, pk=pk), **data
        ),
        success=_("The changes were saved."),
        next_url=branch,
    ) or render(request, "branches/branch_form.html", {"form": form, "branch": branch})


@login_required
def officer_create(request, pk):
    branch = selectors.branch_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.add_branchofficer")
    form = OfficerForm(request.POST or None, branch=branch)
    return save_form(
        request,
        form,
        save=lambda data: services.officer_appoint(branch=branch, **data),
        success=_("The officer was appointed."),
        next_url=branch,
    ) or render(request, "branches/officer_form.html", {"form": form, "branch": branch})


@login_required
@permission_required("branches.view_activity", raise_exception=True)
def activity_list(request):
    form = ActivityFilterForm(request.GET, user=request.user)
    return list_page(
        request,
        "branches/activity_list.html",
        form.filter(selectors.activity_list(user=request.user)),
        {"form": form},
        export=exports.activities_table,
        filename=_("Branch activities"),
        rows_name="activities",
    )


@login_required
def activity_create(request, pk):
    branch = selectors.branch_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.add_activity")
    members = services.branch_members_on(branch=branch, day=timezone.localdate())
    form = ActivityForm(request.POST or None, request.FILES or None, user=request.user, members=members)

    def save(data):
        # Together or not at all: an activity is never left without the photos sent with it.
        with transaction.atomic():
            activity = services.activity_record(
                branch=branch,
                attendance=form.attendance(),
                created_by=request.user,
                **form.activity_fields(),
            )
            services.activity_add_photos(activity=activity, files=data["photos"], uploaded_by=request.user)
        return activity

    return save_form(request, form, save=save, success=_("The activity was recorded.")) or render(
        request, "branches/activity_form.html", {"form": form, "branch": branch}
    )


@login_required
@permission_required("branches.view_activity", raise_exception=True)
def activity_detail(request, pk):
    activity = selectors.activity_get(user=request.user, pk=pk)
    attendance = list(selectors.activity_attendance(activity=activity))
    present = sum(1 for row in attendance if row.status == "present")
    return render(
        request,
        "branches/activity_detail.html",
        {
            "activity": activity,
            "attendance": attendance,
            "present": present,
            "rate": present / len(attendance) if attendance else None,
            "photos": activity.photos.all(),
            "photo_form": PhotoUploadForm(),
        },
    )


@login_required
def activity_update(request, pk):
    """Correct a recorded activity: its details and each member's attendance."""
    activity = selectors.activity_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.change_activity")
    form = ActivityUpdateForm(
        request.POST or None,
        instance=activity,
        user=request.user,
        attendance_rows=selectors.activity_attendance(activity=activity),
    )
    return save_form(
        request,
        form,
        save=lambda data: services.activity_update(
            activity=activity, attendance=form.attendance(), **form.activity_fields()
        ),
        success=_("The changes were saved."),
        next_url=activity,
    ) or render(
        request,
        "branches/activity_form.html",
        {"form": form, "branch": activity.branch, "activity": activity},
    )


@login_required
def activity_add_photos(request, pk):
    activity = selectors.activity_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.change_activity")
    return add_photos_page(
        request,
        target=activity,
        save=lambda files: services.activity_add_photos(
            activity=activity, files=files, uploaded_by=request.user
        ),
    )


@login_required
def activity_delete(request, pk):
    activity = selectors.activity_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.delete_activity")
    if request.method != "POST":
        return confirm_delete_page(
            request,
            question=_("Delete this activity?"),
            summary=f"{activity.held_on:%Y-%m-%d} · {activity.kind.name} · {activity.topic}",
            note=_("Its attendance and photos are deleted with it."),
            cancel_url=activity.get_absolute_url(),
        )
    branch = activity.branch
    services.activity_delete(activity=activity)
    messages.success(request, _("The activity was deleted."))
    return redirect(branch)


@login_required
def my_branch(request):
    """The secretary's workspace (我的支部): members, this month's and quarter's duties, recent records."""
    if not request.user.branch_id:
        return redirect("branches:branch_list")
    branch = selectors.branch_get(user=request.user, pk=request.user.branch_id)
    today = timezone.localdate()
    # This month's duties are shown held or not; the quarter's as held / needed.
    duties = [
        {
            "key": key,
            "title": title,
            "period": period,
            "row": _row_for(
                selectors.branch_compliance(user=request.user, period=period, root=branch), branch
            ),
        }
        for key, title, period in (
            ("month", _("This month"), period_of(MONTH, today)),
            ("quarter", _("This quarter"), period_of(QUARTER, today)),
        )
    ]
    return render(
        request,
        "branches/my_branch.html",
        {
            "branch": branch,
            "duties": duties,
            "member_count": selectors.branch_members(branch=branch).count(),
            "recent": selectors.activity_list(user=request.user).filter(branch=branch)[:10],
        },
    )


def _row_for(rows, branch):
    return next((row for row in rows if row.branch.pk == branch.pk), None)


@login_required
def dues_ledger(request, pk):
    """A branch's dues ledger for a year: who owes which months, what was received, a payment form."""
    branch = selectors.branch_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.view_duespayment")
    today = timezone.localdate()
    year = _year_param(request, default=today.year)
    members = services.branch_members_on(branch=branch, day=today)
    form = DuesForm(request.POST or None, members=members)
    if request.method == "POST":
        require_perm(request.user, "branches.add_duespayment")
        if form.is_valid():
            try:
                record_services.dues_record(branch=branch, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The payment was recorded."))
                return redirect(f"{request.path}?year={year}")
    arrears = record_services.dues_arrears(branch=branch, year=year, today=today)
    payments, total = selectors.dues_payments(branch=branch, year=year)
    return render(
        request,
        "branches/dues_ledger.html",
        {
            "branch": branch,
            "year": year,
            "rows": [(cadre, arrears.get(cadre.pk, [])) for cadre in members],
            "payments": payments,
            "total": total,
            "form": form,
        },
    )


def _year_param(request, *, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 1949 <= year <= default + 1 else default
