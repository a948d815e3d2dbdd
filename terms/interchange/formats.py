"""Reading and writing spreadsheet files as tablib datasets.

Reading accepts the files French spreadsheet users really make: UTF-8 with or
without BOM, Windows-1252, `;`, `,` or tab delimiters, CRLF line ends, XLSX
from Excel or LibreOffice (read by `xlsx`), and JSON lists of objects. Anything
else raises `UnreadableFile` with a message that names the problem, and so does a
file past one of the limits of `limits`, refused while it is read.

Writing makes files that are safe to open in a spreadsheet: in CSV a cell that
a spreadsheet would run as a formula is prefixed with an apostrophe (and the
prefix is removed again on import); in XLSX every cell is written as text.
Reading removes that apostrophe from XLSX cells too, because a CSV export opened
in Calc or Excel and saved as XLSX keeps it as part of the text; so an XLSX cell
whose own text starts with an apostrophe is written with one more.
"""

import csv
import io
import json
import re

import tablib
from django.utils.translation import gettext as _

from terms.interchange import limits, xlsx
from terms.interchange.boundary import sentences_only
from terms.interchange.errors import UnreadableFile

FORMATS = ("csv", "xlsx", "json")
# Standard formats, read and written by terms.interchange.tbx and .skos.
IMPORT_FORMATS = (*FORMATS, "tbx")
EXPORT_FORMATS = (*FORMATS, "tbx", "skos")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "tbx": "application/x-tbx+xml",
    "skos": "text/turtle; charset=utf-8",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "json": "json", "tbx": "tbx", "skos": "ttl"}
# A leading character that makes Excel or LibreOffice evaluate a cell.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def guess_format(file_name, data, chosen=None):
    """The format of an upload: what its first bytes prove (a workbook, XML, JSON), else the
    format an editor `chosen`, else its extension, else CSV. A format picked by mistake for
    a workbook, a JSON or an XML file is not believed."""
    stripped = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if stripped[:1] == b"<":
        return "tbx"
    if stripped[:1] in (b"[", b"{"):
        return "json"
    if chosen:
        return chosen
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    return extension if extension in IMPORT_FORMATS else "csv"


def foreign_file_problem(data):
    """A message naming what the file is, for files people upload by mistake; or None."""
    if data[:4] == b"PK\x03\x04" and data[30:38] == b"mimetype":
        if b"opendocument.spreadsheet" in data[38:100]:
            what = _("This is an OpenDocument spreadsheet (.ods).")
        else:
            what = _("This is an OpenDocument file, not a spreadsheet we read.")
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        what = _("This is an old Excel 97–2003 workbook (.xls).")
    elif data[:5] == b"%PDF-":
        what = _("This is a PDF document, not a spreadsheet.")
    else:
        return None
    save_as = _("Save it as “Excel Workbook (.xlsx)” or “CSV UTF-8”, then import that file.")
    return f"{what} {save_as}"


@sentences_only
def read_dataset(data, file_format):
    """Parse uploaded bytes into a dataset with a header row, or raise UnreadableFile.

    Whatever the bytes, nothing else is raised, and a file past one of the limits of
    `terms.interchange.limits` is refused while it is read.
    """
    if not data or not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise UnreadableFile(_("The file is empty."))
    problem = foreign_file_problem(data)
    if problem:
        raise UnreadableFile(problem)
    if file_format == "xlsx":
        return _dataset_from_rows(xlsx.read_first_sheet(data), unescape=True)
    if file_format == "json":
        return _read_json(data)
    if file_format == "csv":
        return _read_csv(data)
    raise UnreadableFile(
        _("Unknown format {format}: use one of {formats}.").format(
            format=repr(file_format), formats=", ".join(FORMATS)
        )
    )


# What a UTF-8 byte order mark becomes when a program reads the file as Windows-1252 and
# writes that text back as UTF-8 (LibreOffice does, asked for the wrong encoding).
_LOST_BYTE_ORDER_MARK = "\ufeff".encode().decode("cp1252")


def decode_text(data):
    """Text from bytes in UTF-8 (with or without BOM), else Windows-1252: never a mix.

    A file that is UTF-8 but for some bytes is refused, with where it breaks, rather than
    read as Windows-1252, which would garble every accented letter it holds.
    """
    if b"\x00" in data[:4096]:
        raise UnreadableFile(
            _("This is not a text file (it contains binary data). Upload a CSV, XLSX or JSON file.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = _windows_1252_text(data, error.start)
    if text.startswith(_LOST_BYTE_ORDER_MARK):
        raise UnreadableFile(
            _(
                "The file's text encoding was lost: it starts with “{mark}”, what is left of "
                "the mark of a UTF-8 file that was opened as Windows-1252 and saved again, "
                "which garbles every accented letter too. Export it again as “CSV UTF-8” "
                "from the original file."
            ).format(mark=_LOST_BYTE_ORDER_MARK)
        )
    return text


def _windows_1252_text(data, utf8_error):
    # Windows-1252 text makes no valid UTF-8 multi-byte sequence but by rare accident
    # (`É` before a no-break space): one such sequence means UTF-8 was meant.
    if not data.decode("utf-8", errors="ignore").isascii():
        line, position = _place(data, utf8_error)
        raise UnreadableFile(
            _(
                "This file mixes two text encodings: it is UTF-8, but line {line} holds "
                "a character in another one (byte 0x{byte:02X}, character {position} of the "
                "line). Correct it, or save the file again as “CSV UTF-8” from your spreadsheet."
            ).format(line=line, byte=data[utf8_error], position=position)
        )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        line, position = _place(data, error.start)
        raise UnreadableFile(
            _(
                "The file's text encoding is neither UTF-8 nor Windows-1252 (line {line} "
                "holds byte 0x{byte:02X}, character {position} of the line). Save it as "
                "“CSV UTF-8” from your spreadsheet."
            ).format(line=line, byte=data[error.start], position=position)
        ) from None


def _place(data, offset):
    """(line, character of the line) of a byte offset, both from 1."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    before = data[line_start:offset].decode("utf-8", errors="replace")
    return data.count(b"\n", 0, offset) + 1, len(before) + 1


def _sniff_dialect(text):
    """(delimiter, quote character) of a CSV text: the usual separator its header uses most,
    else, for a header of quoted names with none of them (`'source' 'target'`, as some
    translate-toolkit CSVs are), what Python's sniffer reads in its first lines."""
    header = text[: text.find("\n")] if "\n" in text else text
    counts = {delimiter: header.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    if counts[best]:
        return best, '"'
    if header[:1] in ("'", '"'):
        try:
            sniffed = csv.Sniffer().sniff(text[:8192], delimiters=" ;,\t|")
        except csv.Error:
            return ",", '"'
        return sniffed.delimiter, sniffed.quotechar
    return ",", '"'


def unescape_formula(value):
    """Undo `escape_formula`: `'=A1` → `=A1`, `''x` → `'x`; other text unchanged."""
    if len(value) > 1 and value[0] == "'" and value[1] in (*FORMULA_TRIGGERS, "'"):
        return value[1:]
    return value


def escape_formula(value):
    """Prefix an apostrophe where a spreadsheet would evaluate the cell."""
    if value and value[0] in (*FORMULA_TRIGGERS, "'"):
        return "'" + value
    return value


def _read_csv(data):
    text = decode_text(data)
    delimiter, quote = _sniff_dialect(text)
    return _dataset_from_rows(_csv_rows(text, delimiter, quote), unescape=True)


def _csv_rows(text, delimiter, quote='"'):
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quote, strict=True
    )
    try:
        yield from reader
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            # The csv module's own limit, a few times ours: the same refusal.
            raise UnreadableFile(limits.cell_too_long_on_line(reader.line_num)) from None
        message = _("This CSV file is malformed: {error}.").format(error=error)
        raise UnreadableFile(message) from None


# From where a JSON scan stands to the next bracket outside strings, that bracket
# captured. Possessive, so it never backtracks: one pass over the file, whatever it holds.
_JSON_TO_NEXT_BRACKET = re.compile(r'(?:[^"\[\]{}]++|"(?:[^"\\]++|\\.)*+"?)*+([\[\]{}])', re.DOTALL)
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _read_json(data):
    text = decode_text(data)
    _check_json_shape(text)
    try:
        records = json.loads(text, parse_int=_json_integer)
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            _("This is not valid JSON: {error} at line {line}.").format(
                error=error.msg, line=error.lineno
            )
        ) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise UnreadableFile(_("A JSON glossary must be a list of objects, one per concept."))
    headers = []
    for record in records:
        for key in record:
            if key not in headers:
                if len(headers) == limits.MAX_COLUMNS:
                    raise UnreadableFile(limits.too_many_columns())
                _check_cell(key, 1, len(headers) + 1)
                headers.append(key)
    if not headers:
        raise UnreadableFile(_("The file is empty."))
    dataset = tablib.Dataset(headers=headers)
    text_size = 0
    for number, record in enumerate(records, 2):
        row = []
        for key in headers:
            # None marks a key this object leaves out: that field stays as it is.
            value = record.get(key)
            if isinstance(value, str):
                text_size += _check_cell(value, number, key)
            row.append(value)
        if text_size > limits.MAX_TEXT_CHARACTERS:
            raise UnreadableFile(limits.too_much_text())
        dataset.append(row)
    return dataset


def _check_json_shape(text):
    """Refuse, before parsing, what a list of flat objects cannot be: nesting, which can
    exhaust the parser's stack or memory, and more objects than rows are accepted."""
    depth = objects = position = object_start = 0
    top = None
    while match := _JSON_TO_NEXT_BRACKET.match(text, position):
        bracket, at, position = match.group(1), match.start(1), match.end()
        if bracket in "]}":
            depth -= 1
            if depth < 0:
                return  # malformed: the parser tells where
            continue
        depth += 1
        if depth == 1:
            top = bracket
        elif depth == 2 and top == "[" and bracket == "{":
            objects += 1
            object_start = at
            if objects > limits.MAX_ROWS:
                raise UnreadableFile(limits.too_many_rows())
        elif depth == 2:
            raise UnreadableFile(_("A JSON glossary must be a list of objects, one per concept."))
        else:
            raise UnreadableFile(_json_value_not_text(text, object_start, at, bracket))


def _json_value_not_text(text, object_start, bracket_at, bracket):
    """The refusal of an object's value that is a list or an object, naming its key: the
    last string before it in the object."""
    kind = "list" if bracket == "[" else "dict"
    keys = [m.group() for m in _JSON_STRING.finditer(text, object_start, bracket_at)]
    if not keys:
        return _("A JSON glossary must be a list of objects, one per concept.")
    try:
        key = json.loads(keys[-1])
    except ValueError:
        key = keys[-1]
    return _("The value of {key} must be text, not {kind}.").format(key=repr(key), kind=kind)


def _json_integer(digits):
    if len(digits.lstrip("-")) > limits.MAX_NUMBER_DIGITS:
        raise UnreadableFile(
            _(
                "This JSON file holds a number of {count} digits; the longest accepted has "
                "{limit}. A glossary's values are text: write them in quotes."
            ).format(count=len(digits.lstrip("-")), limit=limits.MAX_NUMBER_DIGITS)
        )
    return int(digits)


def _check_cell(value, row, column):
    """The length of a text cell, once it is known to be within the limits."""
    if len(value) > limits.MAX_CELL_CHARACTERS:
        raise UnreadableFile(limits.cell_too_long(row, column))
    if value.count("|") >= limits.MAX_VALUES_PER_CELL:
        raise UnreadableFile(limits.too_many_values(row, column))
    if not value.isascii() and _SURROGATE.search(value):
        # Only JSON can make one ("\ud800"): half of a character, which no database stores.
        raise UnreadableFile(
            _(
                "Row {row}, column {column}: the text holds “\\u{code:04x}”, half of a "
                "character that needs two such codes; correct the file that made it."
            ).format(row=row, column=column, code=ord(_SURROGATE.search(value).group()))
        )
    return len(value)


def _dataset_from_rows(rows, *, unescape):
    """A dataset from rows of cells, the first row with text naming the columns.

    `rows` is read lazily and a limit stops it, so a file is never read past one.
    """
    rows = (row for row in rows if any(_has_text(cell) for cell in row))
    first = next(rows, None)
    if first is None:
        raise UnreadableFile(_("The file is empty."))
    headers = [("" if cell is None else str(cell)).strip() for cell in first]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise UnreadableFile(_("The file has no header row: its first row must name the columns."))
    if len(headers) > limits.MAX_COLUMNS:
        raise UnreadableFile(limits.too_many_columns())
    for number, header in enumerate(headers, 1):
        _check_cell(header, 1, number)
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    text_size = 0
    for number, row in enumerate(rows, 2):
        if number > limits.MAX_ROWS + 1:
            raise UnreadableFile(limits.too_many_rows())
        if len(row) > width and any(_has_text(cell) for cell in row[width:]):
            raise UnreadableFile(
                _("Line {number} has more cells than the header row has columns.").format(
                    number=number
                )
            )
        cells = list(row[:width]) + [""] * (width - len(row))
        for index, cell in enumerate(cells):
            if isinstance(cell, str):
                text_size += _check_cell(cell, number, headers[index])
        if text_size > limits.MAX_TEXT_CHARACTERS:
            raise UnreadableFile(limits.too_much_text())
        if unescape:
            cells = [unescape_formula(c) if isinstance(c, str) else c for c in cells]
        dataset.append(["" if c is None else c for c in cells])
    return dataset


def _has_text(cell):
    return cell is not None and str(cell).strip() != ""


def write_dataset(dataset, file_format):
    """Bytes of the dataset in `file_format`, safe to open in a spreadsheet."""
    if file_format == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(dataset.headers)
        for row in dataset:
            writer.writerow([escape_formula(str(cell)) for cell in row])
        # The BOM makes Excel read UTF-8 instead of guessing a Windows code page.
        return out.getvalue().encode("utf-8-sig")
    if file_format == "xlsx":
        return _write_xlsx(dataset)
    if file_format == "json":
        return json.dumps(list(dataset.dict), ensure_ascii=False, indent=2).encode("utf-8")
    raise ValueError(f"Unknown format {file_format!r}")


def _write_xlsx(dataset):
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import TYPE_STRING

    # Write-only: each row goes to the file as it comes, instead of a grid of 190,000
    # cells kept until the end (a third of a 10,000-concept export).
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("glossary")
    sheet.freeze_panes = "A2"

    def string_cell(value):
        value = str(value)
        # Only an apostrophe needs the escape here: written as a string cell,
        # `=SUM(A1)` stays text, never a formula.
        cell = WriteOnlyCell(sheet, value="'" + value if value.startswith("'") else value)
        cell.data_type = TYPE_STRING
        return cell

    sheet.append([string_cell(header) for header in dataset.headers])
    for row in dataset:
        sheet.append([string_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
