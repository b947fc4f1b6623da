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
