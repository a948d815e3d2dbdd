"""The admin's import and export: django-import-export's screens over the glossary's own
writer and export service.

The editors keep the screens they know (a file and a format, a preview listing
what is new and what changes, a confirm button; an export form with a format and
columns), but nothing here reads, writes or exports concepts itself: the preview
is a dry run of `terms.writer.import_file`, the confirm its real run, and the
export is `terms.interchange.service.export_file`, as `export_glossary` runs it.
"""

import csv
import io
import json
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import Format
from import_export.forms import ConfirmImportForm, ImportForm, SelectableFieldsExportForm

from terms import background, writer
from terms.admin_forms import field_label
from terms.interchange import layouts
from terms.interchange.formats import CONTENT_TYPES, EXTENSIONS
from terms.interchange.service import export_file, read_layout
from terms.interchange.spreadsheet import export_columns
from terms.models import ColumnMapping, ImportJob
from terms.records import field_names

PREVIEW_ROWS = background.PREVIEW_ROWS


class ConceptResource(resources.Resource):
    """The spreadsheet columns, as django-import-export's forms list and select them. It
    describes; it does not import or export (the writer and the export service do)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name in export_columns():
            self.fields[name] = fields.Field(attribute=name, column_name=name)

    @classmethod
    def get_display_name(cls):
        return cls.__name__

    def get_export_order(self):
        return tuple(export_columns())

    def get_user_visible_fields(self):
        return list(self.fields.values())


class GlossaryFormat(Format):
    """A format of the glossary's own, named for the admin's forms."""

    key = ""  # the format of the import and export services
    imports = True
    label = ""  # its name in the export form

    def get_title(self):
        return self.key

    def get_extension(self):
        return EXTENSIONS[self.key]

    def get_content_type(self):
        return CONTENT_TYPES[self.key]

    def is_binary(self):
        return True

    def can_import(self):
        return self.imports

    def can_export(self):
        return True

    def from_export(self, data):
        """This format's file, made from the export service's file in `key`."""
        return data


class CSV(GlossaryFormat):
    key = "csv"
    label = _("CSV (UTF-8, commas)")


class XLSX(GlossaryFormat):
    key = "xlsx"
    label = _("XLSX (Excel, LibreOffice)")


class JSON(GlossaryFormat):
    key = "json"
    label = "JSON"


class TBX(GlossaryFormat):
    key = "tbx"
    label = _("TBX-Basic (terminology tools)")


class SKOS(GlossaryFormat):
    key = "skos"
    imports = False
    label = _("SKOS (Turtle)")


class CSVForExcel(GlossaryFormat):
    """The CSV export as French Excel opens it in columns when double-clicked: `;` between
    cells (the list separator of a French Windows), still UTF-8 with a BOM and CRLF line
    ends, with the same cells, formula escapes included."""

    key = "csv"
    imports = False
    label = _("CSV for Excel (;)")

    def from_export(self, data):
        return with_semicolons(data)


def with_semicolons(data):
    """CSV bytes (UTF-8 with BOM, commas) rewritten with semicolons, cell for cell."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


class CappedImportForm(ImportForm):
    """The import form: the format is recognised from the file unless the editor says
    otherwise, and files over GLOSSARY_MAX_UPLOAD_BYTES are refused before being read."""

    def _init_formats(self, formats):
        super()._init_formats(formats)
        field = self.fields["format"]
        field.required = False
        field.label = _("Format")
        field.choices = [("", _("Recognised from the file")), *field.choices[1:]]
        field.help_text = _("Choose a format only if the file is not recognised.")

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.GLOSSARY_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("This file is %(size)s; the largest accepted is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


class EntryChoices(forms.MultipleChoiceField):
    """Entries of the file, named by where they are; the import itself tells which exist."""

    def valid_value(self, value):
        return True


class ColumnsForm(forms.Form):
    """Where each column of another tool's spreadsheet goes: one menu per column of the
    file, with its first values, and the file kept between the steps."""

    step = forms.CharField(widget=forms.HiddenInput, initial="columns")
    upload = forms.CharField(widget=forms.HiddenInput)
    original_file_name = forms.CharField(widget=forms.HiddenInput, required=False)
    format = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, layout, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout = layout
        # Another tool's dates are not versions of our concepts: no column goes there.
        choices = [(layouts.IGNORE, _("— leave this column out —"))] + [
            (name, field_label(name)) for name in layouts.fields() if name != layouts.VERSION_COLUMN
        ]
        for position, column in enumerate(layout.columns):
            samples = layout.samples.get(column) or []
            self.fields[f"column_{position}"] = forms.ChoiceField(
                label=layout.headers[column],
                choices=choices,
                required=False,
                initial=layout.mapping.get(column, layouts.IGNORE),
                help_text=(
                    _("For example: %(values)s") % {"values": " · ".join(samples)}
                    if samples
                    else _("This column is empty.")
                ),
            )

    def column_fields(self):
        return [self[f"column_{position}"] for position in range(len(self.layout.columns))]

    def file_name(self):
        """The uploaded file's name, as the editor knows it."""
        if self.is_bound:
            return self.data.get("original_file_name", "")
        return self.initial.get("original_file_name", "")

    def assigned(self):
        """[(column, field label)] of the columns read, as the layout reads them."""
        return [
            (self.layout.headers[column], field_label(target))
            for column in self.layout.columns
            if (target := self.layout.mapping.get(column))
        ]

    def left_out(self):
        return [self.layout.headers[column] for column in self.layout.ignored()]

    def mapping(self):
        return {
            column: self.cleaned_data.get(f"column_{position}") or layouts.IGNORE
            for position, column in enumerate(self.layout.columns)
        }


def remembered(layout):
    """The layout with the mapping last chosen for files with its columns, if any."""
    saved = ColumnMapping.objects.filter(columns=layout.key).first()
    if saved is not None and set(saved.mapping) == set(layout.columns):
        layout.mapping = dict(saved.mapping)
    return layout


def remember(layout, mapping):
    ColumnMapping.objects.update_or_create(columns=layout.key, defaults={"mapping": mapping})


def mapping_from(posted):
    """The mapping a confirm form carries (JSON), or None for a file in our own columns."""
    try:
        mapping = json.loads(posted or "null")
    except ValueError:
        return None
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        return None
    return mapping or None


class GlossaryConfirmImportForm(ConfirmImportForm):
    # Empty when the format was recognised from the file, as the import form offers first.
    format = forms.CharField(widget=forms.HiddenInput, required=False)
    columns = forms.CharField(widget=forms.HiddenInput, required=False)
    overwrite_newer = forms.BooleanField(
        label=_("Import these rows all the same, replacing the changes made since the export"),
        required=False,
    )
    merge = EntryChoices(
        label=_("Merge into the concept it names"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def offer(self, report):
        """Show only what this file needs: the stale rows' box, the matches to merge."""
        if not report.stale:
            del self.fields["overwrite_newer"]
        if report.matches:
            self.fields["merge"].choices = [
                (
                    match.where,
                    _("%(entry)s → “%(term)s” (%(slug)s)")
                    % {"entry": match.where, "term": match.label, "slug": match.slug},
                )
                for match in report.matches
            ]
        else:
            del self.fields["merge"]
        return self


class GlossaryExportForm(SelectableFieldsExportForm):
    """The export form in the editors' words: a format chosen from the start (the first,
    CSV), then the columns as the concept form names them."""

    include_drafts = forms.BooleanField(
        label=_("Include drafts in TBX and SKOS files"),
        label_suffix="",
        required=False,
        help_text=_(
            "Spreadsheets always hold drafts, with their status; TBX and SKOS files have no "
            "status, so they hold published concepts only unless you tick this."
        ),
    )
    # The formats in the order editors meet them; each choice's value stays its place in
    # the admin's `export_formats`, which adds the Excel variant last.
    MENU = [CSV, CSVForExcel, XLSX, JSON, TBX, SKOS]

    def _init_formats(self, formats):
        super()._init_formats(formats)
        field = self.fields["format"]
        field.label = _("Format")
        field.choices = [
            (str(formats.index(file_format)), file_format.label)
            for file_format in sorted(formats, key=self._menu_place)
        ]
        field.initial = field.choices[0][0]

    def _menu_place(self, file_format):
        return self.MENU.index(file_format) if file_format in self.MENU else len(self.MENU)

    def _get_field_label(self, resource, field_name):
        return field_label(field_name)


class Uploads:
    """Files between an import's preview and its confirmation, in one folder of their own.

    A file is removed once confirmed or refused; a preview nobody confirms is swept
    away after LIFETIME, at the next upload.
    """

    LIFETIME = 3600
    NAME_LENGTH = 32

    @property
    def folder(self):
        return Path(settings.GLOSSARY_UPLOAD_DIR)

    def save(self, data):
        self.sweep()
        self.folder.mkdir(parents=True, exist_ok=True)
        name = secrets.token_hex(self.NAME_LENGTH // 2)
        (self.folder / name).write_bytes(data)
        return name

    def path(self, name):
        """The path of a stored upload, or None for a name we never gave."""
        if len(name) != self.NAME_LENGTH or not all(c in "0123456789abcdef" for c in name):
            return None
        return self.folder / name

    def read(self, name):
        path = self.path(name)
        try:
            return path.read_bytes() if path else None
        except FileNotFoundError:
            return None

    def remove(self, name):
        path = self.path(name)
        if path:
            path.unlink(missing_ok=True)

    def sweep(self):
        if not self.folder.is_dir():
            return
        expired = time.time() - self.LIFETIME
        for upload in self.folder.iterdir():
            try:
                if upload.is_file() and upload.stat().st_mtime < expired:
                    upload.unlink()
            except OSError:
                pass  # another worker swept it first


uploads = Uploads()


class GlossaryImportExportAdmin(ImportExportModelAdmin):
    """Import with preview and confirm, and export, for the concept admin."""

    resource_classes = [ConceptResource]
    formats = [CSV, XLSX, JSON, TBX, SKOS]
    import_form_class = CappedImportForm
    export_form_class = GlossaryExportForm
    import_template_name = "admin/terms/concept/import.html"

    def import_action(self, request, **kwargs):
        """The import form; posted, a dry run of the file and its preview. Another tool's
        spreadsheet first asks where its columns go."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST" and request.POST.get("step") == "columns":
            return self._columns_chosen(request)
        form = self.create_import_form(request)
        context = {}
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            file_format = self._chosen_format(form.cleaned_data.get("format"))
            data = upload.read()
            if background.runs_in_background(data):
                job = background.start_preview(
                    data, user=request.user, file_name=upload.name, file_format=file_format
                )
                return redirect("admin:terms_concept_import_job", job.pk)
            report = writer.import_file(
                data, file_name=upload.name, file_format=file_format, dry_run=True
            )
            kept = {
                "upload": uploads.save(data),
                "original_file_name": upload.name,
                "format": file_format or "",
            }
            if report.layout is not None and report.layout.undecided:
                return self._columns_page(
                    request, ColumnsForm(remembered(report.layout), initial=kept), report
                )
            context.update(self._preview_context(report, kept))
        return self._import_page(request, form, context)

    def _columns_chosen(self, request):
        """The columns an editor assigned: remembered, and the file previewed with them."""
        name = request.POST.get("upload", "")
        data = uploads.read(name)
        if data is None:
            messages.error(
                request, gettext("This preview has expired: upload the file again to import it.")
            )
            return redirect("admin:terms_concept_import")
        file_name = request.POST.get("original_file_name", "")
        file_format = request.POST.get("format", "")
        file_format = file_format if file_format in EXTENSIONS else None
        # The menus need the file's columns only: the glossary is compared once, with them.
        layout = read_layout(data, file_name=file_name, file_format=file_format)
        form = ColumnsForm(layout, request.POST) if layout is not None else None
        if form is None or not form.is_valid():
            report = writer.import_file(
                data, file_name=file_name, file_format=file_format, dry_run=True
            )
            if form is None:
                return self._import_page(
                    request, self._blank_import_form(request), {"report": report}
                )
            return self._columns_page(request, form, report)
        mapping = form.mapping()
        report = writer.import_file(
            data, file_name=file_name, file_format=file_format, dry_run=True, mapping=mapping
        )
        if report.layout is None:
            # The columns do not make a glossary (no French term, a field chosen twice…):
            # the same menus again, with the reason.
            return self._columns_page(request, form, report)
        remember(report.layout, mapping)
        kept = {"upload": name, "original_file_name": file_name, "format": file_format or ""}
        return self._import_page(
            request, self._blank_import_form(request), self._preview_context(report, kept)
        )

    def _preview_context(self, report, kept, *, total=None, job=None):
        """The preview of a dry run, with the confirm form when there is something to import
        and the columns' menus when the file is another tool's. A background `job`'s
        preview keeps `total` of its rows, and its forms post to the job's pages."""
        context = {"report": report, "preview": _preview(report, total)}
        if job is not None:
            context.update(_job_urls(job))
        if report.new_domains:
            context["new_domains"] = new_domains_sentence(report.new_domains)
        layout = report.layout
        mapped = layout is not None and not layout.own
        if report.ok and (report.rows or report.matches):
            context["confirm_form"] = GlossaryConfirmImportForm(
                initial={
                    "import_file_name": kept["upload"],
                    "original_file_name": kept["original_file_name"],
                    "format": kept["format"],
                    "resource": "",
                    "columns": json.dumps(layout.mapping) if mapped else "",
                }
            ).offer(report)
        elif not mapped and job is None:
            uploads.remove(kept["upload"])
        if mapped:
            context["columns_form"] = ColumnsForm(layout, initial=kept)
        return context

    def _columns_page(self, request, columns_form, report, extra=None):
        return self._import_page(
            request,
            self._blank_import_form(request),
            {"columns_form": columns_form, "columns_report": report, **(extra or {})},
        )

    def _chosen_format(self, index):
        """The format an editor picked (its key), or None to recognise it from the file."""
        formats = self.get_import_formats()
        try:
            return formats[int(index)].key
        except (TypeError, ValueError, IndexError):
            return None

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """The confirmed import: the file of the preview, imported for real."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm = GlossaryConfirmImportForm(request.POST)
        if not confirm.is_valid():
            messages.error(
                request, gettext("The import could not be confirmed: upload the file again.")
            )
            return redirect("admin:terms_concept_import")
        name = confirm.cleaned_data["import_file_name"]
        data = uploads.read(name)
        if data is None:
            messages.error(
                request, gettext("This preview has expired: upload the file again to import it.")
            )
            return redirect("admin:terms_concept_import")
        file_format = confirm.cleaned_data["format"]
        mapping = mapping_from(confirm.cleaned_data.get("columns"))
        report = writer.import_file(
            data,
            file_name=confirm.cleaned_data["original_file_name"],
            file_format=file_format if file_format in EXTENSIONS else None,
            user=request.user,
            overwrite_newer=confirm.cleaned_data.get("overwrite_newer", False),
            merge=set(confirm.cleaned_data.get("merge") or ()),
            mapping=mapping,
        )
        if not report.ok and report.stale:
            # The editor did not tick the box: the same preview again, the file kept.
            preview = writer.import_file(
                data,
                file_name=confirm.cleaned_data["original_file_name"],
                file_format=file_format if file_format in EXTENSIONS else None,
                dry_run=True,
                mapping=mapping,
            )
            return self._import_page(
                request,
                self._blank_import_form(request),
                {
                    "report": preview,
                    "preview": _preview(preview),
                    "confirm_form": confirm.offer(preview),
                    "confirm_problems": report.problems,
                },
            )
        uploads.remove(name)
        if not report.ok:
            # The glossary changed since the preview, or another import runs: say why, and
            # offer the form again.
            return self._import_page(
                request,
                self._blank_import_form(request),
                {"report": report, "preview": _preview(report)},
            )
        messages.success(request, done_sentence(report))
        if report.new_domains:
            messages.info(request, new_domains_sentence(report.new_domains))
        return redirect("admin:terms_concept_changelist")

    # -- imports in the background (terms/background.py) -----------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        pages = [
            ("import/jobs/", self.import_jobs_view, "import_jobs"),
            ("import/jobs/<int:job_id>/", self.import_job_view, "import_job"),
            ("import/jobs/<int:job_id>/progress/", self.import_job_progress, "import_job_progress"),
            (
                "import/jobs/<int:job_id>/columns/",
                require_POST(self.import_job_columns),
                "import_job_columns",
            ),
            (
                "import/jobs/<int:job_id>/confirm/",
                require_POST(self.import_job_confirm),
                "import_job_confirm",
            ),
            (
                "import/jobs/<int:job_id>/retry/",
                require_POST(self.import_job_retry),
                "import_job_retry",
            ),
        ]
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            *(path(route, view(page), name=f"{prefix}_{name}") for route, page, name in pages),
            *super().get_urls(),
        ]

    def _job(self, request, job_id):
        """The editor's own job (another's is a 404), checked for a worker that died."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        return background.check_alive(
            get_object_or_404(ImportJob.objects.of(request.user), pk=job_id)
        )

    def import_jobs_view(self, request):
        """The editor's imports in the background, to come back to any of them."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        jobs = [background.check_alive(job) for job in ImportJob.objects.of(request.user)[:30]]
        return self._import_page(
            request,
            self._blank_import_form(request),
            {"jobs": jobs, "title": gettext("Your imports in the background")},
            template="admin/terms/concept/import_jobs.html",
        )

    def import_job_view(self, request, job_id):
        """Where a background import is: its progress, its preview, or its report."""
        job = self._job(request, job_id)
        if not job.finished:
            return self._job_page(request, job, {"progress": progress_of(job)})
        if job.state == ImportJob.State.FAILED:
            return self._job_page(request, job, {})
        if job.step == ImportJob.Step.PREVIEW:
            return self._job_preview(request, job)
        report, total = background.restored(job.report)
        if not report.ok and report.stale:
            # Changed since the preview and the box not ticked: the preview again.
            return self._job_preview(request, job, confirm_problems=report.problems)
        if not report.ok:
            return self._job_page(request, job, {"report": report})
        context = {
            "report": report,
            "preview": _preview(report, total),
            "imported": True,
            "done_sentence": done_sentence(report),
        }
        if report.new_domains:
            context["new_domains"] = new_domains_sentence(report.new_domains)
        return self._job_page(request, job, context)

    def _job_preview(self, request, job, confirm_problems=None):
        report, total = background.restored(job.preview)
        kept = {"upload": str(job.pk), "original_file_name": job.file_name, "format": ""}
        if report.layout is not None and report.layout.undecided:
            form = ColumnsForm(remembered(report.layout), initial=kept)
            return self._columns_page(request, form, report, {"job": job, **_job_urls(job)})
        context = self._preview_context(report, kept, total=total, job=job)
        context["job"] = job
        if confirm_problems and "confirm_form" in context:
            context["confirm_problems"] = confirm_problems
        return self._import_page(request, self._blank_import_form(request), context)

    def import_job_progress(self, request, job_id):
        """The job's progress as JSON, for the progress page's script."""
        return JsonResponse(progress_of(self._job(request, job_id)))

    def import_job_columns(self, request, job_id):
        """The columns an editor assigned to a background job's file: previewed again."""
        job = self._job(request, job_id)
        if not job.finished or not background.has_file(job) or job.preview is None:
            return self._job_expired(request, job)
        report, _total = background.restored(job.preview)
        if report.layout is None:
            return redirect("admin:terms_concept_import_job", job.pk)
        form = ColumnsForm(report.layout, request.POST)
        if not form.is_valid():
            return self._columns_page(request, form, report, {"job": job, **_job_urls(job)})
        mapping = form.mapping()
        remember(report.layout, mapping)
        background.preview_with(job, mapping)
        return redirect("admin:terms_concept_import_job", job.pk)

    def import_job_confirm(self, request, job_id):
        """The confirmed import of a previewed job, queued."""
        job = self._job(request, job_id)
        confirm = GlossaryConfirmImportForm(request.POST)
        if job.step != ImportJob.Step.PREVIEW and not (
            job.state == ImportJob.State.DONE and job.report and job.report.get("stale")
        ):
            return redirect("admin:terms_concept_import_job", job.pk)
        if not background.has_file(job) or not confirm.is_valid():
            return self._job_expired(request, job)
        background.start_import(
            job,
            overwrite_newer=confirm.cleaned_data.get("overwrite_newer", False),
            merge=set(confirm.cleaned_data.get("merge") or ()),
        )
        return redirect("admin:terms_concept_import_job", job.pk)

    def import_job_retry(self, request, job_id):
        """A failed job, run again with the same file and choices."""
        job = self._job(request, job_id)
        if job.state == ImportJob.State.FAILED:
            if not background.has_file(job):
                return self._job_expired(request, job)
            background.retry(job)
        return redirect("admin:terms_concept_import_job", job.pk)

    def _job_expired(self, request, job):
        messages.error(
            request, gettext("This preview has expired: upload the file again to import it.")
        )
        return redirect("admin:terms_concept_import")

    def _job_page(self, request, job, context):
        return self._import_page(
            request,
            self._blank_import_form(request),
            {"job": job, **_job_urls(job), **context},
            template="admin/terms/concept/import_job.html",
        )

    def _blank_import_form(self, request):
        return self.get_import_form_class(request)(
            self.get_import_formats(), self.get_import_resource_classes(request)
        )

    def _import_page(self, request, form, context, template=None):
        resource = ConceptResource()
        context.update(self.admin_site.each_context(request))
        context.update(
            {
                "title": gettext("Import"),
                "form": form,
                "opts": self.model._meta,
                "media": self.media + form.media,
                "fields_list": [
                    (
                        ConceptResource.get_display_name(),
                        [f.column_name for f in resource.get_user_visible_fields()],
                    )
                ],
            }
        )
        context.setdefault("has_import_jobs", ImportJob.objects.of(request.user).exists())
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [template or self.import_template_name], context)

    # -- export ------------------------------------------------------------------------

    # Import's formats, then the Excel variant of the CSV (export only).
    export_formats = [CSV, XLSX, JSON, TBX, SKOS, CSVForExcel]
    export_template_name = "admin/terms/concept/export.html"

    def init_request_context_data(self, request, form):
        context = super().init_request_context_data(request, form)
        context["concept_count"] = self.get_export_queryset(request).count()
        return context

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """The export service's file for the changelist's selection, as export_glossary
        writes it."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        export_form = kwargs.get("export_form")
        wants_drafts = bool(export_form and export_form.cleaned_data.get("include_drafts"))
        data = export_file(
            file_format.key,
            queryset,
            include_drafts=True if wants_drafts else None,
            columns=self.get_export_resource_fields_from_form(export_form),
        )
        return file_format.from_export(data)

    def get_export_filename(self, request, queryset, file_format):
        """`glossaire-2026-12-01.csv`: the day it is where the editors are."""
        return "{name}-{day}.{extension}".format(
            name=pgettext("export file name", "glossary"),
            day=timezone.localdate().isoformat(),
            extension=file_format.get_extension(),
        )


def done_sentence(report):
    return gettext("Import done: {new} new, {changed} changed, {unchanged} unchanged.").format(
        new=report.new, changed=report.updated, unchanged=report.unchanged
    )


def new_domains_sentence(slugs):
    """The domains an import creates, and what the editor does next: name them."""
    return format_html(
        gettext(
            "Domains created: {slugs}. Each is named after its identifier until you "
            '<a href="{url}">name it</a>.'
        ),
        slugs=", ".join(slugs),
        url=reverse("admin:terms_domain_changelist"),
    )


def _job_urls(job):
    return {
        name: reverse(f"admin:terms_concept_import_job_{name.removesuffix('_url')}", args=[job.pk])
        for name in ("progress_url", "columns_url", "confirm_url", "retry_url")
    }


def progress_of(job):
    """How far a background import got, for its page and its script."""
    return {
        "state": job.state,
        "finished": job.finished,
        "step": job.step,
        "stage": job.stage,
        "rows": job.rows,
        "read": job.rows_read,
        "validated": job.rows_validated,
        "written": job.rows_written,
        "to_write": job.to_write,
        "sentence": str(stage_sentence(job)),
    }


def stage_sentence(job):
    """Where a background import is, in a sentence for the editor."""
    if job.stage == "writing":
        return _("Writing the changes in one transaction: all of them are written, or none.")
    if job.stage == "written":
        return _("Written. Preparing the report…")
    if job.stage in ("read", "validated"):
        return _("Comparing the rows with the glossary and checking them…")
    if job.state == ImportJob.State.QUEUED:
        return _("Waiting for the process that runs imports in the background.")
    return _("Reading the file…")


def _preview(report, total=None):
    """What the preview table shows: the first PREVIEW_ROWS new or changed concepts, and the
    columns any of them changes; `total` is the number of rows when `report` keeps only
    those first ones (a background import's)."""
    rows = report.rows[:PREVIEW_ROWS]
    changed = {name for row in rows for name, _old, _new in row.changes}
    columns = [name for name in field_names() if name in changed and name != "slug"]
    return {
        "columns": columns,
        "rows": [
            {
                "kind": row.kind,
                "slug": row.slug,
                "cells": [
                    next(((old, new) for n, old, new in row.changes if n == name), None)
                    for name in columns
                ],
            }
            for row in rows
        ],
        "total": len(report.rows) if total is None else total,
        "truncated": (len(report.rows) if total is None else total) > PREVIEW_ROWS,
    }
