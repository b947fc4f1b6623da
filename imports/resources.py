"""The django-import-export resource of the cadre roster, for the admin's export: the same
Chinese columns and cells as the staff import reads (imports.specs), formula text made inert.

The admin imports through the staff import page, not through this resource. The stock
import validates and saves row by row (about 500 rows a second here: bench/imports.py), keeps
going past bad rows unless told otherwise, speaks the widgets' English errors, and knows
nothing of branch scope or memberships; teaching it all of that would rebuild imports.planning
inside widgets. One import path, the staff page's, is checked, previewed and tested.
"""

from import_export import fields, resources

from cadres.models import Cadre
from core.exports import safe_cell
from core.masking import mask_id_number
from imports.specs import CADRE_ROSTER


def _dehydrate(column):
    def dehydrate(resource, cadre):
        value = CADRE_ROSTER.export_cell(cadre, column)
        if column.field == "id_number" and not resource.full_id_numbers:
            value = mask_id_number(value)
        return safe_cell(value)

    return dehydrate


class _RosterResource(resources.ModelResource):
    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        # Whoever may not see full ID numbers exports them masked, as the lists show them.
        self.full_id_numbers = user is None or user.has_perm("cadres.view_full_id_number")

    def export_field(self, field, instance, **kwargs):
        return field.dehydrate_method(self, instance)

    def get_queryset(self):
        return Cadre.objects.select_related("branch")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("branch")


CadreRosterResource = type(
    "CadreRosterResource",
    (_RosterResource,),
    {
        "__module__": __name__,
        "__doc__": "The cadre roster with Chinese headers, as imports.specs.CADRE_ROSTER lays it out.",
        **{
            column.field: fields.Field(
                attribute=column.field,
                column_name=column.header,
                readonly=True,
                dehydrate_method=_dehydrate(column),
            )
            for column in CADRE_ROSTER.columns
        },
        "Meta": type(
            "Meta",
            (),
            {
                "model": Cadre,
                "fields": tuple(column.field for column in CADRE_ROSTER.columns),
                "export_order": tuple(column.field for column in CADRE_ROSTER.columns),
                "import_id_fields": ("id_number",),
            },
        ),
    },
)
