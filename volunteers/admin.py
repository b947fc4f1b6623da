"""Admin pages of volunteer service; every changelist passes through volunteers.scoping."""

from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from core.admin import ScopedAdmin
from imports.resources import SheetAdminMixin
from volunteers import scoping
from volunteers.models import (
    ChiefPost,
    MicroWish,
    PatrolArea,
    ServiceProject,
    ServiceRecord,
    ServiceRecordPhoto,
    TeamMembership,
    VolunteerTeam,
)


class VolunteerScopedAdmin(ScopedAdmin):
    """ScopedAdmin (capped pagination, scoped rows) with the volunteers scoping rule for `scope`."""

    @staticmethod
    def scope(user, queryset):
        return scoping.scope_by_team(user, queryset)

    def get_queryset(self, request):
        # Skip ScopedAdmin's branch rule: these rows are scoped by team, post or wish.
        return self.scope(request.user, super(ScopedAdmin, self).get_queryset(request))


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(SheetAdminMixin, VolunteerScopedAdmin, TreeAdmin):
    import_sheet = "volunteer_teams"
    form = movenodeform_factory(VolunteerTeam)
    list_display = ["name", "level", "area", "branch", "leader", "founded_on", "dissolved_on"]
    list_filter = ["level", "dissolved_on"]
    list_select_related = ["area", "branch", "leader"]
    search_fields = ["name"]
    autocomplete_fields = ["area", "branch", "leader"]

    @staticmethod
    def scope(user, queryset):
        return queryset.filter(pk__in=scoping.visible_teams(user).values("pk"))


@admin.register(TeamMembership)
class TeamMembershipAdmin(VolunteerScopedAdmin):
    list_display = ["cadre", "team", "joined_on", "left_on"]
    list_filter = ["left_on"]
    list_select_related = ["cadre", "team"]
    search_fields = ["cadre__name", "team__name"]
    autocomplete_fields = ["cadre", "team"]


@admin.register(ServiceProject)
class ServiceProjectAdmin(VolunteerScopedAdmin):
    list_display = ["name", "team", "started_on", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["team"]
    search_fields = ["name", "team__name"]
    autocomplete_fields = ["team"]


@admin.register(PatrolArea)
class PatrolAreaAdmin(VolunteerScopedAdmin):
    list_display = ["name", "kind", "area"]
    list_filter = ["kind"]
    list_select_related = ["area"]
    search_fields = ["name", "area__name"]
    autocomplete_fields = ["area"]

    @staticmethod
    def scope(user, queryset):
        return queryset.filter(pk__in=scoping.visible_patrol_areas(user).values("pk"))


@admin.register(ChiefPost)
class ChiefPostAdmin(SheetAdminMixin, VolunteerScopedAdmin):
    import_sheet = "chief_posts"
    list_display = ["cadre", "patrol_area", "team", "appointed_on", "ended_on"]
    list_filter = ["patrol_area__kind", "ended_on"]
    list_select_related = ["cadre", "patrol_area", "team"]
    search_fields = ["cadre__name", "patrol_area__name"]
    autocomplete_fields = ["cadre", "patrol_area", "team"]

    @staticmethod
    def scope(user, queryset):
        return scoping.scope_chief_posts(user, queryset)


class ServiceRecordPhotoInline(admin.TabularInline):
    model = ServiceRecordPhoto
    extra = 0
    fields = ["image", "thumbnail", "uploaded_by", "uploaded_at"]
    readonly_fields = ["image", "thumbnail", "uploaded_by", "uploaded_at"]

    # Photos arrive cleaned through the service-record pages (core.images), never raw through here.
    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ServiceRecord)
class ServiceRecordAdmin(SheetAdminMixin, VolunteerScopedAdmin):
    import_sheet = "service_records"
    list_display = ["served_on", "kind", "team", "chief_post", "hours", "problems_found", "problems_resolved"]
    list_filter = ["kind", "served_on"]
    list_select_related = ["team", "chief_post", "chief_post__cadre", "chief_post__patrol_area"]
    search_fields = ["team__name", "chief_post__cadre__name", "chief_post__patrol_area__name", "notes"]
    autocomplete_fields = ["team", "chief_post", "project", "recorded_by"]
    date_hierarchy = "served_on"
    inlines = [ServiceRecordPhotoInline]

    @staticmethod
    def scope(user, queryset):
        return scoping.scope_service_records(user, queryset)


@admin.register(MicroWish)
class MicroWishAdmin(VolunteerScopedAdmin):
    list_display = ["wish", "beneficiary", "status", "posted_on", "claimed_on", "fulfilled_on"]
    list_filter = ["status", "posted_on"]
    list_select_related = ["beneficiary"]
    search_fields = ["wish", "beneficiary__name"]
    autocomplete_fields = [
        "beneficiary",
        "area",
        "claimed_by_branch",
        "claimed_by_team",
        "claimed_by_cadre",
        "posted_by",
        "claimed_by_user",
    ]
    date_hierarchy = "posted_on"

    @staticmethod
    def scope(user, queryset):
        return scoping.scope_wishes(user, queryset)
