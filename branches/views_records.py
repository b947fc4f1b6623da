"""Pages for a branch's yearly ratings, commendations, alliances, studios and points."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import exports, record_services, selectors
from branches.forms_records import (
    AllianceForm,
    CommendationFilterForm,
    CommendationForm,
    RatingForm,
    StudioFilterForm,
    StudioForm,
)
from branches.views import _year_param
from core.access import require_perm
from core.pages import confirm_delete_page, form_page, list_page, save_form


@login_required
def rating_set(request, pk):
    """A branch's ratings by year, and a form to set one year's rating (it replaces that year's)."""
    branch = selectors.branch_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.change_branchrating")
    ratings = list(selectors.branch_ratings(branch=branch))
    year = _year_param(request, default=timezone.localdate().year)
    current = next((rating for rating in ratings if rating.year == year), None)
    initial = {"year": year}
    if current is not None:
        initial.update(stars=current.stars, titles=current.titles, note=current.note)
    form = RatingForm(request.POST or None, initial=initial)
    return save_form(
        request,
        form,
        save=lambda data: record_services.rating_set(branch=branch, **data),
        success=_("The rating was saved."),
        next_url=reverse("branches:rating_set", kwargs={"pk": branch.pk}),
    ) or render(request, "branches/rating_form.html", {"branch": branch, "ratings": ratings, "form": form})


@login_required
@permission_required("branches.view_commendation", raise_exception=True)
def commendation_list(request):
    form = CommendationFilterForm(request.GET, user=request.user)
    return list_page(
        request,
        "branches/commendation_list.html",
        form.filter(selectors.commendation_list(user=request.user)),
        {"form": form},
        export=exports.commendations_table,
        filename=_("Commendations"),
        rows_name="commendations",
    )


@login_required
def commendation_create(request):
    require_perm(request.user, "branches.add_commendation")
    form = CommendationForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: record_services.commendation_create(**data),
        success=_("The commendation was recorded."),
        next_url="branches:commendation_list",
    ) or form_page(
        request,
        form,
        title=_("Record a commendation"),
        back_url=reverse("branches:commendation_list"),
        back_label=_("Commendations"),
    )


@login_required
def commendation_delete(request, pk):
    commendation = selectors.commendation_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.delete_commendation")
    if request.method != "POST":
        subject = commendation.cadre or commendation.branch
        return confirm_delete_page(
            request,
            question=_("Delete this commendation?"),
            summary=" · ".join(
                str(part)
                for part in (commendation.year, commendation.get_kind_display(), commendation.title, subject)
                if part
            ),
            cancel_url=reverse("branches:commendation_list"),
        )
    record_services.commendation_delete(commendation=commendation)
    messages.success(request, _("The commendation was deleted."))
    return redirect("branches:commendation_list")


@login_required
@permission_required("branches.view_branchalliance", raise_exception=True)
def alliance_list(request):
    return list_page(
        request,
        "branches/alliance_list.html",
        selectors.alliance_list(user=request.user),
        {},
        export=exports.alliances_table,
        filename=_("Branch alliances"),
        rows_name="alliances",
    )


@login_required
def alliance_create(request):
    require_perm(request.user, "branches.add_branchalliance")
    form = AllianceForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: record_services.alliance_create(**data),
        success=_("The alliance was created."),
        next_url="branches:alliance_list",
    ) or form_page(
        request,
        form,
        title=_("Create an alliance"),
        back_url=reverse("branches:alliance_list"),
        back_label=_("Branch alliances"),
    )


@login_required
def alliance_delete(request, pk):
    alliance = selectors.alliance_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.delete_branchalliance")
    if request.method != "POST":
        return confirm_delete_page(
            request,
            question=_("Delete this alliance?"),
            summary=" · ".join([alliance.name, *(branch.name for branch in alliance.branches.all())]),
            note=_("Its branches are kept."),
            cancel_url=reverse("branches:alliance_list"),
        )
    record_services.alliance_delete(alliance=alliance)
    messages.success(request, _("The alliance was deleted."))
    return redirect("branches:alliance_list")


@login_required
@permission_required("branches.view_studio", raise_exception=True)
def studio_list(request):
    form = StudioFilterForm(request.GET, user=request.user)
    return list_page(
        request,
        "branches/studio_list.html",
        form.filter(selectors.studio_list(user=request.user)),
        {"form": form},
        export=exports.studios_table,
        filename=_("Studios"),
        rows_name="studios",
    )


@login_required
def studio_create(request):
    require_perm(request.user, "branches.add_studio")
    form = StudioForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: record_services.studio_create(**data),
        success=lambda studio: _("%(name)s was created.") % {"name": studio.name},
        next_url="branches:studio_list",
    ) or form_page(
        request,
        form,
        title=_("Register a studio"),
        back_url=reverse("branches:studio_list"),
        back_label=_("Studios"),
    )


@login_required
def studio_update(request, pk):
    studio = selectors.studio_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.change_studio")
    form = StudioForm(request.POST or None, instance=studio, user=request.user)
    return save_form(
        request,
        form,
        # A fresh copy: the form has already written its values onto `studio`.
        save=lambda data: record_services.studio_update(
            studio=selectors.studio_get(user=request.user, pk=pk), **data
        ),
        success=_("The changes were saved."),
        next_url="branches:studio_list",
    ) or form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": studio.name},
        back_url=reverse("branches:studio_list"),
        back_label=_("Studios"),
    )


@login_required
@permission_required("branches.view_branch", raise_exception=True)
def branch_points(request, pk):
    """The branch's members with their points for a year, the branch total and the rules in use."""
    branch = selectors.branch_get(user=request.user, pk=pk)
    year = _year_param(request, default=timezone.localdate().year)
    return render(
        request,
        "branches/branch_points.html",
        {
            "branch": branch,
            "year": year,
            "rows": selectors.branch_member_points(branch=branch, year=year),
            "total": record_services.branch_points(branch=branch, year=year),
            "rules": selectors.point_rules_active(),
        },
    )
