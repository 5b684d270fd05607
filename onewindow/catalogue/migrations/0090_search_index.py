"""The Chinese full-text index over MatterVersion.search_text (see onewindow/catalogue/search_index.py).

SQLite: an external-content FTS5 table kept in sync by triggers. PostgreSQL: pg_trgm, a GIN index
on to_tsvector('simple', search_text) and a trigram index on the name. Written by hand: the index
lives outside the models.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    from onewindow.catalogue.search_index import search_index_create

    search_index_create(schema_editor.connection)


def drop_index(apps, schema_editor):
    from onewindow.catalogue.search_index import search_index_drop

    search_index_drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
