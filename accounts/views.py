from auditlog.models import LogEntry
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.utils.translation import gettext as _

from accounts import selectors
from accounts.exports import audit_log_table
from accounts.forms import AuditLogFilterForm, LoginForm
from core.pages import list_page


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
    return list_page(
        request,
        "accounts/audit_log.html",
        entries,
        {"form": form},
        export=audit_log_table,
        filename=_("Audit log"),
        rows_name="entries",
        per_page=50,
    )
