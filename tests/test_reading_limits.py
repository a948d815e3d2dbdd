"""Each reading limit accepts a file right at it and refuses one past it, naming the limit.

The limits are lowered here so that the files at them stay small; the real limits meet
hostile files in tests/test_hostile_files.py, and the largest glossary they promise to
read, 200,000 rows, is read at the end.
"""

import csv
import io
import json

import openpyxl
import pytest
from django.utils import translation

from terms.interchange import limits
from terms.interchange.formats import UnreadableFile, read_dataset
from tests import hostile_files

FORMATS = ["csv", "xlsx", "json"]


def file_of(file_format, rows):
    """A file of `rows` (lists, the first the header) in a format."""
    if file_format == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return out.getvalue().encode()
    if file_format == "json":
        return json.dumps([dict(zip(rows[0], row, strict=True)) for row in rows[1:]]).encode()
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def glossary(count, **columns):
    """A header and `count` rows: `slug`, `term_fr`, and `columns` given the same value."""
    header = ["slug", "term_fr", *columns]
    return [header, *([f"c{n}", f"Terme {n}", *columns.values()] for n in range(count))]


def refusal(data, file_format):
    with pytest.raises(UnreadableFile) as refused:
        read_dataset(data, file_format)
    return str(refused.value)


@pytest.mark.parametrize("file_format", FORMATS)
def test_rows_are_read_up_to_the_limit_and_one_more_is_refused(monkeypatch, file_format):
    monkeypatch.setattr(limits, "MAX_ROWS", 5)
    assert len(read_dataset(file_of(file_format, glossary(5)), file_format)) == 5
    assert refusal(file_of(file_format, glossary(6)), file_format) == (
        "This file has more than 5 rows; the largest accepted is 5. Split it into smaller files."
    )


@pytest.mark.parametrize("file_format", FORMATS)
def test_columns_are_read_up_to_the_limit_and_one_more_is_refused(monkeypatch, file_format):
    monkeypatch.setattr(limits, "MAX_COLUMNS", 4)
    assert read_dataset(file_of(file_format, glossary(1, a="x", b="y")), file_format).width == 4
    assert refusal(file_of(file_format, glossary(1, a="x", b="y", c="z")), file_format) == (
        "This file has more than 4 columns; the largest accepted is 4. "
        "Delete the columns the glossary does not use."
    )


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_cell_longer_than_the_limit_is_refused_by_row_and_column(monkeypatch, file_format):
    monkeypatch.setattr(limits, "MAX_CELL_CHARACTERS", 10)
    assert read_dataset(file_of(file_format, glossary(2, note="x" * 10)), file_format)
    assert refusal(file_of(file_format, glossary(2, note="x" * 11)), file_format) == (
        "Row 2, column note: the cell holds more than 10 characters; the largest accepted is 10."
    )


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_cell_of_more_values_than_the_limit_is_refused(monkeypatch, file_format):
    monkeypatch.setattr(limits, "MAX_VALUES_PER_CELL", 3)
    assert read_dataset(file_of(file_format, glossary(1, variants_fr="a | b | c")), file_format)
    assert refusal(file_of(file_format, glossary(1, variants_fr="a | b | c | d")), file_format) == (
        "Row 2, column variants_fr: the cell holds more than 3 values separated by “|”; "
        "the largest accepted is 3."
    )


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_file_of_more_text_than_the_limit_is_refused(monkeypatch, file_format):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARACTERS", 100)
    assert read_dataset(file_of(file_format, glossary(2, note="x" * 20)), file_format)
    assert refusal(file_of(file_format, glossary(5, note="x" * 20)), file_format).startswith(
        "This file holds more than 100 characters of text; the largest accepted is 100."
    )


def test_a_shared_text_counts_each_time_a_cell_repeats_it(monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARACTERS", 1_000)
    sheet = hostile_files.sheet_xml(
        hostile_files.HEADER_ROW
        + "".join(f'<row r="{n}"><c r="C{n}" t="s"><v>0</v></c></row>' for n in range(2, 13))
    )
    strings = f'<sst xmlns="{hostile_files.MAIN_NS}"><si><t>{"x" * 100}</t></si></sst>'
    data = hostile_files.workbook(
        replace=[hostile_files.Member.of(hostile_files.SHEET, sheet)],
        extra=[hostile_files.Member.of(hostile_files.SHARED_STRINGS, strings.encode())],
    )
    assert refusal(data, "xlsx").startswith("This file holds more than 1,000 characters")


def test_a_sheet_of_more_cells_than_the_limit_is_refused_empty_ones_included(monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 10)
    empty_cells = "".join(f'<c r="{letter}2" s="1"/>' for letter in "DEFG")
    for cells, refused in ((empty_cells, False), (empty_cells + '<c r="H2" s="1"/>', True)):
        row = hostile_files.DATA_ROW.replace("</row>", cells + "</row>")
        sheet = hostile_files.sheet_xml(hostile_files.HEADER_ROW + row)
        data = hostile_files.workbook(replace=[hostile_files.Member.of(hostile_files.SHEET, sheet)])
        if refused:
            assert refusal(data, "xlsx").startswith("This sheet has more than 10 cells")
        else:
            assert len(read_dataset(data, "xlsx")) == 1


def test_a_workbook_whose_parts_unzip_past_the_limit_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNZIPPED_BYTES", 2_000)
    assert refusal(file_of("xlsx", glossary(50, note="x" * 30)), "xlsx") == (
        "This workbook unzips to more than 512 MB; the largest accepted is 512 MB."
    )


def test_json_numbers_are_read_up_to_100_digits():
    assert read_dataset(b'[{"slug": ' + b"1" * 100 + b"}]", "json")[0][0] == int("1" * 100)
    assert refusal(b'[{"slug": -' + b"1" * 101 + b"}]", "json") == (
        "This JSON file holds a number of 101 digits; the longest accepted has 100. "
        "A glossary's values are text: write them in quotes."
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'[{"a": "x", "b": {"c": 1}}]', "The value of 'b' must be text, not dict."),
        (b'[{"a\\"b": [1]}]', "The value of 'a\"b' must be text, not list."),
        (b'[{"a": "]"}, [1]]', "A JSON glossary must be a list of objects, one per concept."),
        (b'{"a": {"b": 1}}', "A JSON glossary must be a list of objects, one per concept."),
        (b'[{"a": "x"}', "This is not valid JSON: Expecting ',' delimiter at line 1."),
        (b'[{"a": "x\\"]]]]"}]]]]', "This is not valid JSON: Extra data at line 1."),
    ],
)
def test_json_that_is_not_a_list_of_flat_objects_is_refused_before_it_is_parsed(data, message):
    assert refusal(data, "json") == message


def test_brackets_inside_json_strings_are_text():
    rows = read_dataset(b'[{"slug": "a", "definition_fr": "[[{{ \\" ]]}}"}]', "json")
    assert rows[0][1] == '[[{{ " ]]}}'


def test_limits_are_told_in_the_readers_language_with_its_digit_groups():
    with translation.override("fr"):
        assert limits.too_many_rows() == (
            "Ce fichier a plus de 200\xa0000 lignes ; le plus grand accepté en a 200\xa0000. "
            "Découpez-le en fichiers plus petits."
        )
    translation.deactivate_all()  # the command line
    assert limits.too_many_rows().startswith("This file has more than 200,000 rows")


@pytest.mark.slow
@pytest.mark.parametrize("file_format", FORMATS)
def test_the_largest_glossary_promised_is_read(file_format):
    """200,000 rows, twice the 100,000 concepts the SPEC plans for (the hostile files
    show that more are refused)."""
    rows = limits.MAX_ROWS
    data = (
        many_rows_workbook(rows) if file_format == "xlsx" else file_of(file_format, glossary(rows))
    )
    assert len(read_dataset(data, file_format)) == rows


def many_rows_workbook(count):
    head = hostile_files.sheet_xml(hostile_files.HEADER_ROW).split(b"</sheetData>")[0]
    row = hostile_files.row_xml(0, ["c", "published", "Terme"], numbered=False).encode()
    sheet = hostile_files.Member.repeated(
        hostile_files.SHEET, head, row, count, b"</sheetData></worksheet>"
    )
    return hostile_files.workbook(replace=[sheet])
