"""Bundles become searchable: BundleVersion.search_text, filled for the versions already stored, and its
full-text index (FTS5 on SQLite, a GIN tsvector index on PostgreSQL; see onewindow/catalogue/search_index.py).
"""

from django.db import migrations, models


def fill_search_text(apps, schema_editor):
    from onewindow.catalogue.domain import bundle_search_text

    BundleVersion = apps.get_model("catalogue", "BundleVersion")
    StageMatter = apps.get_model("catalogue", "StageMatter")
    for version in BundleVersion.objects.all():
        stages = version.stages.order_by("position")
        stage_matters = StageMatter.objects.filter(stage__bundle_version=version).select_related("matter_version")
        version.search_text = bundle_search_text(
            name=version.name,
            description=version.description,
            stage_names=[stage.name for stage in stages],
            matter_names=[sm.matter_version.name for sm in stage_matters if sm.matter_version is not None],
        )
        version.save(update_fields=["search_text"])


def create_index(apps, schema_editor):
    from onewindow.catalogue.search_index import BUNDLES, search_index_create

    search_index_create(schema_editor.connection, BUNDLES)


def drop_index(apps, schema_editor):
    from onewindow.catalogue.search_index import BUNDLES, search_index_drop

    search_index_drop(schema_editor.connection, BUNDLES)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0092_synonym_groups")]

    operations = [
        migrations.AddField(
            model_name="bundleversion",
            name="search_text",
            field=models.TextField(blank=True, editable=False, verbose_name="检索词"),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
