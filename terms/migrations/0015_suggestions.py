"""Readers' suggestions (a term the glossary lacks, a mistake on a page), and the "Glossary
editors" group's permissions to triage them: read, accept or dismiss (change), delete.
Readers send them from the site; nobody adds one in the admin."""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
import terms.languages
from django.conf import settings
from django.db import migrations, models

from terms.migrations import _editor_permissions

SUGGESTION_PERMISSIONS = ["change_suggestion", "delete_suggestion", "view_suggestion"]


def grant_suggestion_permissions(apps, schema_editor):
    _editor_permissions.grant(apps, SUGGESTION_PERMISSIONS)


def revoke_suggestion_permissions(apps, schema_editor):
    _editor_permissions.revoke(apps, SUGGESTION_PERMISSIONS)


class Migration(migrations.Migration):

    dependencies = [
        ('terms', '0014_unlinked_wordings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name='Suggestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('new', 'new term'), ('mistake', 'mistake')], max_length=10, verbose_name='kind')),
                ('term', models.CharField(max_length=255, verbose_name='term')),
                ('language', models.CharField(max_length=10, validators=[terms.languages.validate_language], verbose_name='language')),
                ('message', models.TextField(max_length=2000, verbose_name='message')),
                ('name', models.CharField(blank=True, max_length=100, verbose_name='name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='sent')),
                ('sender', models.CharField(editable=False, max_length=64)),
                ('status', models.CharField(choices=[('new', 'to triage'), ('accepted', 'accepted'), ('dismissed', 'dismissed')], default='new', max_length=10, verbose_name='status')),
                ('dismissal_reason', models.CharField(blank=True, max_length=500, verbose_name='reason for dismissing')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided')),
                ('concept', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='suggestions', to='terms.concept', verbose_name='concept')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('draft', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='terms.concept', verbose_name='draft made from it')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='signed-in reader')),
            ],
            options={
                'verbose_name': 'suggestion',
                'verbose_name_plural': 'suggestions',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['sender', 'created_at'], name='suggestion_sender_recent'), models.Index(fields=['status', 'created_at'], name='suggestion_triage')],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['new', 'mistake'])), name='suggestion_kind_valid'), models.CheckConstraint(condition=models.Q(('status__in', ['new', 'accepted', 'dismissed'])), name='suggestion_status_valid'), models.CheckConstraint(condition=models.Q(django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('term'), 255), django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('message'), 2000), django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('name'), 100), django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('email'), 254), django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('dismissal_reason'), 500)), name='suggestion_text_capped')],
            },
        ),
        migrations.RunPython(grant_suggestion_permissions, revoke_suggestion_permissions),
    ]
