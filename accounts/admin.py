from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import user_set_role


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "branch", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    list_select_related = ["branch"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["branch"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Role in the portal"), {"fields": ["role", "branch", "phone"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Keep the role's group in step with the role chosen here.
        user_set_role(user=obj, role=obj.role, branch=obj.branch)
