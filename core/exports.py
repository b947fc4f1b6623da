"""Tables sent as a spreadsheet download: .xlsx or .csv, with formula-looking text made inert."""

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from itertools import islice

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Exports read their rows from the database in chunks of this many: memory stays flat however
# many rows a scope holds, and the row count never changes the number of queries.
CHUNK = 2000
# The xlsx columns are sized from the header and this many first rows; the rest are written
# straight out, so a large export is never held cell by cell.
SIZING_ROWS = 200
MAX_COLUMN_WIDTH = 60
PLAIN_TYPES = (str, int, float, Decimal, dt.date, bool)


def safe_cell(value):
    """A text cell that a spreadsheet would run as a formula, made plain text with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def field_label(model, field_name: str) -> str:
    """A column header: the model field's verbose name, translated and capitalised as on the page."""
    return capfirst(model._meta.get_field(field_name).verbose_name)


def column_table(queryset, columns: Sequence[tuple[str, Callable]]):
    """Headers and rows of `queryset` under `columns`, (header, value of an object) pairs.

    The rows are a generator over the queryset read in chunks: pass them to table_response.
    """
    headers = [header for header, _value in columns]
    rows = ([value(obj) for _header, value in columns] for obj in queryset.iterator(chunk_size=CHUNK))
    return headers, rows


def yes_no(value: bool) -> str:
    """A flag as a spreadsheet reader reads it: Yes or No in the user's language."""
    return _("Yes") if value else _("No")


def export_type(request) -> str | None:
    """The file type asked for with `?format=xlsx` or `?format=csv`, else None."""
    file_type = request.GET.get("format")
    return file_type if file_type in EXPORT_TYPES else None


def _plain(value):
    """`value` as a cell both formats take: local wall-clock time, text for anything unusual."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        # Excel has no time zones: a timestamp is written as the bureau's local time.
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value.replace(microsecond=0)
    if not isinstance(value, PLAIN_TYPES):
        value = str(value)
    return safe_cell(value)


def _csv_content(headers: list, rows: Iterable[list]) -> str:
    buffer = io.StringIO()
    # The byte-order mark makes Excel read the file as UTF-8 rather than the system's GBK.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def _xlsx_text(value):
    # XML cannot carry control characters: they are dropped rather than failing the download.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _width(value) -> int:
    # A Chinese character takes two columns of a Latin one.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(value))


def _xlsx_content(headers: list, rows: Iterable[list], title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    rows = iter(rows)
    first = [[_xlsx_text(cell) for cell in row] for row in islice(rows, SIZING_ROWS)]
    for index, header in enumerate(headers, start=1):
        widest = max((_width(row[index - 1]) for row in first if len(row) >= index), default=0)
        width = min(max(_width(header), widest) + 2, MAX_COLUMN_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_xlsx_text(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in first:
        sheet.append(row)
    for row in rows:
        sheet.append([_xlsx_text(cell) for cell in row])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in a sheet's name, and names longer than 31 characters.
    for char in "\\/*?:[]":
        title = title.replace(char, "-")
    return title[:31] or "Sheet1"


def table_response(
    headers: Sequence, rows: Iterable[Sequence], *, file_type: str, filename: str, title: str = ""
) -> HttpResponse:
    """Send `rows` under `headers` as `filename.<file_type>`; `title` names the worksheet.

    `rows` is read once, row by row: pass a generator over a queryset's iterator() and the
    rows are never all in memory as objects.
    """
    headers = [_plain(str(header)) for header in headers]
    cells = ([_plain(cell) for cell in row] for row in rows)
    content = _csv_content(headers, cells) if file_type == "csv" else _xlsx_content(headers, cells, title)
    response = HttpResponse(content, content_type=EXPORT_TYPES[file_type])
    # RFC 6266 with a UTF-8 name: Chinese file names arrive intact in every browser.
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{file_type}")
    return response
