"""Hostile import files, made on the fly: each is small on disk and costly to read naively.

Big repeated content is compressed once and its compressed form repeated: a deflate
stream cut by full flushes is a run of independent blocks, so 1.5 GB of `a` costs a
few milliseconds to "compress". The ZIP container is then written by hand, which also
lets a member lie about its size.
"""

import io
import json
import struct
import zipfile
import zlib

import openpyxl
from openpyxl.utils import get_column_letter

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
CONTENT_TYPES = "[Content_Types].xml"
SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SHARED_STRINGS_RELATIONSHIP = (
    b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)


class Member:
    """A ZIP member as deflate bytes, with the size and CRC its headers declare."""

    def __init__(self, name, deflated, size, crc):
        self.name = name
        self.deflated = deflated
        self.size = size
        self.crc = crc

    @classmethod
    def of(cls, name, content):
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        deflated = compressor.compress(content) + compressor.flush()
        return cls(name, deflated, len(content), zlib.crc32(content))

    @classmethod
    def repeated(cls, name, head, chunk, times, tail):
        """`head + chunk * times + tail`, compressed without ever being written out."""
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        deflated_head = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
        deflated_chunk = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
        deflated_tail = compressor.compress(tail) + compressor.flush()
        crc = zlib.crc32(head)
        for _ in range(times):
            crc = zlib.crc32(chunk, crc)
        crc = zlib.crc32(tail, crc)
        return cls(
            name,
            deflated_head + deflated_chunk * times + deflated_tail,
            len(head) + len(chunk) * times + len(tail),
            crc,
        )


def zip_bytes(members):
    out = io.BytesIO()
    central = []
    for member in members:
        offset = out.tell()
        name = member.name.encode()
        fields = (20, 0, 8, 0, 0x21, member.crc, len(member.deflated), member.size, len(name), 0)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + name + member.deflated)
        central.append(
            struct.pack("<IH", 0x02014B50, 20)
            + struct.pack("<HHHHHIIIHHHHHII", *fields, 0, 0, 0, 0, offset)
            + name
        )
    directory_offset = out.tell()
    directory = b"".join(central)
    out.write(directory)
    count = len(members)
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), directory_offset, 0
        )
    )
    return out.getvalue()


def _small_workbook_parts():
    """The parts of a real two-row glossary workbook, by name."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(HEADER))
    sheet.append(["vente", "published", "Vente"])
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def workbook(replace=(), extra=()):
    """A valid small workbook with some parts replaced by `Member`s (and `extra` added)."""
    parts = _small_workbook_parts()
    replaced = {member.name: member for member in (*replace, *extra)}
    if SHARED_STRINGS in replaced and SHARED_STRINGS not in parts:
        parts[CONTENT_TYPES] = parts[CONTENT_TYPES].replace(
            b"</Types>", SHARED_STRINGS_TYPE + b"</Types>"
        )
        rels = "xl/_rels/workbook.xml.rels"
        parts[rels] = parts[rels].replace(
            b"</Relationships>", SHARED_STRINGS_RELATIONSHIP + b"</Relationships>"
        )
    members = [
        replaced.pop(name, None) or Member.of(name, content) for name, content in parts.items()
    ]
    return zip_bytes([*members, *replaced.values()])


def sheet_xml(rows_xml, dimension=None):
    """A worksheet; without `dimension`, as some writers make them, readers must find the size."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">'
        f"{declared}<sheetData>{rows_xml}</sheetData></worksheet>"
    ).encode()


def row_xml(number, values, *, numbered=True):
    """A row of inline strings, numbered as Excel does (`r="2"`, `r="A2"`) or not at all."""
    cells = []
    for column, value in enumerate(values, 1):
        reference = f' r="{get_column_letter(column)}{number}"' if numbered else ""
        cells.append(f'<c{reference} t="inlineStr"><is><t>{value}</t></is></c>')
    return (f'<row r="{number}">' if numbered else "<row>") + "".join(cells) + "</row>"


HEADER = ("slug", "status", "term_fr")
HEADER_ROW = row_xml(1, HEADER)
DATA_ROW = row_xml(2, ("vente", "published", "Vente"))


# -- spreadsheets ------------------------------------------------------------------------


def xlsx_declaring_the_whole_sheet():
    """A sheet that declares A1:XFD1048576, the largest Excel allows, and ends with an empty
    formatted cell there; its content is two rows of three columns."""
    last = '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    sheet = sheet_xml(HEADER_ROW + DATA_ROW + last, dimension="A1:XFD1048576")
    return workbook(replace=[Member.of(SHEET, sheet)])


def _shared_strings_bomb(declared_size=None):
    size = 1536 * 2**20
    chunk = b"a" * 2**20
    head = f'<?xml version="1.0"?><sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>'
    member = Member.repeated(
        SHARED_STRINGS, head.encode(), chunk, size // len(chunk), b"</t></si></sst>"
    )
    if declared_size is not None:
        member.size = declared_size
    rows = (
        HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>bomb</t></is></c>'
        '<c r="C2" t="s"><v>0</v></c></row>'
    )
    return workbook(replace=[Member.of(SHEET, sheet_xml(rows))], extra=[member])


def xlsx_shared_strings_bomb():
    """1.5 MB holding one shared string of 1.5 GB, sizes declared honestly."""
    return _shared_strings_bomb()


def xlsx_shared_strings_bomb_lying_about_its_size():
    """The same bomb, its headers claiming the string table unzips to 1 KB."""
    return _shared_strings_bomb(declared_size=1024)


def xlsx_of_three_million_rows():
    """1.5 MB of rows without numbers (`<row>` with no `r`), all alike."""
    head = sheet_xml(HEADER_ROW).split(b"</sheetData>")[0]
    chunk = row_xml(0, ["x"], numbered=False).encode() * 10_000
    sheet = Member.repeated(SHEET, head, chunk, 300, b"</sheetData></worksheet>")
    return workbook(replace=[sheet])


def xlsx_with_a_doctype():
    """A sheet declaring entities, "billion laughs" style."""
    entities = '<!ENTITY e0 "lol">' + "".join(
        f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10)
    )
    sheet = sheet_xml(HEADER_ROW + DATA_ROW.replace(">Vente<", ">&e9;<"))
    sheet = sheet.replace(b"<worksheet", f"<!DOCTYPE worksheet [{entities}]><worksheet".encode())
    return workbook(replace=[Member.of(SHEET, sheet)])


def xlsx_with_a_cell_in_the_last_column():
    """Content in column XFD (16,384) of the data row: a row that wide would be 16,384 cells."""
    far = '<c r="XFD2" t="inlineStr"><is><t>far</t></is></c>'
    rows = HEADER_ROW + DATA_ROW.replace("</row>", far + "</row>")
    return workbook(replace=[Member.of(SHEET, sheet_xml(rows))])


def xlsx_with_rows_far_apart():
    """Data rows numbered 1,048,576 and four billion: the gaps must cost nothing."""
    rows = row_xml(1_048_576, ("vente", "published", "Vente"))
    rows += row_xml(4_000_000_000, ("autre", "published", "Autre"))
    return workbook(replace=[Member.of(SHEET, sheet_xml(HEADER_ROW + rows))])


def xlsx_of_many_small_cells():
    """Six million one-letter cells: 60,000 rows of 100 columns, under each of those limits."""
    header = row_xml(0, [f"c{n}" for n in range(100)], numbered=False)
    head = sheet_xml(header).split(b"</sheetData>")[0]
    chunk = row_xml(0, ["x"], numbered=False).replace("<row>", "").replace("</row>", "")
    chunk = ("<row>" + chunk * 100 + "</row>").encode() * 100
    sheet = Member.repeated(SHEET, head, chunk, 600, b"</sheetData></worksheet>")
    return workbook(replace=[sheet])


def xlsx_with_a_long_inline_cell():
    """A definition of 5 million characters, written in the cell itself."""
    head = sheet_xml(HEADER_ROW).split(b"</sheetData>")[0] + b'<row r="2">'
    head += b'<c r="A2" t="inlineStr"><is><t>'
    chunk = b"b" * 2**20
    tail = b"</t></is></c></row></sheetData></worksheet>"
    return workbook(replace=[Member.repeated(SHEET, head, chunk, 5, tail)])


def xlsx_with_two_million_column_widths():
    """Two million `<col>` elements before the rows: parts a reader skips must not pile up."""
    head = f'<?xml version="1.0"?><worksheet xmlns="{MAIN_NS}"><cols>'.encode()
    chunk = b'<col min="1" max="1" width="9"/>' * 10_000
    tail = f"</cols><sheetData>{HEADER_ROW}{DATA_ROW}</sheetData></worksheet>".encode()
    return workbook(replace=[Member.repeated(SHEET, head, chunk, 200, tail)])


def xlsx_with_a_million_empty_cells_in_a_row():
    """A data row followed by a million formatted empty cells, as trailing columns."""
    head = sheet_xml(HEADER_ROW).split(b"</sheetData>")[0] + DATA_ROW[:-6].encode()
    chunk = b'<c s="1"/>' * 10_000
    tail = b"</row></sheetData></worksheet>"
    return workbook(replace=[Member.repeated(SHEET, head, chunk, 100, tail)])


def xlsx_with_a_string_of_a_million_runs():
    """A shared string made of a million formatted runs of one letter."""
    head = f'<?xml version="1.0"?><sst xmlns="{MAIN_NS}"><si>'.encode()
    chunk = b"<r><rPr><b/></rPr><t>a</t></r>" * 10_000
    member = Member.repeated(SHARED_STRINGS, head, chunk, 100, b"</si></sst>")
    rows = HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return workbook(replace=[Member.of(SHEET, sheet_xml(rows))], extra=[member])


def xlsx_whose_sheet_is_wrapped_in_junk():
    """Three million elements around the worksheet, under a root of another name."""
    head = f'<?xml version="1.0"?><junk xmlns="{MAIN_NS}">'.encode()
    tail = f"<worksheet><sheetData>{HEADER_ROW}</sheetData></worksheet></junk>".encode()
    return workbook(replace=[Member.repeated(SHEET, head, b"<x/>" * 10_000, 300, tail)])


# -- JSON ------------------------------------------------------------------------------


def json_with_half_a_million_variants():
    variants = " | ".join(f"v{n}" for n in range(500_000))
    return json.dumps([{"slug": "x", "term_fr": "X", "variants_fr": variants}]).encode()


def json_nested_100_000_deep():
    return b"[" * 100_000 + b"]" * 100_000


def json_with_a_5000_digit_number():
    return b'[{"slug": "a", "term_fr": ' + b"9" * 5000 + b"}]"


def json_with_a_lone_surrogate():
    return b'[{"slug": "a", "term_fr": "caf\\ud800"}]'


def json_of_empty_lists():
    """3.4 million empty lists in 10 MB: each one a Python list if parsed whole."""
    return b'[{"slug": "a", "term_fr": [' + b"[]," * 3_400_000 + b"[]]}]"


def json_of_empty_objects():
    """3.4 million rows of nothing."""
    return b"[" + b"{}," * 3_400_000 + b"{}]"


# -- CSV -------------------------------------------------------------------------------


def csv_of_five_million_rows():
    return b"slug,term_fr\n" + b"a,b\n" * 2_500_000


def csv_with_a_long_cell():
    return b"slug,term_fr,definition_fr\na,A," + b"x" * 9 * 2**20 + b"\n"


def csv_with_100_000_columns():
    return b",".join(b"c%d" % n for n in range(100_000)) + b"\n"


def csv_with_one_windows_1252_byte():
    return "slug,term_fr\ncafe,Café crème\nthe,Thé\n".encode().replace(b"Th\xc3\xa9", b"Th\xe9")


def csv_whose_bom_lost_its_encoding():
    """A UTF-8 BOM read as Windows-1252 and saved again as UTF-8: `ï»¿` before `slug`."""
    return "\ufeffslug,term_fr\ncafe,Café\n".encode().decode("cp1252").encode()


# -- TBX -------------------------------------------------------------------------------


def tbx_of_repeated_doctypes():
    """300 KB of `<!DOCTYPE[`, which made the entity pre-check's expression quadratic."""
    return b"<!DOCTYPE[" * 30_000


# Each hostile file by name: (format, function making its bytes).
HOSTILE = {
    "xlsx-declaring-the-whole-sheet": ("xlsx", xlsx_declaring_the_whole_sheet),
    "xlsx-with-rows-far-apart": ("xlsx", xlsx_with_rows_far_apart),
    "xlsx-shared-strings-bomb": ("xlsx", xlsx_shared_strings_bomb),
    "xlsx-bomb-lying-about-its-size": ("xlsx", xlsx_shared_strings_bomb_lying_about_its_size),
    "xlsx-of-three-million-rows": ("xlsx", xlsx_of_three_million_rows),
    "xlsx-with-a-doctype": ("xlsx", xlsx_with_a_doctype),
    "xlsx-with-a-cell-in-the-last-column": ("xlsx", xlsx_with_a_cell_in_the_last_column),
    "xlsx-of-many-small-cells": ("xlsx", xlsx_of_many_small_cells),
    "xlsx-with-a-long-inline-cell": ("xlsx", xlsx_with_a_long_inline_cell),
    "xlsx-with-two-million-column-widths": ("xlsx", xlsx_with_two_million_column_widths),
    "xlsx-with-a-million-empty-cells-in-a-row": ("xlsx", xlsx_with_a_million_empty_cells_in_a_row),
    "xlsx-with-a-string-of-a-million-runs": ("xlsx", xlsx_with_a_string_of_a_million_runs),
    "xlsx-whose-sheet-is-wrapped-in-junk": ("xlsx", xlsx_whose_sheet_is_wrapped_in_junk),
    "json-with-half-a-million-variants": ("json", json_with_half_a_million_variants),
    "json-nested-100-000-deep": ("json", json_nested_100_000_deep),
    "json-with-a-5000-digit-number": ("json", json_with_a_5000_digit_number),
    "json-of-empty-lists": ("json", json_of_empty_lists),
    "json-of-empty-objects": ("json", json_of_empty_objects),
    "csv-of-five-million-rows": ("csv", csv_of_five_million_rows),
    "csv-with-a-long-cell": ("csv", csv_with_a_long_cell),
    "csv-with-100-000-columns": ("csv", csv_with_100_000_columns),
    "csv-with-one-windows-1252-byte": ("csv", csv_with_one_windows_1252_byte),
    "csv-whose-bom-lost-its-encoding": ("csv", csv_whose_bom_lost_its_encoding),
    "json-with-a-lone-surrogate": ("json", json_with_a_lone_surrogate),
    "tbx-of-repeated-doctypes": ("tbx", tbx_of_repeated_doctypes),
}
