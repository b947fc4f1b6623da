from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from branches import selectors, services
from branches.forms import BranchForm, BranchSearchForm, OfficerForm
from core.access import require_perm
from core.forms import add_service_errors
from core.pagination import paginate


@login_required
@permission_required("branches.view_branch", raise_exception=True)
def branch_list(request):
    form = BranchSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    branches = list(selectors.branch_tree(user=request.user, query=query))
    # Indent from the top level this user sees, not from the root of the whole tree.
    top_depth = min((b.depth for b in branches), default=1)
    return render(
        request,
        "branches/branch_list.html",
        {"branches": branches, "query": query, "indent_offset": 1 - top_depth},
    )


@login_required
@permission_required("branches.view_branch", raise_exception=True)
def branch_detail(request, pk):
    branch = selectors.branch_get(user=request.user, pk=pk)
    page, query_string = paginate(request, selectors.branch_members(branch=branch))
    return render(
        request,
        "branches/branch_detail.html",
        {
            "branch": branch,
            "ancestors": selectors.branch_ancestors(user=request.user, branch=branch),
            "children": selectors.branch_children(branch=branch),
            "officers": selectors.branch_officers(branch=branch),
            "page_obj": page,
            "members": page.object_list,
            "query_string": query_string,
        },
    )


@login_required
def branch_create_child(request, pk):
    parent = selectors.branch_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.add_branch")
    form = BranchForm(request.POST or None, initial={"area": parent.area_id})
    if request.method == "POST" and form.is_valid():
        try:
            branch = services.branch_create(parent=parent, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": branch.name})
            return redirect(branch)
    return render(request, "branches/branch_form.html", {"form": form, "parent": parent})


@login_required
def branch_update(request, pk):
    branch = selectors.branch_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.change_branch")
    form = BranchForm(request.POST or None, instance=branch)
    if request.method == "POST" and form.is_valid():
        try:
            services.branch_update(branch=selectors.branch_get(user=request.user, pk=pk), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(branch)
    return render(request, "branches/branch_form.html", {"form": form, "branch": branch})


@login_required
def officer_create(request, pk):
    branch = selectors.branch_get(user=request.user, pk=pk)
    require_perm(request.user, "branches.add_branchofficer")
    form = OfficerForm(request.POST or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_appoint(branch=branch, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The officer was appointed."))
            return redirect(branch)
    return render(request, "branches/officer_form.html", {"form": form, "branch": branch})
