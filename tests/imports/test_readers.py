"""Reading uploads: .xlsx, .xls, .csv in UTF-8 and GBK; bombs, oversize and junk refused clearly."""

import datetime as dt
import io
import zipfile

import pytest

from imports.readers import FileRefused, read_table
from tests.imports import xls
from tests.imports.helpers import csv_bytes, xlsx

ROWS = [["姓名", "出生日期", "备注"], ["王建国", dt.date(1950, 3, 14), "老同志"], ["李秀英", "1952/1/2", ""]]


def _all(table):
    return [(number, list(cells)) for number, cells in table.rows]


def test_it_reads_an_xlsx_with_excel_row_numbers():
    table = read_table(name="花名册.xlsx", data=xlsx(ROWS))
    assert table.header == ["姓名", "出生日期", "备注"]
    assert table.header_row == 1
    rows = _all(table)
    assert rows[0] == (2, ["王建国", dt.date(1950, 3, 14), "老同志"])
    assert rows[1][0] == 3
    assert table.row_count == 2


def test_row_numbers_follow_excel_when_the_table_starts_lower_down():
    workbook_rows = [[], [], *ROWS]
    table = read_table(name="花名册.xlsx", data=xlsx(workbook_rows))
    assert table.header_row == 3
    assert [number for number, _cells in table.rows] == [4, 5]


def test_it_reads_a_legacy_xls():
    data = xls.workbook([["姓名", "身份证号", "出生日期"], ["王建国", "51010419500314029X", 18336.0]])
    table = read_table(name="花名册.xls", data=data)
    assert table.header == ["姓名", "身份证号", "出生日期"]
    assert _all(table) == [(2, ["王建国", "51010419500314029X", 18336.0])]


def test_an_xlsx_renamed_xls_is_read_by_its_content():
    table = read_table(name="花名册.xls", data=xlsx(ROWS))
    assert table.header[0] == "姓名"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_it_reads_csv_in_utf8_with_or_without_bom_and_in_gbk(encoding):
    data = csv_bytes([["姓名", "地址"], ["王建国", "锦江区红星路１号"]], encoding=encoding)
    table = read_table(name="花名册.csv", data=data)
    assert table.header == ["姓名", "地址"]
    assert _all(table) == [(2, ["王建国", "锦江区红星路１号"])]


def test_a_csv_keeps_formula_text_as_text():
    data = csv_bytes([["姓名", "备注"], ["王建国", '=HYPERLINK("http://x.example","点我")']])
    assert _all(read_table(name="a.csv", data=data))[0][1][1] == '=HYPERLINK("http://x.example","点我")'


def test_an_xlsx_formula_cell_is_read_as_its_text_not_its_value():
    data = xlsx([["姓名", "备注"], ["=1+2", '=CONCATENATE("a","b")']])
    rows = _all(read_table(name="a.xlsx", data=data))
    assert rows == [(2, ["=1+2", '=CONCATENATE("a","b")'])]


def _zip(members: dict[str, bytes], *, level=9) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return output.getvalue()


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members[name] = content
    return _zip(members)


def test_an_xml_bomb_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    data = _replace_member(xlsx(ROWS), "xl/worksheets/sheet1.xml", bomb)
    with pytest.raises(FileRefused) as refused:
        read_table(name="bomb.xlsx", data=data)
    assert "DOCTYPE" in refused.value.message


def test_an_external_entity_in_the_workbook_is_refused():
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'
    )
    with pytest.raises(FileRefused):
        read_table(name="evil.xlsx", data=_replace_member(xlsx(ROWS), "xl/workbook.xml", evil))


def test_a_zip_bomb_is_refused(settings):
    # 200 MB of zeros pack into about 200 kB: a ratio of about 1000.
    data = _replace_member(xlsx(ROWS), "xl/worksheets/sheet2.xml", b"\0" * (200 * 1024 * 1024))
    assert len(data) < 1024 * 1024
    with pytest.raises(FileRefused) as refused:
        read_table(name="bomb.xlsx", data=data)
    assert "压缩炸弹" in refused.value.message


def test_an_archive_unpacking_past_the_limit_is_refused(settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    data = _replace_member(xlsx(ROWS), "xl/media/noise.xml", bytes(range(256)) * 8192)
    with pytest.raises(FileRefused):
        read_table(name="big.xlsx", data=data)


def test_a_file_over_the_size_limit_is_refused_before_reading(settings):
    data = b"x" * (20 * 1024 * 1024)
    with pytest.raises(FileRefused) as refused:
        read_table(name="big.csv", data=data)
    assert "20.0" in refused.value.message and "16.0" in refused.value.message


def test_too_many_rows_are_refused(settings):
    settings.IMPORT_MAX_ROWS = 3
    with pytest.raises(FileRefused):
        read_table(name="a.csv", data=csv_bytes([["姓名"]] + [["x"]] * 4))
    assert read_table(name="a.csv", data=csv_bytes([["姓名"]] + [["x"]] * 3)).row_count == 3


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("empty.csv", b"", "空的"),
        ("blank.csv", b"\r\n\r\n ,  ,\r\n", "空的"),
        ("roster.pdf", b"%PDF-1.4", ".xlsx"),
        ("broken.xlsx", b"PK\x03\x04garbage", "损坏"),
        ("broken.xlsx", b"not a workbook at all", "损坏"),
        ("old.xls", b"<html><table><tr><td>1</td></tr></table></html>", "HTML"),
        ("binary.csv", bytes(range(128, 256)) * 8, "UTF-8"),
    ],
)
def test_junk_is_refused_with_a_message(name, data, fragment):
    with pytest.raises(FileRefused) as refused:
        read_table(name=name, data=data)
    assert fragment.lower() in refused.value.message.lower()


def test_an_empty_workbook_is_refused():
    with pytest.raises(FileRefused):
        read_table(name="empty.xlsx", data=xlsx([]))
