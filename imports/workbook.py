"""The roster as an .xlsx: the empty template (headers, and a sheet of notes with a sample row)
and the same layout filled with records, so that what is exported imports again.

The sample row stands on the notes sheet, not under the headers: a template uploaded with
its sample still in place would otherwise register the sample as a cadre.
"""

import datetime as dt
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.exports import EXPORT_TYPES, safe_cell
from imports.specs import Resource

_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_REQUIRED_FONT = Font(bold=True, color="C8161D")
_TEXT_FIELDS = {"id_number", "phone"}


def roster_workbook(resource: Resource, rows: Iterable[list], *, notes: bool = False) -> bytes:
    """`rows` (cells in the order of `resource.headers`) under the headers, as .xlsx bytes.

    Text that a spreadsheet would run as a formula is made inert (core.exports.safe_cell); the
    ID number and phone columns are formatted as text, so Excel keeps every digit typed there.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(resource.verbose_name)[:31]
    sheet.append(resource.headers)
    for index, column in enumerate(resource.columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = _REQUIRED_FONT if column.required else Font(bold=True)
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = 22 if column.field in _TEXT_FIELDS else 14
    sheet.freeze_panes = "A2"
    formats = [_number_format(column.field) for column in resource.columns]
    count = 0
    for row in rows:
        count += 1
        sheet.append([safe_cell(value) if isinstance(value, str) else value for value in row])
        for index, number_format in enumerate(formats, start=1):
            if number_format:
                sheet.cell(row=count + 1, column=index).number_format = number_format
    # Empty rows below keep the text format too, so a typed ID number keeps its digits.
    for extra in range(count + 2, count + 202):
        for index, number_format in enumerate(formats, start=1):
            if number_format == "@":
                sheet.cell(row=extra, column=index).number_format = "@"
    if notes:
        _add_notes(workbook, resource)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _number_format(field: str) -> str:
    if field in _TEXT_FIELDS:
        return "@"
    if field.endswith(("_date", "_on", "_start", "_end")):
        return "yyyy-mm-dd"
    return ""


def _add_notes(workbook: Workbook, resource: Resource) -> None:
    sheet = workbook.create_sheet(_("How to fill in the sheet")[:31])
    sheet.append([_("Column"), _("Required"), _("How to fill it in")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in resource.columns:
        sheet.append([column.header, _("yes") if column.required else "", safe_cell(str(column.note))])
    sheet.append([])
    sheet.append([_("Example")])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    start = sheet.max_row + 1
    sheet.append(resource.headers)
    sheet.append([safe_cell(value) if isinstance(value, str) else value for value in example_row(resource)])
    for index, column in enumerate(resource.columns, start=1):
        number_format = _number_format(column.field)
        if number_format:
            sheet.cell(row=start + 1, column=index).number_format = number_format
    sheet.append([])
    for line in (
        _(
            "Dates may be Excel dates or text such as 2023-7-1, 2023/07/01, 2023.7.1, 2023年7月1日 or 20230701."
        ),
        _("Full-width digits and stray spaces are tolerated."),
        *_matching_notes(resource),
        _("One wrong row stops the whole import: the preview lists every wrong row, and nothing is written."),
    ):
        sheet.append([safe_cell(line)])
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 8
    sheet.column_dimensions["C"].width = 90
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _matching_notes(resource: Resource) -> list[str]:
    """How a row finds the record it updates, and what a blank cell means."""
    if not getattr(resource, "key_fields", ()):
        return [
            _(
                "Each cadre is found by the ID number: a row with a new ID number adds a cadre, a row with a "
                "registered one updates that cadre, and an unchanged row is skipped."
            ),
            _("A blank cell gives a new cadre the default and leaves a registered cadre's value as it is."),
        ]
    return [
        _(
            "Each record is found by %(columns)s: a row with new values there adds a record, a row "
            "matching a recorded one updates it, and an unchanged row is skipped."
        )
        % {"columns": "、".join(resource.header_for(field) for field in resource.key_fields)},
        _("A blank cell gives a new record the default and leaves a recorded value as it is."),
    ]


def example_row(resource: Resource) -> list:
    return [column.example for column in resource.columns]


def template_response(resource: Resource) -> HttpResponse:
    """The empty template of `resource` as a download: headers, and notes with a sample row."""
    filename = _("%(resource)s import template %(date)s.xlsx") % {
        "resource": resource.verbose_name,
        "date": dt.date.today().strftime("%Y%m%d"),
    }
    return _download(roster_workbook(resource, [], notes=True), filename)


def records_response(resource, *, user) -> HttpResponse:
    """The records of `resource` that `user` may see, in the template's layout, as a download:
    corrected and uploaded again, it updates them (imports.records)."""
    from imports.services import records_export

    filename = _("%(resource)s %(date)s.xlsx") % {
        "resource": resource.verbose_name,
        "date": dt.date.today().strftime("%Y%m%d"),
    }
    return _download(records_export(resource=resource, user=user), filename)


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=EXPORT_TYPES["xlsx"])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
