"""Reading an uploaded spreadsheet (.xlsx, .xls, .csv) into numbered rows, refusing what is unsafe.

`read_table` is the one entry point. It checks the size, sniffs the real format from the
first bytes (an ".xls" is often an .xlsx renamed, or an HTML page an old system saved), and
for an .xlsx inspects the zip before python-calamine parses it: an absurd uncompressed size
or compression ratio (a zip bomb) and any DOCTYPE or ENTITY declaration (an XML bomb, or an
external entity) refuse the file. CSV is read as UTF-8 (with or without a byte-order mark),
else as GB18030, the superset of the GBK that Chinese Excel saves by default.

Formula cells are never evaluated here. In an .xlsx the formula's text is read from the sheet
XML and takes the cell's place ("=1+2", kept as text); python-calamine alone would give the
value Excel cached, or nothing when no value was cached. An .xls holds formulas in a binary
form, so there the cached value is what is read.
"""

import codecs
import csv
import dataclasses
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from posixpath import dirname, join, normpath
from xml.sax.saxutils import unescape

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, PasswordError

EXTENSIONS = (".xlsx", ".xls", ".csv")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A zip member this small cannot be a bomb whatever its ratio; above it the ratio is checked.
_RATIO_FLOOR_BYTES = 1024 * 1024
_MAX_ZIP_MEMBERS = 2000
_CHUNK = 1024 * 1024
_SPREADSHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_FORMULA = re.compile(rb"<f(\s[^>]*)?(?:/>|>([^<]*)</f>)")
_CELL_REF = re.compile(rb'<c\s[^>]*?\br="([A-Z]{1,3})([0-9]+)"')
_SHARED_INDEX = re.compile(rb'\bsi="([0-9]+)"')
_XML_ENTITIES = {"&quot;": '"', "&apos;": "'"}


class FileRefused(Exception):
    """The file cannot be read as a table; the message says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclasses.dataclass
class Table:
    """The first worksheet of a file: its header row and an iterator over the rows below it.

    Row numbers are the ones the user sees in Excel (the header is usually row 1).
    """

    header: list
    header_row: int
    rows: Iterator[tuple[int, list]]
    row_count: int


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def check_upload(*, name: str, size: int) -> None:
    """Refuse an upload by its name and size alone, before anything of it is read."""
    if not name.lower().endswith(EXTENSIONS):
        raise FileRefused(
            _("Only .xlsx, .xls and .csv files can be imported; “%(name)s” is none of these.")
            % {"name": name}
        )
    if size == 0:
        raise FileRefused(_("The file is empty."))
    if size > max_bytes():
        raise FileRefused(
            _("The file is %(size)s; at most %(limit)s can be imported at once. Split it into smaller files.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())}
        )


def read_table(*, name: str, data: bytes) -> Table:
    """Read the first worksheet of `data` (an upload called `name`); raise FileRefused with a
    message for the user when the file is unsafe, too big, corrupt or of an unknown kind."""
    check_upload(name=name, size=len(data))
    lower = name.lower()
    if data.startswith(_ZIP_MAGIC):
        formulas = _inspect_xlsx(data)
        return _read_workbook(data, formulas)
    if data.startswith(_OLE_MAGIC):
        return _read_workbook(data, {})
    if lower.endswith((".xlsx", ".xls")):
        if data.lstrip()[:64].lower().startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")):
            raise FileRefused(
                _(
                    "This file is named .xls but holds a web page (HTML), as some old systems save it. "
                    "Open it in Excel and save it as .xlsx, then upload it again."
                )
            )
        raise FileRefused(_("The file is damaged or is not an Excel workbook."))
    return _read_csv(data)


# .xlsx and .xls -------------------------------------------------------------------------------


def _inspect_xlsx(data: bytes) -> dict[int, dict[int, str]]:
    """Refuse a zip or XML bomb; return the first worksheet's formulas by row and column, 1-based."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise FileRefused(_("The file is damaged or is not an Excel workbook.")) from None
    bomb = FileRefused(
        _(
            "The file unpacks to far more data than a spreadsheet holds (a “zip bomb”), "
            "so it was refused. Save it again from Excel and upload that copy."
        )
    )
    if len(members) > _MAX_ZIP_MEMBERS:
        raise bomb
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    ratio = settings.IMPORT_MAX_COMPRESSION_RATIO
    if sum(member.file_size for member in members) > limit:
        raise bomb
    for member in members:
        if member.file_size > _RATIO_FLOOR_BYTES and member.file_size > ratio * max(member.compress_size, 1):
            raise bomb
    sheet_path = _first_sheet_path(archive)
    formulas = {}
    unpacked = 0
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        # Read for real, not from the sizes the zip declares: zipfile stops at the declared
        # size and checks the CRC, so a member that lies about its size fails here.
        try:
            content = _read_member(archive, member, limit - unpacked)
        except _TooBig:
            raise bomb from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise FileRefused(_("The file is damaged or is not an Excel workbook.")) from None
        unpacked += len(content)
        if _declares_entities(content):
            raise FileRefused(
                _(
                    "The file holds XML declarations (DOCTYPE or ENTITY) that no spreadsheet needs and "
                    "that can be used to attack a server, so it was refused. Save it again from Excel."
                )
            )
        if member.filename == sheet_path:
            formulas = _formulas(content)
    return formulas


class _TooBig(Exception):
    pass


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int) -> bytes:
    parts = []
    total = 0
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > budget:
                raise _TooBig
            parts.append(chunk)
    return b"".join(parts)


def _declares_entities(content: bytes) -> bool:
    # A DTD can only stand in the prolog, before the root element; look at the bytes up to
    # the first tag that is not the XML declaration, a comment or a DTD.
    head = content[:65536]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        return True
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoded = head.decode("utf-16", errors="ignore")
        return "<!DOCTYPE" in decoded or "<!ENTITY" in decoded
    return False


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    """The zip path of the workbook's first worksheet, from workbook.xml and its relationships."""
    try:
        workbook = SafeElementTree.fromstring(archive.read("xl/workbook.xml"))
        relations = SafeElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        raise FileRefused(_("The file is damaged or is not an Excel workbook.")) from None
    except DefusedXmlException:
        raise FileRefused(
            _(
                "The file holds XML declarations (DOCTYPE or ENTITY) that no spreadsheet needs and "
                "that can be used to attack a server, so it was refused. Save it again from Excel."
            )
        ) from None
    except (SafeElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(_("The file is damaged or is not an Excel workbook.")) from None
    sheet = workbook.find(f"{_SPREADSHEET_NS}sheets/{_SPREADSHEET_NS}sheet")
    if sheet is None:
        raise FileRefused(_("The workbook has no worksheet."))
    relation_id = sheet.get(f"{_RELATIONSHIP_NS}id")
    for relation in relations.iter(f"{_PACKAGE_RELS_NS}Relationship"):
        if relation.get("Id") == relation_id:
            target = relation.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return normpath(join(dirname("xl/workbook.xml"), target))
    return ""


def _formulas(sheet_xml: bytes) -> dict[int, dict[int, str]]:
    """Each formula cell of a worksheet's XML as "=<formula>", by row and column, both 1-based."""
    if b"<f>" not in sheet_xml and b"<f " not in sheet_xml:
        return {}
    formulas = {}
    shared = {}
    for match in _FORMULA.finditer(sheet_xml):
        cell_start = sheet_xml.rfind(b"<c ", 0, match.start())
        ref = _CELL_REF.match(sheet_xml, cell_start) if cell_start >= 0 else None
        if ref is None:
            continue
        text = unescape((match[2] or b"").decode("utf-8", errors="replace"), _XML_ENTITIES)
        shared_index = _SHARED_INDEX.search(match[1] or b"")
        if shared_index:
            # The first cell of a shared formula holds its text; the others only point at it.
            text = shared.setdefault(shared_index[1], text) if text else shared.get(shared_index[1], "")
        formulas.setdefault(int(ref[2]), {})[_column_number(ref[1].decode())] = "=" + text
    return formulas


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _read_workbook(data: bytes, formulas: dict[int, dict[int, str]]) -> Table:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
    except PasswordError:
        raise FileRefused(
            _("The workbook is protected by a password. Remove the password and upload it again.")
        ) from None
    except (CalamineError, ValueError, OSError):
        raise FileRefused(_("The file is damaged or is not an Excel workbook.")) from None
    # python-calamine yields rows from the sheet's first row and columns from the first used
    # one, up to the last cell holding a value: a formula with no cached value lies outside
    # that range, so the range is widened to the formulas' cells (0-based below).
    first_row, first_column = sheet.start if sheet.start is not None else (None, None)
    last_row = sheet.end[0] if sheet.end is not None else -1
    if formulas:
        formula_rows = [row - 1 for row in formulas]
        formula_columns = [column - 1 for columns in formulas.values() for column in columns]
        first_row = min(formula_rows) if first_row is None else min(first_row, *formula_rows)
        leftmost = min(formula_columns)
        first_column = leftmost if first_column is None else first_column
        last_row = max(last_row, *formula_rows)
    if first_row is None:
        raise FileRefused(_("The file is empty."))
    calamine_column = sheet.start[1] if sheet.start is not None else first_column
    base_column = min(first_column, calamine_column)
    pad = [""] * (calamine_column - base_column)
    rows = iter(sheet.iter_rows())

    def row_at(index: int) -> list:
        cells = next(rows, None)
        cells = pad + cells if cells is not None else []
        return _with_formulas(cells, index + 1, base_column, formulas)

    for _skipped in range(first_row):
        next(rows, None)
    header_row = first_row + 1
    header = row_at(first_row)
    row_count = last_row - first_row
    _check_row_count(row_count)

    if pad or formulas:

        def data_rows():
            for index in range(first_row + 1, last_row + 1):
                yield index + 1, row_at(index)

    else:
        # The common case, as fast as python-calamine yields: no column to pad, no formula to place.
        def data_rows():
            return zip(itertools.count(first_row + 2), rows)

    return Table(header=header, header_row=header_row, rows=data_rows(), row_count=row_count)


def _with_formulas(cells: list, row: int, base_column: int, formulas: dict) -> list:
    """Put the formulas of sheet row `row` (1-based) in place; `cells` start at column base_column (0-based)."""
    for column, formula in formulas.get(row, {}).items():
        index = column - 1 - base_column
        if index >= len(cells):
            cells.extend([""] * (index + 1 - len(cells)))
        cells[index] = formula
    return cells


def _check_row_count(count: int) -> None:
    if count > settings.IMPORT_MAX_ROWS:
        raise FileRefused(
            _(
                "The file has %(count)s rows; at most %(limit)s can be imported at once. Split it into smaller files."
            )
            % {"count": f"{count:,}", "limit": f"{settings.IMPORT_MAX_ROWS:,}"}
        )


# .csv ------------------------------------------------------------------------------------------


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    if not text.strip():
        raise FileRefused(_("The file is empty."))
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise FileRefused(_("The CSV file is malformed: %(error)s.") % {"error": error}) from None
    # Leading blank lines are skipped, as Excel shows them: the header is the first filled row.
    start = 0
    while start < len(records) and not any(cell.strip() for cell in records[start]):
        start += 1
    if start == len(records):
        raise FileRefused(_("The file is empty."))
    _check_row_count(len(records) - start - 1)
    header_row = start + 1
    data_records = records[start + 1 :]
    rows = ((header_row + 1 + offset, cells) for offset, cells in enumerate(data_records))
    return Table(header=records[start], header_row=header_row, rows=rows, row_count=len(data_records))


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 covers GBK and GB2312: what Excel for Chinese Windows saves a CSV as.
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise FileRefused(
            _(
                "The CSV file is neither UTF-8 nor GBK text. Save it from Excel as “CSV UTF-8” and upload it again."
            )
        ) from None
