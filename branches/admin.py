from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from branches import services
from branches.models import Activity, ActivityKind, Area, Attendance, Branch, BranchMembership, BranchOfficer
from core.admin import ScopedAdmin
from imports.resources import SheetAdminMixin


@admin.register(Area)
class AreaAdmin(TreeAdmin):
    form = movenodeform_factory(Area)
    list_display = ["name", "kind", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Branch)
class BranchAdmin(SheetAdminMixin, ScopedAdmin, TreeAdmin):
    import_sheet = "branches"
    branch_field = ""
    form = movenodeform_factory(Branch)
    list_display = ["name", "kind", "area", "founded_on", "dissolved_on", "liaison_name"]
    list_filter = ["kind", "dissolved_on"]
    list_select_related = ["area"]
    search_fields = ["name", "former_unit", "liaison_name"]
    autocomplete_fields = ["area"]


@admin.register(BranchOfficer)
class BranchOfficerAdmin(SheetAdminMixin, ScopedAdmin):
    import_sheet = "officers"
    list_display = ["cadre", "branch", "role", "term_start", "term_end"]
    list_filter = ["role", "term_end"]
    list_select_related = ["cadre", "branch"]
    search_fields = ["cadre__name", "branch__name"]
    autocomplete_fields = ["cadre", "branch"]
    date_hierarchy = "term_end"


@admin.register(BranchMembership)
class BranchMembershipAdmin(SheetAdminMixin, ScopedAdmin):
    import_sheet = "memberships"
    list_display = ["cadre", "branch", "joined_on", "left_on"]
    list_filter = ["left_on"]
    list_select_related = ["cadre", "branch"]
    search_fields = ["cadre__name", "branch__name"]
    autocomplete_fields = ["cadre", "branch"]


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "frequency", "held_by", "sort_order", "is_active"]
    list_filter = ["frequency", "held_by", "is_active"]
    search_fields = ["name", "code"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["cadre"]


@admin.register(Activity)
class ActivityAdmin(SheetAdminMixin, ScopedAdmin):
    import_sheet = "activities"
    list_display = ["held_on", "kind", "topic", "branch", "created_by"]
    list_filter = ["kind", "held_on"]
    list_select_related = ["kind", "branch", "created_by"]
    search_fields = ["topic", "branch__name"]
    autocomplete_fields = ["branch"]
    date_hierarchy = "held_on"
    inlines = [AttendanceInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Attendance edited here must reach the tallies the compliance figures sum.
        services.activity_tally(activity=form.instance)


from branches import admin_records  # noqa: E402,F401
