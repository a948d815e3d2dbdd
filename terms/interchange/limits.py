"""How much an imported file may hold, and the sentences that refuse the rest.

A file of a few megabytes can ask for gigabytes: a sheet that claims a million rows, a
cell that unzips to a gigabyte, JSON nested a hundred thousand deep. The readers check
these limits while they read, so that such a file is refused before it costs much, and
the refusal names the limit. The limits are set from real glossaries: the bench imports
10,000 rows and the SPEC plans for 100,000 concepts, so a file of twice that still
passes; a file at every limit at once costs about what that largest glossary costs.
"""

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Data rows, the header row aside: twice the 100,000 concepts the SPEC plans for.
MAX_ROWS = 200_000
# The full layout has 19 columns for two languages and 7 more per language: room for a
# dozen content languages.
MAX_COLUMNS = 100
# Cells an XLSX sheet holds, empty formatted ones included (each costs as much to
# read): 200,000 rows of the full layout of two languages.
MAX_CELLS = 4_000_000
# Excel's own limit for one cell: every cell Excel can hold is accepted, and a long
# definition is a few thousand characters.
MAX_CELL_CHARACTERS = 32_767
# Values in one `a | b | c` cell: a concept has a handful of acronyms or variants, a
# hub concept a few dozen see-also links.
MAX_VALUES_PER_CELL = 1_000
# All the text of a file, counted cell by cell: an XLSX cell may repeat a shared text
# that the file holds once. 200,000 rows of 1,250 characters (the bench's rows have
# about 900).
MAX_TEXT_CHARACTERS = 250_000_000
# What the XML parts of an XLSX file may unzip to, together: our own export of 200,000
# rows unzips to about 290 MB.
MAX_UNZIPPED_MEGABYTES = 512
MAX_UNZIPPED_BYTES = MAX_UNZIPPED_MEGABYTES * 2**20
# Digits of a JSON number: a glossary's values are text, and Python itself refuses to
# read an integer of more than 4,300 digits.
MAX_NUMBER_DIGITS = 100


def _number(value):
    # Digits grouped as the reader's language groups them (200,000; 200 000); the
    # command line, which speaks no language, writes English.
    if get_language() is None:
        return f"{value:,}"
    return number_format(value, force_grouping=True)


def too_many_rows():
    return _(
        "This file has more than {limit} rows; the largest accepted is {limit}. "
        "Split it into smaller files."
    ).format(limit=_number(MAX_ROWS))


def too_many_columns():
    return _(
        "This file has more than {limit} columns; the largest accepted is {limit}. "
        "Delete the columns the glossary does not use."
    ).format(limit=_number(MAX_COLUMNS))


def too_many_cells():
    return _(
        "This sheet has more than {limit} cells (empty formatted cells included); the "
        "largest accepted is {limit}. Delete the rows and columns the glossary does not use."
    ).format(limit=_number(MAX_CELLS))


def too_much_text():
    return _(
        "This file holds more than {limit} characters of text; the largest accepted is {limit}. "
        "Split it into smaller files."
    ).format(limit=_number(MAX_TEXT_CHARACTERS))


def cell_too_long(row, column):
    return _(
        "Row {row}, column {column}: the cell holds more than {limit} characters; the "
        "largest accepted is {limit}."
    ).format(row=row, column=column, limit=_number(MAX_CELL_CHARACTERS))


def cell_too_long_on_line(line):
    return _(
        "Line {line}: a cell holds more than {limit} characters; the largest accepted is {limit}."
    ).format(line=line, limit=_number(MAX_CELL_CHARACTERS))


def too_many_values(row, column):
    return _(
        "Row {row}, column {column}: the cell holds more than {limit} values separated "
        "by “|”; the largest accepted is {limit}."
    ).format(row=row, column=column, limit=_number(MAX_VALUES_PER_CELL))


def unzipped_too_big():
    return _(
        "This workbook unzips to more than {limit} MB; the largest accepted is {limit} MB."
    ).format(limit=_number(MAX_UNZIPPED_MEGABYTES))


def cell_too_long_in_workbook():
    return _(
        "A cell of this workbook holds more than {limit} characters; the largest accepted "
        "is {limit}."
    ).format(limit=_number(MAX_CELL_CHARACTERS))
