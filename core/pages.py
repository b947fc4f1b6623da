"""Pages that many views share: a list with its export, a form page and its saving, a delete confirmation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.exports import export_type, table_response
from core.forms import add_service_errors
from core.pagination import paginate


def form_page(request, form, *, title: str, back_url: str, back_label: str = ""):
    """Render `form` (crispy, form_tag off) under `title`; Cancel and the breadcrumb go to `back_url`."""
    return render(
        request,
        "form_page.html",
        {"form": form, "title": title, "back_url": back_url, "back_label": back_label},
    )


def save_form(request, form, *, save, success, next_url=None):
    """Save a valid POSTed `form` through its service: the redirect to answer, or None to show the form.

    `save(form.cleaned_data)` calls the service and returns what it saved. A ValidationError it
    raises is shown on the form, beside the fields it names, and the answer is None, as for a GET or
    an invalid form: the caller then renders its page with the form, so
    `return save_form(...) or form_page(...)`. Otherwise `success` (a message, or a function of the
    saved object giving one) is shown and the redirect goes to `next_url` (what `redirect` takes, or
    a function of the saved object giving it), by default to the saved object itself.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, success(saved) if callable(success) else success)
    if next_url is None:
        return redirect(saved)
    return redirect(next_url(saved) if callable(next_url) else next_url)


def confirm_delete_page(request, *, question: str, summary: str, cancel_url: str, note: str = ""):
    """Ask `question` about the object described by `summary`; the POST goes back to the same URL."""
    return render(
        request,
        "confirm_delete.html",
        {"question": question, "summary": summary, "note": note, "cancel_url": cancel_url},
    )


def add_photos_page(request, *, target, save):
    """Take the photos POSTed for `target` and go back to it with a message.

    `save(files)` stores them (a service that refuses bad files with a ValidationError);
    a GET just goes back, so the upload form lives on the target's own page.
    """
    from core.images import PhotoUploadForm

    if request.method == "POST":
        form = PhotoUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        else:
            try:
                save(form.cleaned_data["photos"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The photos were added."))
    return redirect(target)


def export_query(request) -> str:
    """The list's filters as a query string, without paging or format: what the export links keep."""
    params = request.GET.copy()
    for name in ("page", "per_page", "format"):
        params.pop(name, None)
    return params.urlencode()


def export_response(request, rows, *, export, filename: str, title: str = ""):
    """The spreadsheet of `rows` when the request asks for one (`?format=xlsx|csv`), else None.

    `export(rows, user=...)` returns (headers, row iterator): the columns the page shows, masked
    for `user` as the page masks them. `rows` is the page's own queryset, scoped and filtered,
    so the file holds every page of exactly what the list shows.
    """
    file_type = export_type(request)
    if file_type is None:
        return None
    headers, table = export(rows, user=request.user)
    return table_response(headers, table, file_type=file_type, filename=filename, title=title or filename)


def list_page(
    request,
    template: str,
    queryset,
    context: dict,
    *,
    export=None,
    filename: str = "",
    rows_name: str = "rows",
    per_page: int = 20,
):
    """One page of `queryset` rendered as `rows_name`, with the paging and export-link context lists
    share; with `export` given, `?format=xlsx|csv` answers the whole list as a spreadsheet instead."""
    if export is not None:
        response = export_response(request, queryset, export=export, filename=filename)
        if response is not None:
            return response
    page, query_string = paginate(request, queryset, default_per_page=per_page)
    return render(
        request,
        template,
        {
            **context,
            "page_obj": page,
            rows_name: page.object_list,
            "query_string": query_string,
            "export_query": export_query(request),
        },
    )
