"""Admin pages of care and benefits; every changelist follows the cadre's branch (benefits.scoping)."""

from django.contrib import admin

from benefits.models import (
    CondolenceCampaign,
    CondolenceTarget,
    ContactAssignment,
    ContactLog,
    HealthCheck,
    MedalAward,
    Occasion,
    SanatoriumTrip,
    Visit,
    VisitPhoto,
)
from core.admin import ScopedAdmin
from imports.resources import SheetAdminMixin


@admin.register(Occasion)
class OccasionAdmin(ScopedAdmin):
    branch_field = "cadre__branch"
    list_display = ["cadre", "kind", "occurred_on", "due_on", "recorded_by"]
    list_filter = ["kind", "occurred_on", "due_on"]
    list_select_related = ["cadre", "recorded_by"]
    search_fields = ["cadre__name", "note"]
    autocomplete_fields = ["cadre"]
    raw_id_fields = ["recorded_by"]


class VisitPhotoInline(admin.TabularInline):
    model = VisitPhoto
    extra = 0
    fields = ["image", "thumbnail", "uploaded_by", "uploaded_at"]
    # Photos arrive cleaned through the visit pages (core.images), never raw through here.
    readonly_fields = ["image", "thumbnail", "uploaded_by", "uploaded_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Visit)
class VisitAdmin(SheetAdminMixin, ScopedAdmin):
    import_sheet = "visits"
    branch_field = "cadre__branch"
    list_display = ["cadre", "reason", "visited_on", "visitors", "gift", "condolence_money"]
    list_filter = ["reason", "visited_on"]
    list_select_related = ["cadre"]
    search_fields = ["cadre__name", "visitors", "gift"]
    autocomplete_fields = ["cadre"]
    raw_id_fields = ["occasion", "recorded_by"]
    inlines = [VisitPhotoInline]


@admin.register(ContactAssignment)
class ContactAssignmentAdmin(ScopedAdmin):
    branch_field = "cadre__branch"
    list_display = ["cadre", "staff", "interval_days", "started_on", "ended_on"]
    list_filter = ["ended_on", "started_on"]
    list_select_related = ["cadre", "staff"]
    search_fields = ["cadre__name", "staff__username", "staff__last_name"]
    autocomplete_fields = ["cadre"]
    raw_id_fields = ["staff"]


@admin.register(ContactLog)
class ContactLogAdmin(ScopedAdmin):
    branch_field = "assignment__cadre__branch"
    list_display = ["assignment", "contacted_on", "method"]
    list_filter = ["method", "contacted_on"]
    list_select_related = ["assignment__cadre", "assignment__staff"]
    search_fields = ["assignment__cadre__name", "note"]
    raw_id_fields = ["assignment", "recorded_by"]


@admin.register(CondolenceCampaign)
class CondolenceCampaignAdmin(ScopedAdmin):
    list_display = ["name", "festival", "starts_on", "ends_on", "branch", "area"]
    list_filter = ["festival", "starts_on"]
    list_select_related = ["branch", "area"]
    search_fields = ["name", "branch__name"]
    autocomplete_fields = ["branch", "area"]

    def get_queryset(self, request):
        from benefits.scoping import campaigns_visible

        return campaigns_visible(request.user)


@admin.register(CondolenceTarget)
class CondolenceTargetAdmin(ScopedAdmin):
    branch_field = "cadre__branch"
    list_display = ["campaign", "cadre", "visit", "gift_given_on"]
    list_filter = ["gift_given_on"]
    list_select_related = ["campaign", "cadre", "visit"]
    search_fields = ["cadre__name", "campaign__name"]
    raw_id_fields = ["campaign", "cadre", "visit"]


@admin.register(HealthCheck)
class HealthCheckAdmin(ScopedAdmin):
    branch_field = "cadre__branch"
    list_display = ["cadre", "checked_on", "institution"]
    list_filter = ["checked_on"]
    list_select_related = ["cadre"]
    search_fields = ["cadre__name", "institution"]
    autocomplete_fields = ["cadre"]
    raw_id_fields = ["recorded_by"]


@admin.register(SanatoriumTrip)
class SanatoriumTripAdmin(ScopedAdmin):
    list_display = ["name", "destination", "starts_on", "ends_on", "quota", "branch"]
    list_filter = ["starts_on"]
    list_select_related = ["branch"]
    search_fields = ["name", "destination"]
    autocomplete_fields = ["branch"]
    raw_id_fields = ["participants"]

    def get_queryset(self, request):
        from benefits.scoping import trips_visible

        return trips_visible(request.user)


@admin.register(MedalAward)
class MedalAwardAdmin(ScopedAdmin):
    branch_field = "cadre__branch"
    list_display = ["cadre", "kind", "awarded_on"]
    list_filter = ["kind", "awarded_on"]
    list_select_related = ["cadre"]
    search_fields = ["cadre__name"]
    autocomplete_fields = ["cadre"]
    raw_id_fields = ["recorded_by"]
