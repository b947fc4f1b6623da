from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from branches.models import Area, Branch, BranchMembership, BranchOfficer
from core.admin import ScopedAdmin


@admin.register(Area)
class AreaAdmin(TreeAdmin):
    form = movenodeform_factory(Area)
    list_display = ["name", "kind", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Branch)
class BranchAdmin(ScopedAdmin, TreeAdmin):
    branch_field = ""
    form = movenodeform_factory(Branch)
    list_display = ["name", "kind", "area", "founded_on", "dissolved_on", "liaison_name"]
    list_filter = ["kind", "dissolved_on"]
    list_select_related = ["area"]
    search_fields = ["name", "former_unit", "liaison_name"]
    autocomplete_fields = ["area"]


@admin.register(BranchOfficer)
class BranchOfficerAdmin(ScopedAdmin):
    list_display = ["cadre", "branch", "role", "term_start", "term_end"]
    list_filter = ["role", "term_end"]
    list_select_related = ["cadre", "branch"]
    search_fields = ["cadre__name", "branch__name"]
    autocomplete_fields = ["cadre", "branch"]
    date_hierarchy = "term_end"


@admin.register(BranchMembership)
class BranchMembershipAdmin(ScopedAdmin):
    list_display = ["cadre", "branch", "joined_on", "left_on"]
    list_filter = ["left_on"]
    list_select_related = ["cadre", "branch"]
    search_fields = ["cadre__name", "branch__name"]
    autocomplete_fields = ["cadre", "branch"]
