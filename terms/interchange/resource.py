"""The spreadsheet row of a concept, for django-import-export.

One row per concept, columns in the SPEC's order: `slug`, `status`, then per
content language `term_L`, `acronyms_L`, `variants_L`, `definition_L`, and
last `see_also`. The admin, the commands and the seed all import through
`ConceptResource`, so they accept and refuse exactly the same files.

How a row is applied:
- a column absent from the file leaves that field as it is; a present but
  empty cell clears it (except `status`, which an empty cell leaves alone);
- rows are matched by slug; a blank slug is derived from the row's terms;
- see-also links are set after every row is in, so a row may link to a
  concept that a later row creates;
- any invalid row, or a problem with the file as a whole, rolls everything
  back: the caller passes `rollback_on_validation_errors=True`.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from terms import text
from terms.mentions import refresh_after_change
from terms.models import (
    Concept,
    ConceptText,
    Status,
    content_languages,
    default_language,
    refresh_derived_for,
)

SLUG_PATTERN = re.compile(r"[-a-zA-Z0-9_]+")
CONTENT_PARTS = ("term", "acronyms", "variants", "definition")
LIST_PARTS = ("acronyms", "variants")

STATUS_WORDS = {
    "published": Status.PUBLISHED,
    "publié": Status.PUBLISHED,
    "publie": Status.PUBLISHED,
    "publiée": Status.PUBLISHED,
    "draft": Status.DRAFT,
    "brouillon": Status.DRAFT,
}


def interchange_columns():
    """The SPEC's column order, with the content languages of the settings."""
    columns = ["slug", "status"]
    for language in content_languages():
        columns += [f"{part}_{language}" for part in CONTENT_PARTS]
    return [*columns, "see_also"]


def cell_text(value):
    """A cell as text, whatever the spreadsheet made of it (None, numbers, text)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class ImportProblem(Exception):
    """A problem with the file as a whole (columns, duplicates), not with one row."""


class ContentWidget(widgets.Widget):
    """A language field: lists as `a | b` cells, texts cleaned the way editors mean them."""

    def __init__(self, part):
        super().__init__()
        self.part = part

    def clean(self, value, row=None, **kwargs):
        raw = cell_text(value)
        if self.part in LIST_PARTS:
            return text.split_values(raw)
        if self.part == "term":
            return text.clean_term(raw)
        return text.clean_definition(raw)

    def render(self, value, obj=None, **kwargs):
        if self.part in LIST_PARTS:
            return text.join_values(value or [])
        return value or ""


class ContentField(fields.Field):
    """One part of one language's content, read from and written to `concept.pending`."""

    def __init__(self, language, part):
        column = f"{part}_{language}"
        super().__init__(attribute=column, column_name=column, widget=ContentWidget(part))
        self.language = language
        self.part = part

    def get_value(self, instance):
        return instance.pending[self.language][self.part]

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.pending[self.language][self.part] = self.clean(row, **kwargs)


class StatusWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        word = cell_text(value).strip().lower()
        if not word:
            return None
        if word not in STATUS_WORDS:
            raise ValueError(
                _("Unknown status {status}: use {published} or {draft}.").format(
                    status=repr(cell_text(value).strip()),
                    published=repr(Status.PUBLISHED.value),
                    draft=repr(Status.DRAFT.value),
                )
            )
        return STATUS_WORDS[word]

    def render(self, value, obj=None, **kwargs):
        return value or ""


class SeeAlsoField(fields.Field):
    """See-also slugs, kept on the instance and written once every row exists."""

    def __init__(self):
        super().__init__(
            attribute="see_also", column_name="see_also", widget=ContentWidget("acronyms")
        )

    def get_value(self, instance):
        return instance.pending_see_also

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.pending_see_also = self.clean(row, **kwargs)


def load_pending(concept, texts):
    """Attach the editable content of `concept` as plain values, for comparing and diffing."""
    concept.pending = {
        language: {"term": "", "acronyms": [], "variants": [], "definition": ""}
        for language in content_languages()
    }
    for content in texts:
        if content.language in concept.pending:
            concept.pending[content.language] = {
                "term": content.term,
                "acronyms": list(content.acronyms),
                "variants": list(content.variants),
                "definition": content.definition,
            }


def names_of(concept):
    """The wordings that name `concept` in its pending content (for relinking mentions)."""
    names = set()
    for values in getattr(concept, "pending", {}).values():
        if values["term"]:
            names.add(values["term"])
        names.update(values["acronyms"])
        names.update(values["variants"])
    return names


class ConceptResource(resources.ModelResource):
    slug = fields.Field(attribute="slug", column_name="slug")
    # An empty status cell leaves the status as it is (new concepts: published).
    status = fields.Field(
        attribute="status", column_name="status", widget=StatusWidget(), saves_null_values=False
    )

    class Meta:
        model = Concept
        fields = ("slug", "status")
        import_id_fields = ("slug",)
        skip_unchanged = True
        # Unchanged rows are counted, not listed: a preview of a 10,000-row file shows
        # what changes.
        report_skipped = False
        clean_model_instances = False
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for language in content_languages():
            for part in CONTENT_PARTS:
                field = ContentField(language, part)
                self.fields[field.column_name] = field
        self.fields["see_also"] = SeeAlsoField()
        self.touched = []
        self.changes = {}

    def get_export_order(self):
        return tuple(interchange_columns())

    def get_import_order(self):
        return tuple(interchange_columns())

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # A JSON object that leaves a key out (None) leaves that field alone.
        if row.get(field.column_name, "") is None:
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def get_queryset(self):
        return Concept.objects.prefetch_related("texts", "see_also").order_by("slug")

    # -- export --------------------------------------------------------------

    def export_resource(self, instance, selected_fields=None, **kwargs):
        if not hasattr(instance, "pending"):
            load_pending(instance, instance.texts.all())
            instance.pending_see_also = sorted(c.slug for c in instance.see_also.all())
        return super().export_resource(instance, selected_fields, **kwargs)

    # -- import: whole-file checks -----------------------------------------------

    def before_import(self, dataset, **kwargs):
        self.known_concepts = {}
        self.slugs_in_file = set()
        self.touched = []
        self.changes = {}
        self.changed_wordings = set()
        try:
            self.prepare_dataset(dataset)
        except ImportProblem:
            # No row is worth reading in a file that is wrong as a whole.
            dataset.wipe()
            raise

    def prepare_dataset(self, dataset):
        headers = [
            cell_text(h).strip().lstrip("\ufeff").strip().lower() for h in dataset.headers or []
        ]
        known = interchange_columns()
        unknown = [h for h in headers if h not in known]
        if not headers or not any(h for h in headers):
            raise ImportProblem(
                _("The file has no header row: its first row must name the columns.")
            )
        if unknown:
            raise ImportProblem(
                _("Unknown column(s): {unknown}. Expected columns: {known}.").format(
                    unknown=", ".join(repr(h) for h in unknown), known=", ".join(known)
                )
            )
        repeated = sorted({h for h in headers if headers.count(h) > 1})
        if repeated:
            raise ImportProblem(
                _("Column(s) given twice: {columns}.").format(columns=", ".join(repeated))
            )
        if "slug" not in headers and f"term_{default_language()}" not in headers:
            raise ImportProblem(
                _(
                    "The file needs a 'slug' column or a '{term}' column "
                    "to know which concept each row is."
                ).format(term=f"term_{default_language()}")
            )
        dataset.headers = headers
        if "slug" not in headers:
            dataset.append_col([""] * len(dataset), header="slug")

        existing = Concept.objects.prefetch_related("texts", "see_also")
        self.known_concepts = {c.slug: c for c in existing}
        self.fill_blank_slugs(dataset)
        self.check_duplicate_slugs(dataset)
        self.slugs_in_file = {cell_text(row["slug"]).strip() for row in dataset.dict}

    def fill_blank_slugs(self, dataset):
        """Derive a slug from the row's terms where the slug cell is empty."""
        slug_index = dataset.headers.index("slug")
        rows = []
        for row in dataset:
            row = list(row)
            slug = cell_text(row[slug_index]).strip()
            if not slug:
                values = dict(zip(dataset.headers, row, strict=False))
                for language in content_languages():
                    term = cell_text(values.get(f"term_{language}", ""))
                    if text.slug_for(term):
                        slug = text.slug_for(term)
                        break
            row[slug_index] = slug
            rows.append(row)
        headers = dataset.headers
        dataset.wipe()
        dataset.headers = headers
        for row in rows:
            dataset.append(row)

    def check_duplicate_slugs(self, dataset):
        first_row = {}
        duplicates = []
        for number, row in enumerate(dataset.dict, 2):  # the header is row 1
            slug = cell_text(row["slug"]).strip()
            if not slug:
                continue
            if slug in first_row:
                duplicates.append(
                    _("row {number} repeats slug {slug} of row {first}").format(
                        number=number, slug=repr(slug), first=first_row[slug]
                    )
                )
            else:
                first_row[slug] = number
        if duplicates:
            raise ImportProblem(
                _("Duplicate slugs: {duplicates}.").format(duplicates="; ".join(duplicates))
            )

    # -- import: one row -----------------------------------------------------------

    def get_instance(self, instance_loader, row):
        return self.known_concepts.get(cell_text(row.get("slug")).strip())

    def init_instance(self, row=None):
        concept = Concept(status=Status.PUBLISHED)
        load_pending(concept, [])
        concept.pending_see_also = []
        return concept

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new and not hasattr(instance, "pending"):
            load_pending(instance, instance.texts.all())
            instance.pending_see_also = sorted(c.slug for c in instance.see_also.all())

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        errors.update(self.row_problems(instance, row))
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        skip = super().skip_row(instance, original, row, import_validation_errors)
        if not skip and not import_validation_errors:
            self.changed_wordings |= names_of(instance) ^ names_of(original)
        if not skip and original is not None and original.pk and not import_validation_errors:
            self.changes[instance.slug] = [
                (field.column_name, field.export(original), field.export(instance))
                for field in self.get_import_fields()
                if field.column_name in row
                and field.get_value(original) != field.get_value(instance)
            ]
        return skip

    def row_problems(self, instance, row):
        problems = {}
        slug = cell_text(row.get("slug")).strip()
        if not slug:
            problems["slug"] = ValidationError(_("No slug, and no term to derive one from."))
        elif not SLUG_PATTERN.fullmatch(slug) or len(slug) > 100:
            problems["slug"] = ValidationError(
                _(
                    "Invalid slug {slug}: use at most 100 letters, digits, hyphens and underscores."
                ).format(slug=repr(slug[:100]))
            )
        instance.slug = slug
        language = default_language()
        if not instance.pending[language]["term"]:
            problems[f"term_{language}"] = ValidationError(
                _("A term in the default language ({language}) is required.").format(
                    language=language
                )
            )
        for language_code in content_languages():
            term = instance.pending[language_code]["term"]
            if len(term) > 255:
                problems[f"term_{language_code}"] = ValidationError(
                    _("A term is at most 255 characters.")
                )
        unknown = [
            target
            for target in instance.pending_see_also
            if target not in self.known_concepts and target not in self.slugs_in_file
        ]
        if unknown:
            problems["see_also"] = ValidationError(
                _("Unknown see-also slug(s): {slugs}.").format(slugs=", ".join(unknown))
            )
        elif slug in instance.pending_see_also:
            problems["see_also"] = ValidationError(_("A concept cannot be its own see-also link."))
        return problems

    def get_import_fields(self):
        # Asked for every field of every row: compute the list once per import.
        if not hasattr(self, "_import_fields"):
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("dry_run"):
            # A dry run is rolled back: writing the row would only cost time. Slugs
            # are checked against the database and the file in before_import.
            self.before_save_instance(instance, row, **kwargs)
            self.after_save_instance(instance, row, **kwargs)
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        instance.created_by_import = instance.pk is None
        # History is recorded in bulk once texts and links are written (record_history).
        instance.skip_history_when_saving = True

    def after_save_instance(self, instance, row, **kwargs):
        # Texts, links and derived rows are written in bulk once every row is in
        # (after_import): a row only records what it brings.
        instance.display_label = instance.pending[default_language()]["term"]
        self.known_concepts[instance.slug] = instance
        self.touched.append(instance)

    def after_import(self, dataset, result, **kwargs):
        if result.has_errors() or result.has_validation_errors() or not self.touched:
            return
        if kwargs.get("dry_run"):
            return  # rolled back anyway: nothing derived is worth computing
        reason = f"import of {kwargs.get('file_name') or 'a file'}"[:100]
        user = kwargs.get("user")
        user = user if getattr(user, "is_authenticated", False) else None
        with transaction.atomic():
            # A concept's record comes before its texts: a version's texts are those
            # written until the next record (see terms/history.py).
            self.write_see_also()
            self.record_history(reason=reason, user=user)
            self.write_texts(reason=reason, user=user)
            refresh_derived_for([c.pk for c in self.touched])
            refresh_after_change({c.pk for c in self.touched}, self.changed_wordings)

    def write_texts(self, *, reason, user):
        to_create, to_update = [], []
        for concept in self.touched:
            existing = {} if concept.created_by_import else concept.texts_by_language()
            for language, values in concept.pending.items():
                content = existing.get(language)
                if content is None:
                    if any(values.values()):
                        to_create.append(ConceptText(concept=concept, language=language, **values))
                elif any(getattr(content, part) != values[part] for part in CONTENT_PARTS):
                    for part in CONTENT_PARTS:
                        setattr(content, part, values[part])
                    to_update.append(content)
        bulk_create_with_history(
            to_create, ConceptText, batch_size=500, default_user=user, default_change_reason=reason
        )
        bulk_update_with_history(
            to_update,
            ConceptText,
            list(CONTENT_PARTS),
            batch_size=500,
            default_user=user,
            default_change_reason=reason,
        )

    def record_history(self, *, reason, user):
        """One history record per imported concept, with its see-also links."""
        for concept in self.touched:
            del concept.skip_history_when_saving
        snapshot = Concept.history.model.see_also.model
        for created in (True, False):
            concepts = [c for c in self.touched if c.created_by_import == created]
            records = Concept.history.bulk_history_create(
                concepts,
                batch_size=500,
                update=not created,
                default_user=user,
                default_change_reason=reason,
            )
            snapshot.objects.bulk_create(
                [
                    snapshot(
                        id=self.see_also_rows[(concept.pk, target)],
                        history=record,
                        from_concept_id=concept.pk,
                        to_concept_id=target,
                    )
                    for record, concept in zip(records or [], concepts, strict=True)
                    for target in (self.see_also_ids.get(slug) for slug in concept.pending_see_also)
                    if target
                ],
                batch_size=1000,
            )

    def write_see_also(self):
        ids = dict(Concept.objects.values_list("slug", "pk"))
        self.see_also_ids = ids
        through = Concept.see_also.through
        touched_ids = [c.pk for c in self.touched]
        for start in range(0, len(touched_ids), 500):
            through.objects.filter(from_concept_id__in=touched_ids[start : start + 500]).delete()
        rows = through.objects.bulk_create(
            [
                through(from_concept_id=concept.pk, to_concept_id=ids[slug])
                for concept in self.touched
                for slug in concept.pending_see_also
            ],
            batch_size=1000,
        )
        self.see_also_rows = {(row.from_concept_id, row.to_concept_id): row.pk for row in rows}


class BatchConceptResource(ConceptResource):
    """The same import for commands and scripts: no HTML diff, which only the admin shows."""

    class Meta(ConceptResource.Meta):
        skip_html_diff = True
