"""Each stem of a definition once in the search documents already written.

The writer now keeps each stem of a definition once (terms/text.py, `distinct_stems`); the
documents written before keep every occurrence until their concept changes. The search
finds the same concepts either way: this only brings the index of an existing glossary to
the size a new import gives it.
"""

from django.db import migrations

BATCH = 500


def stems_once(apps, schema_editor):
    SearchDocument = apps.get_model("terms", "SearchDocument")
    # In batches of ids read first: a SQLite connection cannot safely write a table it is
    # still reading.
    ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        changed = []
        for document in SearchDocument.objects.filter(pk__in=ids[start : start + BATCH]).only(
            "pk", "body_stems"
        ):
            once = " ".join(dict.fromkeys(document.body_stems.split()))
            if once != document.body_stems:
                document.body_stems = once
                changed.append(document)
        SearchDocument.objects.bulk_update(changed, ["body_stems"])


class Migration(migrations.Migration):
    dependencies = [
        ("terms", "0019_mentions_checked_by_the_writer"),
    ]

    operations = [
        migrations.RunPython(stems_once, migrations.RunPython.noop, elidable=True),
    ]
