from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from reports.selectors import registry_summary


@login_required
def dashboard(request):
    summary = registry_summary(user=request.user, today=timezone.localdate())
    return render(
        request,
        "reports/dashboard.html",
        {"summary": summary, "chart_data": summary.chart_data()},
    )
