from django.db import migrations

from core.search import search_indexes


class Migration(migrations.Migration):
    atomic = False  # the extension and large indexes are built outside one long transaction

    dependencies = [("petitions", "0007_merge_encryption")]

    operations = [
        search_indexes(table="petitions_petition", substring=["number", "national_number", "subject", "content"]),
        search_indexes(table="petitions_petitioner", substring=["name"], prefix=["name"]),
    ]
