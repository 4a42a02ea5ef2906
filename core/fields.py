"""``EncryptedCharField``: a short personal value (a phone, an ID number) stored encrypted,
read and written in plain text by the code (``party.phone`` is the number), with a keyed
hash in a companion column so that an exact lookup still works.

``Model.objects.filter(phone=x)`` and ``phone__in=[…]`` are answered through the hash column
(the one place that turns a value into its hash is core.crypto.keyed_hash); any other lookup
(contains, startswith, ordering by the value) is refused, since it would silently compare
cipher text. ``QuerySet.update(phone=…)`` would skip the hash: save the objects instead.

With ``mask_field`` and ``mask``, the value as lists show it (``core.masking``: 138****5678)
is kept beside the cipher text in the same write, so that a ledger, an export or an API list
reads the mask as plain text and decrypts nothing (a ledger page held a hundred phones, an
export of a town's year a quarter of a million). The mask holds only what every list shows
anyway.
"""

from __future__ import annotations

from django import forms
from django.core import validators
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In, IsNull
from django.utils.functional import cached_property

from . import crypto


class EncryptedCharField(models.TextField):
    def __init__(self, *args, hash_field: str, max_length: int | None = None,
                 mask_field: str | None = None, mask=None, **kwargs):
        self.hash_field = hash_field
        self.plain_max_length = max_length
        if bool(mask_field) != (mask is not None):
            raise TypeError("EncryptedCharField: mask_field and mask go together.")
        self.mask_field, self.mask = mask_field, mask
        super().__init__(*args, **kwargs)

    @cached_property
    def validators(self):
        # The length of the plain value (the column holds the longer cipher text).
        found = super().validators
        if self.plain_max_length:
            found.append(validators.MaxLengthValidator(self.plain_max_length))
        return found

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["hash_field"] = self.hash_field
        if self.mask_field:
            kwargs["mask_field"], kwargs["mask"] = self.mask_field, self.mask
        if self.plain_max_length:
            kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return crypto.decrypt(value)

    def to_python(self, value):
        if value is None:
            return value
        return crypto.decrypt(str(value))

    def get_prep_value(self, value):
        return crypto.encrypt(value)

    def pre_save(self, model_instance, add):
        value = crypto.normalise(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        setattr(model_instance, self.hash_field, crypto.keyed_hash(value))
        if self.mask_field:
            setattr(model_instance, self.mask_field, self.mask(value))
        return value

    def formfield(self, **kwargs):
        defaults = {"form_class": forms.CharField, "max_length": self.plain_max_length,
                    "widget": forms.TextInput}
        defaults.update(kwargs)
        return super().formfield(**defaults)

    def get_lookup(self, lookup_name):
        lookup = {"exact": HashedExact, "in": HashedIn, "isnull": IsNull}.get(lookup_name)
        if lookup is None:
            raise FieldError(
                f"'{lookup_name}' cannot be used on the encrypted field '{self.name}': only an "
                "exact match (through its search hash) is possible.")
        return lookup

    def get_transform(self, name):
        return None

    def value_to_string(self, obj):
        return self.value_from_object(obj)


def _hash_column(lhs):
    if not isinstance(lhs, Col):
        raise FieldError("An encrypted field can only be matched on its own column.")
    field = lhs.target
    return Col(lhs.alias, field.model._meta.get_field(field.hash_field))


class HashedExact(Exact):
    """``field=value`` as ``field_hash = keyed_hash(value)``."""

    prepare_rhs = False

    def get_prep_lookup(self):
        return crypto.keyed_hash(self.rhs)

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = compiler.compile(_hash_column(self.lhs))
        return f"{lhs_sql} = %s", [*lhs_params, self.rhs]


class HashedIn(In):
    prepare_rhs = False

    def get_prep_lookup(self):
        return [crypto.keyed_hash(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = compiler.compile(_hash_column(self.lhs))
        if not self.rhs:
            return "1 = 0", []
        placeholders = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs_sql} IN ({placeholders})", [*lhs_params, *self.rhs]
