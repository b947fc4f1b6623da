"""Rosters for the import tests: rows of valid cadres, written as .xlsx, .csv or .xls bytes."""

import csv
import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core import idcard
from imports.specs import CADRE_ROSTER

HEADERS = CADRE_ROSTER.headers
# The columns a short roster carries; the others are optional.
SHORT_HEADERS = ["姓名", "性别", "身份证号", "出生日期", "退休类别", "所在党支部", "联系电话"]


def person(index: int, *, branch: str = "", sex: str = "M", born: dt.date | None = None) -> dict:
    """A valid roster row (header → cell) for the `index`-th cadre of a file."""
    born = born or dt.date(1940, 1, 1) + dt.timedelta(days=index * 7)
    number = idcard.make_id_number("510104", born, index, sex)
    return {
        "姓名": f"测试{index}",
        "性别": "男" if sex == "M" else "女",
        "身份证号": number,
        "出生日期": born,
        "退休类别": "退休",
        "所在党支部": branch,
        "联系电话": f"138{index:08d}",
    }


def rows_of(people: list[dict], headers: list[str] = SHORT_HEADERS) -> list[list]:
    return [headers] + [[entry.get(header, "") for header in headers] for entry in people]


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    output = io.StringIO()
    writer = csv.writer(output)
    for row in rows:
        writer.writerow([cell.isoformat() if isinstance(cell, dt.date) else cell for cell in row])
    return output.getvalue().encode(encoding)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
