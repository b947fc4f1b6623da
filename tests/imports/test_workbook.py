"""The template and the roster workbook: Chinese headers, notes, text-formatted ID column, inert formulas."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from cadres.models import Cadre
from imports.readers import read_table
from imports.specs import CADRE_ROSTER
from imports.workbook import example_row, roster_workbook, template_response
from tests.factories import CadreFactory


def test_the_template_has_the_headers_and_a_notes_sheet_with_a_sample_row():
    response = template_response(CADRE_ROSTER)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    roster, notes = workbook.worksheets
    assert [cell.value for cell in roster[1]] == CADRE_ROSTER.headers
    assert roster.max_row == 1 or all(
        cell.value is None for row in roster.iter_rows(min_row=2) for cell in row
    )
    id_column = CADRE_ROSTER.headers.index("身份证号") + 1
    assert roster.cell(row=2, column=id_column).number_format == "@"  # Excel keeps all 18 characters
    texts = [cell.value for row in notes.iter_rows() for cell in row if cell.value]
    for header in CADRE_ROSTER.headers:
        assert header in texts
    assert "51010419500314029X" in texts  # the sample row


def test_the_sample_row_of_the_template_is_itself_a_valid_row(staff_user, branch_a):
    from imports.planning import plan_cadres
    from tests.imports.helpers import xlsx

    row = example_row(CADRE_ROSTER)
    row[CADRE_ROSTER.headers.index("所在党支部")] = branch_a.name
    result = plan_cadres(
        table=read_table(name="a.xlsx", data=xlsx([CADRE_ROSTER.headers, row])), user=staff_user
    )
    assert result.is_valid, result.errors


@pytest.mark.django_db
def test_formulas_in_exported_text_are_made_inert(branch_a):
    CadreFactory(name="=1+2", branch=branch_a, notes='=HYPERLINK("http://evil.example")', address="@SUM(A1)")
    cadre = Cadre.objects.get()
    content = roster_workbook(CADRE_ROSTER, [CADRE_ROSTER.export_row(cadre)])
    sheet = load_workbook(io.BytesIO(content)).active
    values = dict(zip(CADRE_ROSTER.headers, sheet[2], strict=True))
    assert values["姓名"].value == "'=1+2"
    assert values["备注"].value == '\'=HYPERLINK("http://evil.example")'
    assert values["地址"].value == "'@SUM(A1)"
    assert all(cell.data_type != "f" for cell in sheet[2])
    assert values["出生日期"].value.date() == dt.date(1950, 3, 14)
    assert values["所在党支部"].value == branch_a.name
    assert values["退休类别"].value == "退休"
