"""A definition's links stored as where they are, not as the definition written out again.

`ConceptText.definition_links` held the whole definition cut into [piece, concept id or
null]: as long again as the definition (22 MB for 10,000 long definitions, most of what an
import wrote into that table). It now holds [start, end, concept id] of the linked pieces
only; `text.segments_of` cuts the definition there when a page shows it.
"""

from django.db import migrations

BATCH = 500


def _spans(definition, segments):
    spans, position = [], 0
    for piece, target in segments:
        if target is not None:
            spans.append([position, position + len(piece), target])
        position += len(piece)
    # Pieces that are not the definition (there were none) would link the wrong words:
    # the next change relinks it.
    return spans if "".join(piece for piece, _target in segments) == definition else []


def _segments(definition, spans):
    segments, cursor = [], 0
    for start, end, target in spans:
        if start > cursor:
            segments.append([definition[cursor:start], None])
        segments.append([definition[start:end], target])
        cursor = end
    if cursor < len(definition):
        segments.append([definition[cursor:], None])
    return segments


def _convert(apps, is_old_form, convert):
    ConceptText = apps.get_model("terms", "ConceptText")
    # In batches of ids read first: a SQLite connection cannot safely write a table it is
    # still reading.
    ids = list(
        ConceptText.objects.exclude(definition_links=[])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        changed = []
        for text in ConceptText.objects.filter(pk__in=ids[start : start + BATCH]).only(
            "pk", "definition", "definition_links"
        ):
            links = text.definition_links
            if links and is_old_form(links[0]):
                text.definition_links = convert(text.definition, links)
                changed.append(text)
        ConceptText.objects.bulk_update(changed, ["definition_links"])


def to_spans(apps, schema_editor):
    _convert(apps, lambda link: len(link) == 2 and isinstance(link[0], str), _spans)


def to_segments(apps, schema_editor):
    _convert(apps, lambda link: len(link) == 3, _segments)


class Migration(migrations.Migration):
    dependencies = [
        ("terms", "0020_definition_stems_once"),
    ]

    operations = [
        migrations.RunPython(to_spans, to_segments),
    ]
