"""django-import-export resources for the admin's export: the same Chinese columns and cells
as the staff import reads (imports.specs, imports.records), formula text made inert.

The admin imports through the staff import page, not through these resources. The stock
import validates and saves row by row (about 500 rows a second here: bench/imports.py), keeps
going past bad rows unless told otherwise, speaks the widgets' English errors, and knows
nothing of branch scope or memberships; teaching it all of that would rebuild imports.planning
inside widgets. One import path, the staff page's, is checked, previewed and tested;
`SheetAdminMixin` links the admin's "Import" to it.
"""

import functools

from django.urls import reverse
from import_export import fields, resources
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX

from cadres.models import Cadre
from core.exports import safe_cell
from core.masking import mask_id_number
from imports.records import RecordResource
from imports.registry import resource_for
from imports.specs import CADRE_ROSTER, Resource


class _SheetResource(resources.ModelResource):
    sheet: Resource

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        # Whoever may not see full ID numbers exports them masked, as the lists show them.
        self.full_id_numbers = user is None or user.has_perm("cadres.view_full_id_number")

    def export_field(self, field, instance, **kwargs):
        return field.dehydrate_method(self, instance)

    def filter_export(self, queryset, **kwargs):
        sheet = self.sheet
        if isinstance(sheet, RecordResource) and self.user is not None:
            # The sheet's own query: its lookups and annotations, within the user's scope.
            return sheet.queryset(self.user).filter(pk__in=queryset.values("pk"))
        return queryset.select_related("branch")

    def get_queryset(self):
        if isinstance(self.sheet, RecordResource) and self.user is not None:
            return self.sheet.queryset(self.user)
        return Cadre.objects.select_related("branch")


def _dehydrate(sheet: Resource, index: int):
    column = sheet.columns[index]

    def dehydrate(resource, record):
        if isinstance(sheet, RecordResource):
            value = sheet.export_row(record)[index]
        else:
            value = sheet.export_cell(record, column)
        if column.field == "id_number" and not resource.full_id_numbers:
            value = mask_id_number(value)
        return safe_cell(value)

    return dehydrate


@functools.cache
def resource_class(slug: str) -> type[resources.ModelResource]:
    """The export resource of the sheet `slug`: its headers, in its order, cell for cell."""
    sheet = resource_for(slug)
    names = [f"column_{index}" for index in range(len(sheet.columns))]
    return type(
        f"{sheet.model.__name__}SheetResource",
        (_SheetResource,),
        {
            "__module__": __name__,
            "__doc__": f"{sheet.model.__name__} with Chinese headers, as the {slug!r} import lays it out.",
            "sheet": sheet,
            **{
                name: fields.Field(
                    attribute=None,
                    column_name=column.header,
                    readonly=True,
                    dehydrate_method=_dehydrate(sheet, index),
                )
                for index, (name, column) in enumerate(zip(names, sheet.columns, strict=True))
            },
            "Meta": type(
                "Meta", (), {"model": sheet.model, "fields": tuple(names), "export_order": tuple(names)}
            ),
        },
    )


CadreRosterResource = resource_class(CADRE_ROSTER.slug)


class SheetAdminMixin(ExportMixin):
    """An admin's "Export" in the sheet's layout, and "Import" to the staff import page, which
    checks the whole file before writing anything. Set `import_sheet` to the sheet's slug."""

    import_sheet = ""
    import_export_change_list_template = "imports/admin/change_list.html"

    @property
    def export_formats(self):
        return [XLSX, CSV]

    def get_export_resource_classes(self, request):
        return [resource_class(self.import_sheet)]

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "staff_import_url": f"{reverse('imports:index')}?resource={self.import_sheet}",
        }
        return super().changelist_view(request, extra_context=extra_context)
