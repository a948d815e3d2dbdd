"""The streaming XLSX reader gives the values openpyxl gives, for the files people make."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from terms.interchange import xlsx
from tests import hostile_files

CALC_FILES = sorted((Path(__file__).parent / "data" / "libreoffice").glob("*.xlsx"))


def as_openpyxl_reads(data):
    """openpyxl's rows, as the reader gives them: no trailing empty cell, no empty row."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = []
    for row in book.worksheets[0].iter_rows(values_only=True):
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        if row:
            rows.append(row)
    book.close()
    return rows


@pytest.mark.parametrize("path", CALC_FILES, ids=lambda path: path.name)
def test_workbooks_saved_by_calc_read_as_openpyxl_reads_them(path):
    data = path.read_bytes()
    assert list(xlsx.read_first_sheet(data)) == as_openpyxl_reads(data)


def test_numbers_dates_booleans_formulas_and_rich_text_read_as_openpyxl_reads_them():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["slug", "n", "date", "yes", "rich"])
    sheet.append(["a", 2024, datetime.datetime(2026, 1, 2, 3, 4), True, None])
    sheet.append(["b", 1.5, datetime.date(2026, 1, 2), False, "=1+1"])
    sheet["E4"] = CellRichText("Chargé", TextBlock(InlineFont(b=True), "·e"), " de compte")
    sheet["H6"] = "far"
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    rows = list(xlsx.read_first_sheet(data))
    assert rows == as_openpyxl_reads(data)
    assert rows[1][2] == datetime.datetime(2026, 1, 2, 3, 4)
    assert rows[3] == [None, None, None, None, "Chargé·e de compte"]


def test_cells_without_references_and_tags_with_a_prefix_are_read():
    namespace = f'xmlns:x="{hostile_files.MAIN_NS}"'
    rows = (
        (
            hostile_files.row_xml(0, ["slug", "status", "term_fr"], numbered=False)
            + hostile_files.row_xml(0, ["vente", "published", "Vente"], numbered=False)
        )
        .replace("<", "<x:")
        .replace("<x:/", "</x:")
    )
    sheet = (
        f'<?xml version="1.0"?><x:worksheet {namespace}><x:sheetData>{rows}'
        "</x:sheetData></x:worksheet>"
    )
    data = hostile_files.workbook(
        replace=[hostile_files.Member.of(hostile_files.SHEET, sheet.encode())]
    )
    assert list(xlsx.read_first_sheet(data)) == [
        ["slug", "status", "term_fr"],
        ["vente", "published", "Vente"],
    ]
