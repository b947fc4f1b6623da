from django.contrib import admin

from core.admin import ScopedAdmin
from reminders.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(ScopedAdmin):
    branch_field = "cadre__branch"
    list_display = ["rule", "cadre", "occasion_date", "due_on", "recipient", "done_at"]
    list_filter = ["rule", "due_on", ("done_at", admin.EmptyFieldListFilter)]
    search_fields = ["cadre__name", "recipient__username"]
    list_select_related = ["cadre", "recipient"]
    raw_id_fields = ["cadre", "officer", "recipient", "done_by"]
    date_hierarchy = "due_on"
