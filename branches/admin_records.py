"""Admin pages of a branch's records; imported by branches.admin, which Django autodiscovers."""

from django.contrib import admin

from branches.records import BranchAlliance, BranchRating, Commendation, DuesPayment, PointRule, Studio
from core.admin import ScopedAdmin


@admin.register(DuesPayment)
class DuesPaymentAdmin(ScopedAdmin):
    branch_field = "branch"
    list_display = ["cadre", "branch", "kind", "month", "amount", "paid_on"]
    list_filter = ["kind", "paid_on"]
    list_select_related = ["cadre", "branch"]
    search_fields = ["cadre__name", "branch__name"]
    autocomplete_fields = ["cadre", "branch"]
    date_hierarchy = "paid_on"


@admin.register(BranchRating)
class BranchRatingAdmin(ScopedAdmin):
    branch_field = "branch"
    list_display = ["branch", "year", "stars", "titles"]
    list_filter = ["year", "stars"]
    list_select_related = ["branch"]
    search_fields = ["branch__name"]
    autocomplete_fields = ["branch"]


@admin.register(Commendation)
class CommendationAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "title", "branch", "cadre", "issuing_body"]
    list_filter = ["year", "kind"]
    list_select_related = ["branch", "cadre"]
    search_fields = ["title", "issuing_body", "branch__name", "cadre__name"]
    autocomplete_fields = ["branch", "cadre"]


@admin.register(BranchAlliance)
class BranchAllianceAdmin(admin.ModelAdmin):
    list_display = ["name", "founded_on"]
    list_filter = ["founded_on"]
    search_fields = ["name", "branches__name"]
    autocomplete_fields = ["branches"]


@admin.register(Studio)
class StudioAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "community", "run_by", "founded_on"]
    list_filter = ["founded_on"]
    list_select_related = ["area", "run_by"]
    search_fields = ["name", "community", "run_by__name"]
    autocomplete_fields = ["area", "run_by"]


@admin.register(PointRule)
class PointRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "source", "points", "is_active"]
    list_filter = ["source", "is_active"]
    search_fields = ["name", "code"]
