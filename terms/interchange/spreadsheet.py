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

Another tool's spreadsheet (Weblate's glossary, recognised by itself, or any sheet
whose columns an editor assigned: `terms.interchange.layouts`) has no slugs: its
rows are foreign records, matched to concepts by their terms, an empty cell says
nothing, and a row without a term in the default language is left out and reported.

The bytes themselves are read and written by `terms.interchange.formats`, which
knows the dialects of real spreadsheet files and keeps cells formula-safe.
"""

from dataclasses import replace
from datetime import UTC

import tablib
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from terms import text
from terms.interchange import layouts
from terms.interchange.errors import UnreadableFile
from terms.interchange.formats import read_dataset, write_dataset
from terms.interchange.layouts import VERSION_COLUMN
from terms.languages import content_languages, default_language
from terms.models import Status
from terms.records import LIST_PARTS, PARTS, ConceptRecord, Content, LeftOut, Reading

STATUS_WORDS = {
    "published": Status.PUBLISHED,
    "publié": Status.PUBLISHED,
    "publie": Status.PUBLISHED,
    "publiée": Status.PUBLISHED,
    "draft": Status.DRAFT,
    "brouillon": Status.DRAFT,
}


def read(data, file_format, *, file_name="", mapping=None):
    """The records of a CSV, XLSX or JSON file, in file order, as a Reading that also says
    how its columns were read (`layout`) and what it held that is not kept (`left_out`).

    The glossary's own columns read as they are; Weblate's glossary layout is recognised;
    any other file needs `mapping` ({file column: field}, see `layouts`). Raises
    ColumnsNeeded when the columns are not known and no mapping is given, UnreadableFile
    when the file as a whole is wrong (unreadable, repeated columns…).
    """
    dataset = read_dataset(data, file_format)
    raw_headers, rows = _without_empty_columns(list(dataset.headers or []), list(dataset))
    if not any(text.cell_text(header).strip() for header in raw_headers):
        raise UnreadableFile(_("The file has no header row: its first row must name the columns."))
    layout = layouts.layout_of(raw_headers, rows, file_name=file_name, mapping=mapping)
    targets = set(layout.mapping.values())
    if "slug" not in targets and f"term_{default_language()}" not in targets:
        raise UnreadableFile(
            _(
                "The file needs a 'slug' column or a '{term}' column "
                "to know which concept each row is."
            ).format(term=f"term_{default_language()}")
        )
    left_out = {}
    records = []
    for number, row in enumerate(rows, 2):  # the header is row 1
        where = _("row {number}").format(number=number)
        cells = dict(zip(layout.columns, row, strict=False))
        for column in layout.ignored():
            if text.cell_text(cells.get(column)).strip():
                what = _("cells of the column “{column}”, not imported").format(
                    column=layout.headers[column]
                )
                left_out.setdefault(what, LeftOut(what)).add(where)
        values = {target: cells.get(column) for column, target in layout.mapping.items() if target}
        record = _record(values, where=where, foreign=layout.foreign)
        if layout.foreign:
            record = replace(record, foreign=True)
            if not record.contents and not record.slug:
                continue  # a row with nothing the glossary keeps
        records.append((_key(cells, layout.group_by) or where, record))
    if layout.group_by:
        records = _grouped(records)
    kept = [record for _key_, record in records]
    if layout.foreign:
        kept = _with_default_term(kept, left_out)
    return Reading(kept, left_out=list(left_out.values()), layout=layout)


def _without_empty_columns(headers, rows):
    """The sheet without columns that have neither a header nor a value (a spreadsheet's
    trailing blank columns)."""
    keep = [
        i
        for i, header in enumerate(headers)
        if text.cell_text(header).strip()
        or any(i < len(row) and text.cell_text(row[i]).strip() for row in rows)
    ]
    return [headers[i] for i in keep], [
        [row[i] if i < len(row) else None for i in keep] for row in rows
    ]


def _key(cells, columns):
    """What makes rows one concept, or None when the row has nothing to be grouped by."""
    key = tuple(text.fold(text.cell_text(cells.get(column))) for column in columns)
    return key if any(key) else None


def _grouped(keyed_records):
    """Rows with the same key as one record: Weblate writes one row per translation of a
    term, so a term's further translations become its variants."""
    groups = {}
    for key, record in keyed_records:
        if key in groups:
            groups[key] = (key, _merged(groups[key][1], record))
        else:
            groups[key] = (key, record)
    return list(groups.values())


def _merged(first, other):
    contents = dict(first.contents)
    for language, extra in other.contents.items():
        mine = contents.get(language)
        if mine is None:
            contents[language] = extra
            continue
        wordings = [w for w in (extra.term, *(extra.variants or ())) if w]
        if not mine.term:
            mine = replace(mine, term=wordings.pop(0) if wordings else mine.term)
        variants = [v for v in (*(mine.variants or ()), *wordings) if v != mine.term]
        contents[language] = replace(
            mine,
            variants=tuple(dict.fromkeys(variants)) or mine.variants,
            acronyms=tuple(dict.fromkeys((*(mine.acronyms or ()), *(extra.acronyms or ()))))
            or mine.acronyms,
            definition=mine.definition or extra.definition,
        )
    return replace(first, contents=contents, problems=(*first.problems, *other.problems))


def _with_default_term(records, left_out):
    """Another tool's rows that have a term in the default language; the others are left out,
    and said to be: no language is ever filled from another."""
    language = default_language()
    kept = []
    for record in records:
        if record.slug or record.content(language).term:
            kept.append(record)
            continue
        what = _("rows with no term in {language}, not imported").format(language=language)
        left_out.setdefault(what, LeftOut(what)).add(record.where)
    return kept


def export_columns():
    """The columns of an export: the record's fields, then its version."""
    return layouts.fields()


def _record(row, *, where, foreign=False):
    """One row, {field: cell}, as a (partial) record; a JSON null, like an absent column,
    says nothing, and so does an empty cell of another tool's file."""
    problems = []

    def given(column):
        if column not in row or row[column] is None:
            return False
        return not foreign or bool(text.cell_text(row[column]).strip())

    status = None
    if given("status"):
        word = text.cell_text(row["status"]).strip()
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
    if given(VERSION_COLUMN) and text.cell_text(row[VERSION_COLUMN]).strip():
        updated_at = _version(text.cell_text(row[VERSION_COLUMN]).strip())
        if updated_at is None:
            problems.append(
                (
                    VERSION_COLUMN,
                    _(
                        "Unreadable date {value}: leave the column as the export wrote it, or "
                        "remove it."
                    ).format(value=repr(text.cell_text(row[VERSION_COLUMN]).strip()[:40])),
                )
            )
    return ConceptRecord(
        slug=text.cell_text(row.get("slug")).strip(),
        status=status,
        contents=contents,
        see_also=tuple(text.split_values(text.cell_text(row["see_also"])))
        if given("see_also")
        else None,
        domains=tuple(text.split_values(text.cell_text(row["domains"])))
        if given("domains")
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
    raw = text.cell_text(value)
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
