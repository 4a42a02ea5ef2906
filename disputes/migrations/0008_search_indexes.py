from django.db import migrations

from core.search import search_indexes


class Migration(migrations.Migration):
    atomic = False  # the extension and large indexes are built outside one long transaction

    dependencies = [("disputes", "0007_merge_encryption")]

    operations = [
        search_indexes(table="disputes_dispute", substring=["number", "title", "description"]),
        search_indexes(table="disputes_party", substring=["name"], prefix=["name"]),
    ]
