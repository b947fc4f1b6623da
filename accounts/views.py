from auditlog.models import LogEntry
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from accounts import selectors
from accounts.forms import AuditLogFilterForm, LoginForm
from core.pagination import paginate


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
@permission_required("auditlog.view_logentry", raise_exception=True)
def audit_log(request):
    form = AuditLogFilterForm(request.GET or None)
    form.fields["model"].choices = [("", "---------"), *selectors.audited_model_choices()]
    form.fields["action"].choices = [("", "---------"), *LogEntry.Action.choices]
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_log_entries(**{k: v for k, v in filters.items() if v not in (None, "")})
    page, query_string = paginate(request, entries, default_per_page=50)
    return render(
        request,
        "accounts/audit_log.html",
        {"form": form, "page_obj": page, "entries": page.object_list, "query_string": query_string},
    )
