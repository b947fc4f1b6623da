import io

import openpyxl
from django.test import RequestFactory

from core.exports import export_type, safe_cell, table_response


def test_formula_text_is_made_inert_and_numbers_are_left_alone():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("-1") == "'-1"
    assert safe_cell(-1) == -1
    assert safe_cell("王建国") == "王建国"


def test_a_csv_starts_with_a_byte_order_mark_so_excel_reads_utf8():
    response = table_response(["姓名"], [["王建国"]], file_type="csv", filename="名单")
    assert response.content.decode("utf-8").startswith("\ufeff姓名")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E5%90%8D%E5%8D%95.csv"


def test_an_xlsx_holds_the_rows_on_a_named_sheet():
    response = table_response(["姓名", "次数"], [["=1+1", 3]], file_type="xlsx", filename="x", title="2026年")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "2026年"
    assert [cell.value for cell in sheet[2]] == ["'=1+1", 3]


def test_only_known_types_are_taken_from_the_query_string():
    factory = RequestFactory()
    assert export_type(factory.get("/", {"format": "xlsx"})) == "xlsx"
    assert export_type(factory.get("/", {"format": "pdf"})) is None
    assert export_type(factory.get("/")) is None
