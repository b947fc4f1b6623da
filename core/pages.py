"""Pages that many views share: a plain form page and a delete confirmation."""

from django.shortcuts import render


def form_page(request, form, *, title: str, back_url: str, back_label: str = ""):
    """Render `form` (crispy, form_tag off) under `title`; Cancel and the breadcrumb go to `back_url`."""
    return render(
        request,
        "form_page.html",
        {"form": form, "title": title, "back_url": back_url, "back_label": back_label},
    )


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
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

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


def list_page(request, template: str, queryset, context: dict):
    """Render one page of `queryset` as `rows`, with the paging and export-link context lists share."""
    from core.pagination import paginate

    page, query_string = paginate(request, queryset)
    return render(
        request,
        template,
        {
            **context,
            "page_obj": page,
            "rows": page.object_list,
            "query_string": query_string,
            "export_query": export_query(request),
        },
    )
