from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import user_set_role


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "branch",
        "volunteer_team",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "is_active", "is_staff"]
    list_select_related = ["branch", "volunteer_team"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["branch", "volunteer_team"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Role in the portal"), {"fields": ["role", "branch", "volunteer_team", "phone"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        # The role decides the group: a group picked by hand would drift from the role.
        fieldsets = super().get_fieldsets(request, obj)
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f != "groups"]})
            for name, opts in fieldsets
        ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the form's many-to-many fields, so nothing writes the old groups back.
        user = form.instance
        user_set_role(user=user, role=user.role, branch=user.branch, volunteer_team=user.volunteer_team)
