from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre
from cadres.services import cadre_log_full_id_view
from core import idcard
from core.admin import ScopedAdmin
from core.masking import mask_id_number
from imports.resources import SheetAdminMixin


@admin.register(Cadre)
class CadreAdmin(SheetAdminMixin, ScopedAdmin):
    # Exports the roster with the import's Chinese columns. Importing goes through the staff
    # import page (an "Import" link beside "Export"): its all-or-nothing check and set-based
    # write are what the stock admin import, row by row, does not have (imports.resources).
    import_sheet = "cadres"

    list_display = [
        "name",
        "sex",
        "masked_id_number",
        "birth_date",
        "retirement_type",
        "branch",
        "area",
        "deceased_on",
    ]
    list_filter = ["retirement_type", "sex", "lives_elsewhere", "special_hardship", "rank"]
    list_select_related = ["branch", "area"]
    search_fields = ["name"]
    autocomplete_fields = ["area"]
    readonly_fields = ["branch", "created_at", "updated_at"]

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number)

    def get_exclude(self, request, obj=None):
        # Left out, not masked: a masked value must never be saved back over the real one.
        if request.user.has_perm("cadres.view_full_id_number"):
            return super().get_exclude(request, obj)
        return [*(super().get_exclude(request, obj) or []), "id_number"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("cadres.view_full_id_number"):
            fields.append("masked_id_number")
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # The change form shows the full ID number: each view of it is logged, as in the portal.
        if (
            request.method == "GET"
            and response.status_code == 200
            and request.user.has_perm("cadres.view_full_id_number")
        ):
            cadre_log_full_id_view(cadre=self.get_object(request, object_id))
        return response

    def get_search_results(self, request, queryset, search_term):
        # Prefix and exact matches only: they use the indexes, a contains-search scans a million rows.
        term = idcard.normalize(search_term)
        if not term:
            return queryset, False
        if len(term) == 18:
            return queryset.filter(id_number=term), False
        return queryset.filter(name__startswith=term), False
