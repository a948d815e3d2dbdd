"""Files in, records out; the glossary out as files. Shared by every door.

`read_records` picks the codec for a file and returns its records (the writer,
terms/writer.py, applies them); `export_file` writes concepts in any format, for
the admin's export, `export_glossary` and the public downloads alike, so they
can never disagree about what a file holds.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from terms import collector
from terms.interchange import skos, spreadsheet, tbx
from terms.interchange.errors import UnreadableFile
from terms.interchange.formats import FORMATS, guess_format
from terms.interchange.layouts import ColumnsNeeded
from terms.models import Concept, Domain
from terms.records import load_records

# Formats that carry a status column; TBX and SKOS have no notion of a draft.
WITH_STATUS = FORMATS
EXPORT_CHUNK = 1000


def read_records(data, *, file_name="", file_format=None, mapping=None):
    """The records of a file's bytes, in file order; raises UnreadableFile.

    The format is recognised from the file; `file_format`, when given, decides only
    where the content does not (`formats.guess_format`). `mapping` says where another
    tool's spreadsheet columns go (`layouts`); a TBX file has no columns to map.
    """
    file_format = guess_format(file_name, data, chosen=file_format)
    if file_format == "tbx":
        if mapping:
            raise UnreadableFile(
                _("This is a TBX file: it has no columns to assign, only spreadsheets do.")
            )
        return tbx.read_tbx(data)
    return spreadsheet.read(data, file_format, file_name=file_name, mapping=mapping)


def read_layout(data, *, file_name="", file_format=None):
    """How a spreadsheet's columns read without a mapping (its columns, their first values,
    where each goes), or None for a file with no columns to assign (TBX, or unreadable).
    Reads the file only: nothing is compared with the glossary."""
    try:
        records = read_records(data, file_name=file_name, file_format=file_format)
    except ColumnsNeeded as asked:
        return asked.layout
    except UnreadableFile:
        return None
    return records.layout


def export_records(queryset=None, *, include_drafts=True, progress=None):
    """Complete records of the glossary (or `queryset`), ordered by slug, read a slice of
    EXPORT_CHUNK concepts at a time: flat memory, three queries per slice. `progress`, if
    given, is called as progress("exported", done, total) after each slice."""
    queryset = Concept.objects.all() if queryset is None else queryset
    if not include_drafts:
        queryset = queryset.published()
    ids = list(queryset.order_by("slug").values_list("pk", flat=True))
    for start in range(0, len(ids), EXPORT_CHUNK):
        chunk = ids[start : start + EXPORT_CHUNK]
        records = load_records(chunk)
        yield from (records[concept_id] for concept_id in chunk if concept_id in records)
        if progress:
            progress("exported", start + len(chunk), len(ids))


def domain_names():
    """{slug: {language: name}} of every domain, for the files that label them (SKOS): one
    query, a small table. A file only names the domains of the concepts it holds."""
    return dict(Domain.objects.values_list("slug", "names"))


@collector.while_paused
def export_file(
    file_format, queryset=None, *, include_drafts=None, columns=None, base_url=None, progress=None
):
    """The glossary (or `queryset`) as bytes in `file_format`.

    Spreadsheets carry drafts with their status; TBX and SKOS go to outside tools
    and carry no status, so they hold drafts only when `include_drafts` asks for them.
    `columns` narrows a spreadsheet to some columns (a translator's file).
    """
    if include_drafts is None:
        include_drafts = file_format in WITH_STATUS
    records = export_records(queryset, include_drafts=include_drafts, progress=progress)
    if file_format == "tbx":
        return tbx.write_tbx(records, title=settings.GLOSSARY_TITLE)
    if file_format == "skos":
        return skos.write_skos(
            records,
            base_url=(base_url or settings.GLOSSARY_BASE_URL).rstrip("/"),
            title=settings.GLOSSARY_TITLE,
            domains=domain_names(),
        )
    return spreadsheet.write(records, file_format, columns=columns)
