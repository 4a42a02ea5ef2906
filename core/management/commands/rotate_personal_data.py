"""Re-encrypt every encrypted value (phones, ID numbers: every ``EncryptedCharField`` of every
model) with the newest key of FIELD_ENCRYPTION_KEYS and recompute their search hashes with
PERSONAL_DATA_HASH_KEY (README, "Key rotation")."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.crypto import encrypt_rows, personal_fields


class Command(BaseCommand):
    help = "Re-encrypt personal data with the newest key and recompute the search hashes."

    def handle(self, *args, **options):
        with transaction.atomic():
            for app_label, model_name, fields in personal_fields(apps):
                count = encrypt_rows(apps, app_label, model_name, fields)
                self.stdout.write(f"{app_label}.{model_name}: {count}")
