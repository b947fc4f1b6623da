"""The reminders inbox: the user's reminders, and marking one done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.access import require_perm
from core.exports import export_type, table_response
from core.pagination import paginate
from reminders import selectors, services
from reminders.forms import InboxFilterForm
from reminders.models import Reminder


def _label(field_name: str) -> str:
    return capfirst(Reminder._meta.get_field(field_name).verbose_name)


@login_required
def inbox(request):
    require_perm(request.user, "reminders.view_reminder")
    form = InboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.reminders_of(
        user=request.user, rule=filters.get("rule", ""), status=filters.get("status") or "open"
    )
    file_type = export_type(request)
    if file_type:
        rows = (
            (
                r.get_rule_display(),
                r.cadre.name,
                r.occasion_date,
                r.due_on,
                r.done_at.date() if r.done_at else "",
            )
            for r in queryset.iterator(chunk_size=2000)
        )
        headers = [
            _label("rule"),
            _label("cadre"),
            _label("occasion_date"),
            _label("due_on"),
            _label("done_at"),
        ]
        return table_response(
            headers, rows, file_type=file_type, filename=_("reminders"), title=_("Reminders")
        )
    page, query_string = paginate(request, queryset)
    params = request.GET.copy()
    for name in ("page", "per_page", "format"):
        params.pop(name, None)
    return render(
        request,
        "reminders/inbox.html",
        {
            "form": form,
            "page_obj": page,
            "rows": page.object_list,
            "query_string": query_string,
            "export_query": params.urlencode(),
        },
    )


@login_required
def mark_done(request, pk):
    # Scoped first: another user's reminder is not found.
    reminder = get_object_or_404(Reminder.objects.filter(recipient=request.user), pk=pk)
    require_perm(request.user, "reminders.change_reminder")
    if request.method != "POST":
        return redirect("reminders:inbox")
    services.reminder_mark_done(reminder=reminder, user=request.user)
    messages.success(request, _("Reminder marked done."))
    return redirect("reminders:inbox")
