"""Triggers that refuse UPDATE and DELETE on audit_event and audit_checkpoint (SQLite and PostgreSQL)."""

from django.db import migrations

from onewindow.audit import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_checkpoint"),
    ]

    operations = [migrations.RunPython(install, remove)]
