"""Tables sent as a spreadsheet download: .xlsx or .csv, with formula-looking text made inert."""

from collections.abc import Iterable, Sequence

import tablib
from django.http import HttpResponse
from django.utils.http import content_disposition_header

# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_cell(value):
    """A text cell that a spreadsheet would run as a formula, made plain text with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_type(request) -> str | None:
    """The file type asked for with `?format=xlsx` or `?format=csv`, else None."""
    file_type = request.GET.get("format")
    return file_type if file_type in EXPORT_TYPES else None


def table_response(
    headers: Sequence, rows: Iterable[Sequence], *, file_type: str, filename: str, title: str = ""
) -> HttpResponse:
    """Send `rows` under `headers` as `filename.<file_type>`; `title` names the worksheet."""
    dataset = tablib.Dataset(headers=[safe_cell(str(header)) for header in headers], title=title[:31])
    for row in rows:
        dataset.append([safe_cell(cell) for cell in row])
    content = dataset.export(file_type)
    if file_type == "csv":
        # The byte-order mark makes Excel read the file as UTF-8 rather than the system's GBK.
        content = "\ufeff" + content
    response = HttpResponse(content, content_type=EXPORT_TYPES[file_type])
    # RFC 6266 with a UTF-8 name: Chinese file names arrive intact in every browser.
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{file_type}")
    return response
