from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from branches.services import membership_transfer
from cadres import selectors, services
from cadres.exports import cadres_table
from cadres.filters import CadreFilter
from cadres.forms import CadreCreateForm, CadreForm, CadreTransferForm
from core.access import require_perm
from core.exports import EXPORT_TYPES
from core.pages import list_page, save_form


@login_required
@permission_required("cadres.view_cadre", raise_exception=True)
def cadre_list(request):
    cadre_filter = CadreFilter(
        request.GET or None, queryset=selectors.cadre_list(user=request.user), request=request
    )
    return list_page(
        request,
        "cadres/cadre_list.html",
        cadre_filter.qs,
        {"filter": cadre_filter},
        export=cadres_table,
        filename=_("Cadre registry"),
        rows_name="cadres",
    )


@login_required
@permission_required("cadres.view_cadre", raise_exception=True)
@require_GET
def cadre_roster_export(request):
    """The list as filtered, in the roster import's layout with full ID numbers; each download logged."""
    require_perm(request.user, services.FULL_ID_PERMISSION)
    cadre_filter = CadreFilter(
        request.GET or None, queryset=selectors.cadre_roster(user=request.user), request=request
    )
    cadres = cadre_filter.qs  # validates the filter: its cleaned data is what it applied
    content = services.cadre_roster_export(
        user=request.user, cadres=cadres, filters=cadre_filter.form.cleaned_data
    )
    response = HttpResponse(content, content_type=EXPORT_TYPES["xlsx"])
    filename = _("Cadre roster for re-import %(date)s.xlsx") % {
        "date": timezone.localdate().strftime("%Y%m%d")
    }
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@permission_required("cadres.view_cadre", raise_exception=True)
def cadre_detail(request, pk):
    cadre = selectors.cadre_get(user=request.user, pk=pk)
    reveal_id = request.GET.get("reveal") == "id_number" and request.user.has_perm(
        "cadres.view_full_id_number"
    )
    if reveal_id:
        services.cadre_log_full_id_view(cadre=cadre)
    return render(
        request,
        "cadres/cadre_detail.html",
        {
            "cadre": cadre,
            "reveal_id": reveal_id,
            "memberships": selectors.cadre_memberships(cadre=cadre),
            "officer_posts": selectors.cadre_officer_posts(cadre=cadre),
            "transfer_form": CadreTransferForm(user=request.user),
        },
    )


@login_required
@permission_required("cadres.add_cadre", raise_exception=True)
def cadre_create(request):
    form = CadreCreateForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.cadre_create(**data),
        success=lambda cadre: _("%(name)s was added to the registry.") % {"name": cadre.name},
    ) or render(request, "cadres/cadre_form.html", {"form": form})


@login_required
def cadre_update(request, pk):
    cadre = selectors.cadre_get(user=request.user, pk=pk)
    require_perm(request.user, "cadres.change_cadre")
    form = CadreForm(request.POST or None, instance=cadre, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.cadre_update(
            cadre=selectors.cadre_get(user=request.user, pk=pk), **{name: data[name] for name in form.fields}
        ),
        success=_("The changes were saved."),
        next_url=cadre,
    ) or render(request, "cadres/cadre_form.html", {"form": form, "cadre": cadre})


@login_required
def cadre_transfer(request, pk):
    cadre = selectors.cadre_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.add_branchmembership")
    if request.method != "POST":
        return redirect(cadre)
    form = CadreTransferForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            membership_transfer(cadre=cadre, branch=form.cleaned_data["branch"], on=form.cleaned_data["on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s now belongs to %(branch)s.")
                % {"name": cadre.name, "branch": form.cleaned_data["branch"]},
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(cadre)
