"""Admin pages of outreach; every changelist follows outreach.scoping's rules."""

from django.contrib import admin

from core.admin import ScopedAdmin
from imports.resources import SheetAdminMixin
from outreach.models import Campaign, LectureGroup, LectureGroupMembership, Lecturer, Publicity, TalkEvent
from outreach.scoping import publicity_visible


class MembershipInline(admin.TabularInline):
    model = LectureGroupMembership
    extra = 0
    autocomplete_fields = ["lecturer"]


@admin.register(LectureGroup)
class LectureGroupAdmin(ScopedAdmin):
    branch_field = "branch"
    list_display = ["name", "level", "area", "branch", "founded_on"]
    list_filter = ["level", "founded_on"]
    list_select_related = ["area", "branch"]
    search_fields = ["name", "branch__name", "area__name"]
    autocomplete_fields = ["area", "branch"]
    inlines = [MembershipInline]


@admin.register(LectureGroupMembership)
class LectureGroupMembershipAdmin(ScopedAdmin):
    branch_field = "group__branch"
    list_display = ["lecturer", "group", "joined_on", "left_on"]
    list_filter = ["left_on", "joined_on"]
    list_select_related = ["lecturer__cadre", "group"]
    search_fields = ["lecturer__cadre__name", "group__name"]
    autocomplete_fields = ["lecturer", "group"]


@admin.register(Lecturer)
class LecturerAdmin(ScopedAdmin):
    branch_field = "cadre__branch"
    list_display = ["cadre", "category", "availability", "is_active"]
    list_filter = ["category", "availability", "is_active"]
    list_select_related = ["cadre"]
    search_fields = ["cadre__name"]
    autocomplete_fields = ["cadre"]


@admin.register(TalkEvent)
class TalkEventAdmin(SheetAdminMixin, ScopedAdmin):
    import_sheet = "talks"
    branch_field = "group__branch"
    list_display = [
        "held_on",
        "title",
        "topic",
        "venue_type",
        "group",
        "audience",
        "youth_audience",
        "campaign",
    ]
    list_filter = ["topic", "venue_type", "held_on"]
    list_select_related = ["group", "campaign"]
    search_fields = ["title", "venue_name", "group__name"]
    autocomplete_fields = ["group", "area", "campaign", "lecturers"]
    date_hierarchy = "held_on"
    readonly_fields = ["recorded_by"]


@admin.register(Campaign)
class CampaignAdmin(ScopedAdmin):
    branch_field = "branch"
    list_display = ["name", "starts_on", "ends_on", "area", "branch", "target_lecturers", "target_talks"]
    list_filter = ["starts_on"]
    list_select_related = ["area", "branch"]
    search_fields = ["name"]
    autocomplete_fields = ["area", "branch"]


@admin.register(Publicity)
class PublicityAdmin(ScopedAdmin):
    list_display = ["published_on", "title", "cadre", "branch", "outlet", "level"]
    list_filter = ["level", "published_on"]
    list_select_related = ["cadre", "branch"]
    search_fields = ["title", "outlet", "cadre__name", "branch__name"]
    autocomplete_fields = ["cadre", "branch"]
    date_hierarchy = "published_on"

    def get_queryset(self, request):
        # About a cadre or a branch: seen when either lies in the user's scope.
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset.filter(pk__in=publicity_visible(request.user).values("pk"))
