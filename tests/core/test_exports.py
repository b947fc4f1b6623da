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


def _sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_an_aware_timestamp_is_written_as_local_time_in_both_formats(settings):
    import datetime as dt

    moment = dt.datetime(2026, 1, 31, 16, 30, 5, 123, tzinfo=dt.UTC)  # 00:30 in Shanghai
    xlsx = table_response(["时间"], [[moment]], file_type="xlsx", filename="x")
    assert _sheet(xlsx)["A2"].value == dt.datetime(2026, 2, 1, 0, 30, 5)
    csv_ = table_response(["时间"], [[moment]], file_type="csv", filename="x")
    assert csv_.content.decode("utf-8-sig").splitlines()[1] == "2026-02-01 00:30:05"


def test_control_characters_are_dropped_from_a_workbook_rather_than_failing_it():
    response = table_response(["备注"], [["第一行\x00\x0b第二行"]], file_type="xlsx", filename="x")
    assert _sheet(response)["A2"].value == "第一行第二行"


def test_lazy_text_and_none_are_written_as_plain_cells():
    from django.utils.translation import gettext_lazy

    response = table_response(["a", "b"], [[gettext_lazy("Yes"), None]], file_type="csv", filename="x")
    assert response.content.decode("utf-8-sig").splitlines()[1] == "是,"


def test_a_sheet_title_excel_refuses_is_made_acceptable():
    response = table_response(["a"], [], file_type="xlsx", filename="x", title="2026/07: 名单?" + "长" * 40)
    title = _sheet(response).title
    assert len(title) == 31 and title.startswith("2026-07- 名单-")


def test_the_header_row_is_bold_and_stays_in_view():
    sheet = _sheet(table_response(["姓名"], [["王建国"]], file_type="xlsx", filename="x"))
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
