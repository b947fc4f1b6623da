from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.access import require_perm
from core.forms import add_service_errors
from core.pagination import paginate
from imports import selectors, services
from imports.forms import UploadForm
from imports.readers import max_bytes
from imports.registry import importable_by, resource_for
from imports.services import IMPORT_PERMISSION
from imports.workbook import records_response, template_response


@login_required
def index(request):
    require_perm(request.user, IMPORT_PERMISSION)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"resource": request.GET.get("resource", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_create(
                user=request.user, resource=form.cleaned_data["resource"], upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(job)
    resources = [
        {
            "slug": resource.slug,
            "name": resource.verbose_name,
            "template_url": reverse(f"imports:template_{resource.slug}"),
            "records_url": reverse(f"imports:records_{resource.slug}")
            if getattr(resource, "queryset", None) is not None
            else "",
        }
        for resource in importable_by(request.user)
    ]
    recent = selectors.job_list(user=request.user).filter(uploaded_by=request.user)[:5]
    return render(
        request,
        "imports/index.html",
        {"form": form, "resources": resources, "recent_jobs": recent, "max_bytes": max_bytes()},
    )


@login_required
@require_GET
def template_download(request, resource):
    return template_response(_importable(request.user, resource))


@login_required
@require_GET
def records_download(request, resource):
    """The records the user may see, in the layout the import reads back."""
    return records_response(_importable(request.user, resource), user=request.user)


def _importable(user, slug):
    require_perm(user, IMPORT_PERMISSION)
    resource = resource_for(slug)
    if resource is None:
        raise Http404
    if resource not in importable_by(user):
        raise PermissionDenied
    return resource


@login_required
def job_list(request):
    require_perm(request.user, IMPORT_PERMISSION)
    page, query_string = paginate(request, selectors.job_list(user=request.user))
    return render(
        request,
        "imports/job_list.html",
        {"page_obj": page, "jobs": page.object_list, "query_string": query_string},
    )


@login_required
def job_detail(request, pk):
    job = selectors.job_get(user=request.user, pk=pk)
    require_perm(request.user, IMPORT_PERMISSION)
    counts = [
        (_("To create"), job.create_count, "create"),
        (_("To update"), job.update_count, "update"),
        (_("Unchanged, skipped"), job.skip_count, "skip"),
        (_("Rows with errors"), job.error_count, "error"),
    ]
    return render(
        request,
        "imports/job_detail.html",
        {
            "job": job,
            "counts": counts,
            "stored_errors_capped": job.error_count > len(job.errors),
            "list_url": _list_url(job),
        },
    )


@login_required
def job_progress(request, pk):
    """What the job page polls while a step runs: status, progress and counts, as JSON."""
    job = selectors.job_get(user=request.user, pk=pk)
    require_perm(request.user, IMPORT_PERMISSION)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "running": job.is_running,
            "counts": {
                "create": job.create_count,
                "update": job.update_count,
                "skip": job.skip_count,
                "error": job.error_count,
            },
        }
    )


@login_required
def job_confirm(request, pk):
    job = selectors.job_get(user=request.user, pk=pk)
    require_perm(request.user, IMPORT_PERMISSION)
    if request.method != "POST":
        return redirect(job)
    try:
        services.job_confirm(job=job, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(job)


def _list_url(job) -> str:
    resource = resource_for(job.resource)
    return reverse(getattr(resource, "list_url", "") or "cadres:cadre_list")
