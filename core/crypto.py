"""Personal data at rest: phones and ID numbers encrypted with Fernet (AES-128-CBC with an
HMAC-SHA256 tag, from ``cryptography``), plus a keyed hash (HMAC-SHA256) beside each for
exact search.

Keys come from the environment (README, "Configuration"):

- ``FIELD_ENCRYPTION_KEYS``: one or more Fernet keys, comma-separated, the newest first.
  Values are encrypted with the first and decrypted with any (MultiFernet), so a key is
  rotated by putting a new one in front, running ``manage.py rotate_personal_data`` and then
  dropping the old one.
- ``PERSONAL_DATA_HASH_KEY``: the key of the search hash. Changing it needs
  ``rotate_personal_data`` too (it recomputes every hash).

With DEBUG on and no keys set, both are derived from SECRET_KEY (development only; the
settings refuse to start without them when DEBUG is off).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

# Every Fernet token starts with its version byte 0x80, "gAAAAA" in base64.
TOKEN_PREFIX = "gAAAAA"


def development_key(purpose: str) -> str:
    digest = hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS) or (development_key("fernet"),)
    return _fernet(keys)


def hash_key() -> bytes:
    return (settings.PERSONAL_DATA_HASH_KEY or development_key("hash")).encode()


def normalise(value: str | None) -> str:
    """The form a value is hashed and stored in: trimmed, letters upper-case (the X of an
    ID number's check digit)."""
    return (value or "").strip().upper()


def keyed_hash(value: str | None) -> str:
    """The search hash of a value; empty for an empty value (so "no phone" stays findable)."""
    value = normalise(value)
    if not value:
        return ""
    return hmac.new(hash_key(), value.encode(), hashlib.sha256).hexdigest()


def encrypt(value: str | None) -> str:
    value = normalise(value)
    if not value:
        return ""
    return fernet().encrypt(value.encode()).decode()


def decrypt(stored: str | None) -> str:
    """The plain value; a value not yet encrypted (before the data migration) is returned
    as it is."""
    if not stored:
        return ""
    if not stored.startswith(TOKEN_PREFIX):
        return stored
    try:
        return fernet().decrypt(stored.encode()).decode()
    except InvalidToken:
        # A key was dropped before its values were rotated: say so rather than fail a page.
        return "（无法解密）"


def rotate(stored: str | None) -> str:
    """Re-encrypt with the newest key."""
    if not stored:
        return ""
    if not stored.startswith(TOKEN_PREFIX):
        return encrypt(stored)
    return fernet().rotate(stored.encode()).decode()


def encrypt_rows(apps, app_label: str, model_name: str, fields: dict[str, str],
                 batch_size: int = 500) -> int:
    """For a data migration or a key rotation: rewrite ``fields`` (field → its hash field)
    of every row, encrypted with the newest key and hashed with the current hash key. A
    value still in plain text is encrypted. Returns the number of rows."""
    model = apps.get_model(app_label, model_name)
    names = [*fields, *fields.values()]
    batch, count = [], 0
    for obj in model._default_manager.only("pk", *names).iterator(chunk_size=batch_size):
        for field, hash_field in fields.items():
            # Reading decrypted the value (or left a plain one as it was).
            setattr(obj, hash_field, keyed_hash(getattr(obj, field)))
        batch.append(obj)
        if len(batch) >= batch_size:
            model._default_manager.bulk_update(batch, names)
            count += len(batch)
            batch = []
    if batch:
        model._default_manager.bulk_update(batch, names)
        count += len(batch)
    return count


def fill_masks(apps, schema_editor, app_label: str, model_name: str,
               chunk: int = 5000) -> int:
    """For a data migration: write the masks of every row's encrypted fields that keep one
    (``mask_field``, core.fields), from the values as decrypted. On PostgreSQL one
    ``UPDATE … FROM unnest()`` a chunk (2,000,000 parties in about two minutes), elsewhere
    ``bulk_update``. Returns the number of rows."""
    from .fields import EncryptedCharField

    model = apps.get_model(app_label, model_name)
    masked = [f for f in model._meta.concrete_fields
              if isinstance(f, EncryptedCharField) and f.mask_field]
    if not masked:
        return 0
    postgres = schema_editor.connection.vendor == "postgresql"
    columns = [f.mask_field for f in masked]
    rows = model._default_manager.only("pk", *(f.name for f in masked)).order_by("pk")
    batch, count = [], 0

    def write():
        if postgres:  # one statement a chunk
            table = schema_editor.quote_name(model._meta.db_table)
            sets = ", ".join(f"{schema_editor.quote_name(c)} = v.c{i}"
                             for i, c in enumerate(columns))
            unnest = ", ".join(f"unnest(%s::text[]) AS c{i}" for i in range(len(columns)))
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} AS t SET {sets} FROM (SELECT unnest(%s::bigint[]) AS id,"
                    f" {unnest}) AS v WHERE t.id = v.id",
                    [[pk for pk, *_ in batch], *([r[i + 1] for r in batch]
                                                  for i in range(len(columns)))])
        else:
            model._default_manager.bulk_update(
                [model(pk=pk, **dict(zip(columns, values, strict=True)))
                 for pk, *values in batch], columns, batch_size=500)

    for row in rows.iterator(chunk_size=chunk):
        batch.append((row.pk, *(f.mask(getattr(row, f.attname)) for f in masked)))
        if len(batch) == chunk:
            write()
            count += len(batch)
            batch = []
    if batch:
        write()
        count += len(batch)
    return count


def personal_fields(apps) -> list[tuple[str, str, dict[str, str]]]:
    """Every model holding encrypted values, read from the models themselves (so a new one
    is never left out of a key rotation): ``(app label, model name, {field: hash field})``."""
    from .fields import EncryptedCharField

    found = []
    for model in apps.get_models():
        fields = {f.name: f.hash_field for f in model._meta.concrete_fields
                  if isinstance(f, EncryptedCharField)}
        if fields:
            found.append((model._meta.app_label, model.__name__, fields))
    return found
