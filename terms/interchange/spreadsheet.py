"""Spreadsheets (CSV, XLSX, JSON) as concept records: one row per concept.

Columns, in the SPEC's order: `slug`, `status`, then per content language
`term_L`, `acronyms_L`, `variants_L`, `definition_L`, and last `see_also`
(`terms.records.field_names`), and exports end with `updated_at`, the version of the
concept the row was made from, so that an import can tell the concepts changed since.
Several values in a cell are separated by ` | `.

How a row reads:
- a column absent from the file says nothing (the record leaves that field
  `None`, so the concept keeps it); a present but empty cell clears the field,
  except `status`, which an empty cell leaves alone; in JSON, a key an object
  leaves out says nothing either;
- a blank slug is left blank: the writer derives it from the terms.

The bytes themselves are read and written by `terms.interchange.formats`, which
knows the dialects of real spreadsheet files and keeps cells formula-safe.
"""

from datetime import UTC

import tablib
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from terms import text
from terms.interchange.errors import UnreadableFile
from terms.interchange.formats import read_dataset, write_dataset
from terms.languages import content_languages, default_language
from terms.models import Status
from terms.records import LIST_PARTS, PARTS, ConceptRecord, Content, field_names

# The last column of an export: the version (last update) each row was made from.
VERSION_COLUMN = "updated_at"

STATUS_WORDS = {
    "published": Status.PUBLISHED,
    "publié": Status.PUBLISHED,
    "publie": Status.PUBLISHED,
    "publiée": Status.PUBLISHED,
    "draft": Status.DRAFT,
    "brouillon": Status.DRAFT,
}


def cell_text(value):
    """A cell as text, whatever the spreadsheet made of it (None, numbers, text)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read(data, file_format):
    """The records of a CSV, XLSX or JSON file, in file order; raises UnreadableFile when
    the file as a whole is wrong (unreadable, unknown or repeated columns…)."""
    dataset = read_dataset(data, file_format)
    headers = _checked_headers(dataset.headers or [])
    return [
        _record(
            dict(zip(headers, row, strict=False)), where=_("row {number}").format(number=number)
        )
        for number, row in enumerate(dataset, 2)  # the header is row 1
    ]


def export_columns():
    """The columns of an export: the record's fields, then its version."""
    return [*field_names(), VERSION_COLUMN]


def _checked_headers(raw_headers):
    headers = [cell_text(h).strip().lstrip("\ufeff").strip().lower() for h in raw_headers]
    known = export_columns()
    if not any(headers):
        raise UnreadableFile(_("The file has no header row: its first row must name the columns."))
    unknown = [h for h in headers if h not in known]
    if unknown:
        raise UnreadableFile(
            _("Unknown column(s): {unknown}. Expected columns: {known}.").format(
                unknown=", ".join(repr(h) for h in unknown), known=", ".join(known)
            )
        )
    repeated = sorted({h for h in headers if headers.count(h) > 1})
    if repeated:
        raise UnreadableFile(
            _("Column(s) given twice: {columns}.").format(columns=", ".join(repeated))
        )
    if "slug" not in headers and f"term_{default_language()}" not in headers:
        raise UnreadableFile(
            _(
                "The file needs a 'slug' column or a '{term}' column "
                "to know which concept each row is."
            ).format(term=f"term_{default_language()}")
        )
    return headers


def _record(row, *, where):
    """One row as a (partial) record; a JSON null, like an absent column, says nothing."""
    problems = []

    def given(column):
        return column in row and row[column] is not None

    status = None
    if given("status"):
        word = cell_text(row["status"]).strip()
        if word:
            status = STATUS_WORDS.get(word.lower())
            if status is None:
                problems.append(
                    (
                        "status",
                        _("Unknown status {status}: use {published} or {draft}.").format(
                            status=repr(word),
                            published=repr(Status.PUBLISHED.value),
                            draft=repr(Status.DRAFT.value),
                        ),
                    )
                )
    contents = {}
    for language in content_languages():
        columns = {part: f"{part}_{language}" for part in PARTS}
        if any(given(column) for column in columns.values()):
            contents[language] = Content(
                **{
                    part: _cell_value(part, row[column]) if given(column) else None
                    for part, column in columns.items()
                }
            )
    updated_at = None
    if given(VERSION_COLUMN) and cell_text(row[VERSION_COLUMN]).strip():
        updated_at = _version(cell_text(row[VERSION_COLUMN]).strip())
        if updated_at is None:
            problems.append(
                (
                    VERSION_COLUMN,
                    _(
                        "Unreadable date {value}: leave the column as the export wrote it, or "
                        "remove it."
                    ).format(value=repr(cell_text(row[VERSION_COLUMN]).strip()[:40])),
                )
            )
    return ConceptRecord(
        slug=cell_text(row.get("slug")).strip(),
        status=status,
        contents=contents,
        see_also=tuple(text.split_values(cell_text(row["see_also"])))
        if given("see_also")
        else None,
        updated_at=updated_at,
        where=where,
        problems=tuple(problems),
    )


def _version(value):
    """The version a row was made from. A spreadsheet that took the cell for a date may have
    dropped its time zone (then UTC, as exported) and its microseconds."""
    try:
        moment = parse_datetime(value.replace(" ", "T", 1))
    except ValueError:
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _cell_value(part, value):
    raw = cell_text(value)
    if part in LIST_PARTS:
        return tuple(text.split_values(raw))
    if part == "term":
        return text.clean_term(raw)
    return text.clean_definition(raw)


def write(records, file_format, *, columns=None):
    """The records as a CSV, XLSX or JSON file (bytes), in `columns` (default: all, then
    the version column)."""
    columns = columns or export_columns()
    dataset = tablib.Dataset(headers=columns)
    for record in records:
        values = record.fields()
        values[VERSION_COLUMN] = record.updated_at.isoformat() if record.updated_at else ""
        dataset.append([values[column] for column in columns])
    return write_dataset(dataset, file_format)
