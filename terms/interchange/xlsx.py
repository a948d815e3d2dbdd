"""The rows of an XLSX workbook's first sheet, read within the limits of `limits`.

The XML parts are streamed out of the zip and parsed as they come, instead of going
through openpyxl's reader, which trusts the sheet's declared dimension (a 1.5 KB file
that claims A1:XFD1048576 becomes rows of 16,384 cells), loads the whole shared-string
table and parses it with expat, which bounds no text. Here nothing the file declares is
trusted: each part is first unzipped without being parsed, its real size counted and its
rows and cells counted from their bytes, which refuses most hostile files at a hundredth
of the cost of parsing them; then it is parsed as it is unzipped again, rows and cells
counted exactly, and after every chunk the parsed tree is cut back to the elements still
open, so no arrangement of elements can make it grow. A part that declares a DOCTYPE,
the way in for entity expansion, is refused: spreadsheets never write one.

Values come out as openpyxl gives them (text, int, float, bool, datetime), so files read
as they did before.
"""

import io
import itertools
import posixpath
import zipfile

from django.utils.translation import gettext as _
from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

from terms.interchange import limits
from terms.interchange.errors import UnreadableFile

# What the parser is fed at a time: the most the tree holds beyond the open elements.
_CHUNK_BYTES = 64 * 1024
_SCAN_CHUNK_BYTES = 2**20
# How rows and cells begin, unprefixed or with the `x:` of the Open XML SDK; another
# spelling is counted by the parser only.
_ROW_TAGS = (b"<row ", b"<row>", b"<x:row ", b"<x:row>")
_CELL_TAGS = (b"<c ", b"<c>", b"<c/>", b"<x:c ", b"<x:c>", b"<x:c/>")
_STRING_TAGS = (b"<si>", b"<si ", b"<x:si>", b"<x:si ")
# Excel's last column, XFD: a cell reference naming a later one is not a column at all.
_LAST_COLUMN = 16_384
# Elements inside the one cell or string still being parsed, past which it is not a
# cell: a rich-text cell of a hundred formatted runs has about a thousand.
_MAX_ELEMENTS_IN_OPEN_CELL = 10_000
_DOCTYPE = b"<!DOCTYPE"
_UTF8_BOM = b"\xef\xbb\xbf"


def damaged(error):
    return _("This is not a readable XLSX workbook ({error}).").format(error=error)


def doctype_refused():
    return _(
        "This workbook holds a document type declaration (<!DOCTYPE …>), which Excel and "
        "LibreOffice never write: it is refused for safety."
    )


def read_first_sheet(data):
    """The rows of the first sheet, lazily: lists of values, None for an empty cell.

    Raises UnreadableFile for a damaged workbook or one past a limit.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableFile(damaged(error)) from None
    workbook = _Workbook(archive)
    try:
        yield from workbook.rows()
    except (zipfile.BadZipFile, EOFError, OSError, etree.LxmlError) as error:
        raise UnreadableFile(damaged(error)) from None
    except (NotImplementedError, RuntimeError) as error:  # an unknown or encrypted compression
        raise UnreadableFile(damaged(error)) from None
    finally:
        archive.close()


class _Workbook:
    def __init__(self, archive):
        self.archive = archive
        self.unzipped = 0
        self.scanned = set()

    def rows(self):
        workbook_path = self._workbook_path()
        relationships = self._relationships(workbook_path)
        date1904, sheet_path = self._first_worksheet(workbook_path, relationships)
        strings_path = _target_of(relationships, "/sharedStrings")
        styles_path = _target_of(relationships, "/styles")
        parts = [path for path in (sheet_path, strings_path, styles_path) if path]
        if sum(self._info(path).file_size for path in parts) > limits.MAX_UNZIPPED_BYTES:
            raise UnreadableFile(limits.unzipped_too_big())
        # The sheet first: its limits are the ones files meet, and the table of shared
        # strings is worth reading only for a sheet that will be read.
        self._scan(
            sheet_path,
            (
                (_ROW_TAGS, limits.MAX_ROWS + 1, limits.too_many_rows),
                (_CELL_TAGS, limits.MAX_CELLS, limits.too_many_cells),
            ),
        )
        strings = self._shared_strings(strings_path) if strings_path else []
        date_styles, timedelta_styles = self._date_styles(styles_path) if styles_path else ((), ())
        sheet = _Sheet(
            strings,
            date_styles,
            timedelta_styles,
            epoch=CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900,
        )
        yield from sheet.rows(self._events(sheet_path, "worksheet", ("row",), sheet))

    # -- the package --------------------------------------------------------------------

    def _workbook_path(self):
        for element in self._elements("_rels/.rels", "Relationships", ("Relationship",)):
            if (element.get("Type") or "").endswith("/officeDocument"):
                return (element.get("Target") or "").lstrip("/")
        return "xl/workbook.xml"

    def _relationships(self, workbook_path):
        """{id: (type, path)} of the workbook's parts, from its `.rels` file."""
        folder, name = posixpath.split(workbook_path)
        relationships = {}
        for element in self._elements(
            posixpath.join(folder, "_rels", name + ".rels"), "Relationships", ("Relationship",)
        ):
            target = element.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            relationships[element.get("Id")] = (element.get("Type") or "", posixpath.normpath(path))
        return relationships

    def _first_worksheet(self, workbook_path, relationships):
        """(date1904, path) of the first worksheet, the one openpyxl calls `worksheets[0]`."""
        date1904 = False
        for element in self._elements(workbook_path, "workbook", ("workbookPr", "sheet")):
            if _local(element) == "workbookPr":
                date1904 = element.get("date1904", "").lower() in ("1", "true")
                continue
            sheet_id = next(
                (value for key, value in element.attrib.items() if key.endswith("}id")), None
            )
            kind, path = relationships.get(sheet_id, ("", ""))
            if kind.endswith("/worksheet"):
                return date1904, path
        raise UnreadableFile(damaged(_("it has no worksheet")))

    def _info(self, path):
        try:
            return self.archive.getinfo(path)
        except KeyError:
            missing = _("its part {part} is missing").format(part=path)
            raise UnreadableFile(damaged(missing)) from None

    # -- shared strings and styles --------------------------------------------------------

    def _shared_strings(self, path):
        table = _SharedStrings()
        strings = []
        total = 0
        self._scan(path, ((_STRING_TAGS, limits.MAX_CELLS, limits.too_many_cells),))
        for text in table.strings(self._events(path, "sst", ("si",), table)):
            total += len(text)
            if len(strings) >= limits.MAX_CELLS:
                raise UnreadableFile(limits.too_many_cells())
            if total > limits.MAX_TEXT_CHARACTERS:
                raise UnreadableFile(limits.too_much_text())
            strings.append(text)
        return strings

    def _date_styles(self, path):
        """The style numbers whose cells hold dates, and those of durations: as openpyxl
        reads them, a date is a number in a date format."""
        formats = dict(BUILTIN_FORMATS)
        styles = []
        for element in self._elements(path, "styleSheet", ("numFmt", "xf")):
            try:
                format_id = int(element.get("numFmtId", 0))
            except ValueError:
                format_id = -1
            if _local(element) == "numFmt":
                formats[format_id] = element.get("formatCode") or ""
            elif _local(element.getparent()) == "cellXfs":
                styles.append(formats.get(format_id, ""))
        dates = {n for n, code in enumerate(styles) if code and is_date_format(code)}
        return dates, {n for n in dates if is_timedelta_format(styles[n])}

    # -- streaming ----------------------------------------------------------------------

    def _scan(self, path, counted=()):
        """Read a part once without parsing it, a hundred times faster than parsing: its
        real unzipped size, whatever its headers claim, no DOCTYPE, and the counts of
        some tags under their limits (`counted`: (tags, limit, refusal)).

        A tag cut by the end of a chunk is not counted: the count may fall short, never
        over, and the parser counts exactly after it.
        """
        counts = [0] * len(counted)
        size = 0
        tail = b""
        with self.archive.open(self._info(path)) as source:
            while chunk := source.read(_SCAN_CHUNK_BYTES):
                if not size and chunk.removeprefix(_UTF8_BOM).lstrip()[:1] != b"<":
                    # Office writes its parts in UTF-8; in another encoding the DOCTYPE
                    # search below would be blind.
                    raise UnreadableFile(_not_xml(path))
                size += len(chunk)
                if self.unzipped + size > limits.MAX_UNZIPPED_BYTES:
                    raise UnreadableFile(limits.unzipped_too_big())
                if _DOCTYPE in tail + chunk[: len(_DOCTYPE)] or _DOCTYPE in chunk:
                    raise UnreadableFile(doctype_refused())
                tail = chunk[-len(_DOCTYPE) :]
                for index, (tags, limit, refusal) in enumerate(counted):
                    counts[index] += sum(chunk.count(tag) for tag in tags)
                    if counts[index] > limit:
                        raise UnreadableFile(refusal())
        self.unzipped += size
        self.scanned.add(path)

    def _elements(self, path, root, tags):
        """The `tags` elements of a part, each as it ends."""
        for event, element in self._events(path, root, tags):
            if event == "end":
                yield element

    def _events(self, path, root, tags, consumer=None):
        """("start" or "end", element) for the `tags` elements of a part, as it is parsed.

        After every chunk the tree is cut back to the elements still open, so it never
        holds more than one chunk's elements, whatever the file holds; a `consumer` first
        takes the finished children of its open element (a row's cells, a string's runs).
        """
        parser = etree.XMLPullParser(
            events=("start", "end"),
            tag=[f"{{*}}{root}", *(f"{{*}}{tag}" for tag in tags)],
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        if path not in self.scanned:
            self._scan(path)
        top = None
        read = 0
        with self.archive.open(self._info(path)) as source:
            while True:
                chunk = source.read(_CHUNK_BYTES)
                read += len(chunk)
                if chunk:
                    parser.feed(chunk)
                else:
                    parser.close()
                for event, element in parser.read_events():
                    if top is None:
                        # The tree is cut back from the document's root: an element of
                        # the root's name deeper down would leave its ancestors uncut.
                        is_root = element.getparent() is None and _local(element) == root
                        if event != "start" or not is_root:
                            raise UnreadableFile(_not_xml(path))
                        top = element
                    elif element is not top:
                        yield event, element
                # Before the root only a prolog can come, and a megabyte of one is no
                # spreadsheet's.
                if top is None and read > 16 * _CHUNK_BYTES:
                    raise UnreadableFile(_not_xml(path))
                if top is not None:
                    _cut_back(top, consumer)
                if not chunk:
                    return


def _not_xml(path):
    return damaged(_("its part {part} is not the XML it should be").format(part=path))


def _cut_back(top, consumer):
    """Drop the finished elements at each level of the open path but the last."""
    node = top
    while len(node):
        if consumer is not None and node is consumer.open:
            consumer.take_finished(node)
            if len(node) and _holds_more_than(node[-1], _MAX_ELEMENTS_IN_OPEN_CELL):
                raise UnreadableFile(damaged(_("a cell holds too many elements")))
            return
        del node[:-1]
        node = node[-1]


def _holds_more_than(element, count):
    return next(itertools.islice(element.iter(), count, None), None) is not None


def _target_of(relationships, kind_suffix):
    return next((path for kind, path in relationships.values() if kind.endswith(kind_suffix)), None)


def _local(element):
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(element):
    """`{uri}` of an element's tag: the transitional or the strict SpreadsheetML one."""
    tag = element.tag
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


class _Texts:
    """Reads string items (`<si>`, `<is>`) as openpyxl does: their `<t>`, or their runs'
    `<t>`, without the phonetic guide (`<rPh>`). Tags are compared whole: it is the
    costliest step of reading a sheet."""

    def __init__(self, namespace):
        self.t = namespace + "t"
        self.run = namespace + "r"

    def of(self, children):
        parts = []
        for child in children:
            if child.tag == self.t:
                parts.append(child.text or "")
            elif child.tag == self.run:
                parts.extend(part.text or "" for part in child if part.tag == self.t)
        return "".join(parts)


class _SharedStrings:
    """The strings of the shared-string table, each checked as it is read; the finished
    runs of the string being parsed are taken as they come."""

    def __init__(self):
        self.open = None
        self.texts = None
        self.parts = []
        self.length = 0

    def take_finished(self, item):
        self._take(item[:-1])
        del item[:-1]

    def strings(self, events):
        for event, item in events:
            if event == "start":
                self.texts = self.texts or _Texts(_namespace(item))
                self.open, self.parts, self.length = item, [], 0
            elif item is self.open:
                self._take(item)
                item.clear()
                self.open = None
                yield "".join(self.parts).replace("x005F_", "")

    def _take(self, children):
        text = self.texts.of(children)
        self.length += len(text)
        if self.length > limits.MAX_CELL_CHARACTERS:
            raise UnreadableFile(limits.cell_too_long_in_workbook())
        self.parts.append(text)


class _Sheet:
    """Rows as lists of values (None for an empty cell), the finished cells of the row
    being parsed taken as they come."""

    def __init__(self, strings, date_styles, timedelta_styles, *, epoch):
        self.strings = strings
        self.date_styles = date_styles
        self.timedelta_styles = timedelta_styles
        self.epoch = epoch
        self.rows_held = 0
        self.cells = 0
        self.text = 0
        self.open = None
        self.values = {}
        self.column = 0
        self.columns = {}
        self.cell_tag = None

    def take_finished(self, row):
        for cell in row[:-1]:
            self._take(cell)
        del row[:-1]

    def rows(self, events):
        for event, row in events:
            if event == "start":
                # Every row the file holds counts, empty formatted ones too: they cost as
                # much to read.
                self.rows_held += 1
                if self.rows_held > limits.MAX_ROWS + 1:
                    raise UnreadableFile(limits.too_many_rows())
                if self.cell_tag is None:
                    self._learn_tags(_namespace(row))
                self.open, self.values, self.column = row, {}, 0
            elif row is self.open:
                for cell in row:
                    self._take(cell)
                row.clear()
                values, self.open, self.values = self.values, None, {}
                if values:
                    yield [values.get(column) for column in range(1, max(values) + 1)]

    def _learn_tags(self, namespace):
        self.cell_tag = namespace + "c"
        self.value_tag = namespace + "v"
        self.inline_tag = namespace + "is"
        self.texts = _Texts(namespace)

    def _take(self, cell):
        if cell.tag != self.cell_tag:
            return
        self.cells += 1
        if self.cells > limits.MAX_CELLS:
            raise UnreadableFile(limits.too_many_cells())
        reference = cell.get("r")
        self.column = self._column_of(reference) if reference else self.column + 1
        value = self._value(cell)
        if value is None:
            return
        if self.column > limits.MAX_COLUMNS:
            raise UnreadableFile(limits.too_many_columns())
        if value.__class__ is str:
            # A shared text counts each time a cell repeats it.
            self.text += len(value)
            if self.text > limits.MAX_TEXT_CHARACTERS:
                raise UnreadableFile(limits.too_much_text())
        self.values[self.column] = value

    def _column_of(self, reference):
        letters = reference.rstrip("0123456789")
        column = self.columns.get(letters)
        if column is None:
            column = self.columns[letters] = _column_of(letters)
        return column

    def _value(self, cell):
        kind = cell.get("t")
        raw = None
        for child in cell:
            if child.tag == self.value_tag:
                raw = child.text
            elif child.tag == self.inline_tag and kind == "inlineStr":
                return self.texts.of(child)
        if not raw:
            return None
        if kind == "s":
            try:
                return self.strings[int(raw)]
            except (ValueError, IndexError):
                raise UnreadableFile(
                    damaged(_("a cell refers to a text the workbook does not hold"))
                ) from None
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            try:
                return from_ISO8601(raw)
            except ValueError:
                return raw
        if kind in ("str", "e", "inlineStr"):
            return raw
        return self._number(raw, cell.get("s"))

    def _number(self, raw, style):
        try:
            number = float(raw) if any(c in raw for c in ".eE") else int(raw)
            style = int(style or 0)
        except ValueError:
            return raw
        if style in self.date_styles:
            try:
                return from_excel(number, self.epoch, timedelta=style in self.timedelta_styles)
            except (OverflowError, ValueError):
                return number
        return number


def _column_of(letters):
    """The column number of a cell reference's letters, `B` → 2; past Excel's last column
    for anything else."""
    if not letters or len(letters) > 3 or not letters.isascii() or not letters.isalpha():
        return _LAST_COLUMN + 1
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number
