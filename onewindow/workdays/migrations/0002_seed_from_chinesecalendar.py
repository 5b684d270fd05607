"""Seed the calendar from chinesecalendar (idempotent; admin rows are left alone).

The initial seed is recorded by this migration itself; later re-seeds (`workdays seed`) are audited.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from onewindow.workdays import seeding

    CalendarYear = apps.get_model("workdays", "CalendarYear")
    SpecialDay = apps.get_model("workdays", "SpecialDay")
    CalendarRevision = apps.get_model("workdays", "CalendarRevision")
    seeding.seed(CalendarYear, SpecialDay)
    revision, _ = CalendarRevision.objects.get_or_create(pk=1)
    revision.number += 1
    revision.save()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
