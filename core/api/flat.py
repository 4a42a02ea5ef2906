"""Read-only rows written without DRF's per-request field machinery.

A ``ModelSerializer`` builds its fields anew for every serializer instance (from the model's
``Meta``, a deep copy of the declared ones), and writes each value through
``Field.get_attribute`` and ``Field.to_representation`` with their checks: for a list of fifty
cases with their parties and handler that was about a third of the API list's time, a
fifth of a millisecond a row.

``FlatRows`` keeps what the fields say and the output they give, and drops the per-request
work: the fields are built once per class (the first time it writes a row), and each
becomes a step — the attribute path it reads and the function that turns the value into
JSON (the field's own ``to_representation``, or ``str``/``int`` where that is all it does).
The output is exactly the serializer's own (``tests/core/test_flat_rows.py`` compares
them); the schema (drf-spectacular) reads the declared fields as before.

Only fields that need neither the request nor the serializer's context can be written this
way: plain values, primary keys of relations, method fields (called on the serializer
itself, so they see its context), and nested serializers that are ``FlatRows`` too. Any
other field is refused when the steps are built, so a serializer cannot silently change
its output by becoming flat.
"""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter

from django.conf import settings
from django.db.models.manager import BaseManager
from django.utils import timezone
from rest_framework import ISO_8601, relations, serializers
from rest_framework import fields as f
from rest_framework.fields import SkipField
from rest_framework.settings import api_settings

# Field types whose ``to_representation`` depends only on the value and the field's own
# arguments (no request, no context).
_VALUE_FIELDS = (f.BooleanField, f.CharField, f.IntegerField, f.FloatField, f.DecimalField,
                 f.DateTimeField, f.DateField, f.TimeField, f.DurationField, f.ChoiceField,
                 f.ReadOnlyField, f.JSONField, f.UUIDField)
# Where ``to_representation`` is exactly the built-in (``CharField``: ``str(value)``).
_PLAIN = {f.CharField: str, f.IntegerField: int}


def _reader(field):
    """What ``Field.get_attribute`` reads: the attribute path (a plain attribute read
    directly), a method at its end called; and where the path breaks (a missing attribute, a
    related row that does not exist) the field's own ``get_attribute``, which knows its
    default, its null and when to leave the field out."""
    source_attrs = field.source_attrs
    if not source_attrs:
        return lambda instance: instance
    get = attrgetter(source_attrs[0]) if len(source_attrs) == 1 else None

    def read(instance):
        try:
            value = get(instance) if get else f.get_attribute(instance, source_attrs)
        except (KeyError, AttributeError):
            return field.get_attribute(instance)
        if callable(value) and f.is_simple_callable(value):
            value = value()
        return value
    return read


def _step(field, owner):
    """(name, read, write) for one field: ``read(instance)`` the value, ``write(value,
    serializer)`` its JSON; a method field is (name, None, the method's name)."""
    name = field.field_name
    if isinstance(field, f.SerializerMethodField):
        return name, None, field.method_name
    if isinstance(field, serializers.ListSerializer):
        child = _flat(type(field.child), owner, name)

        def many(value, serializer):
            write, nested = child._row_writer(), serializer._flat_nested(child)
            if isinstance(value, BaseManager):
                value = value.all()
            return [write(item, nested) for item in value]
        return name, _reader(field), many
    if isinstance(field, serializers.BaseSerializer):
        nested_class = _flat(type(field), owner, name)

        def one(value, serializer):
            return nested_class._row_writer()(value, serializer._flat_nested(nested_class))
        return name, _reader(field), one
    if isinstance(field, relations.PrimaryKeyRelatedField) and field.pk_field is None \
            and len(field.source_attrs) == 1:
        # The related row's primary key, read from the foreign key's own column (no related
        # row loaded), as ``RelatedField.get_attribute`` does.
        column = owner.Meta.model._meta.get_field(field.source_attrs[0]).attname
        return name, attrgetter(column), lambda value, serializer: value
    if isinstance(field, f.DateTimeField) and _iso_in_current_zone(field):
        convert = field.to_representation

        def when(value, serializer):
            # ``DateTimeField.to_representation`` for an aware value: in the current time
            # zone, ISO 8601, UTC as "Z"; anything else through the field itself.
            if isinstance(value, datetime) and value.utcoffset() is not None:
                try:
                    text = value.astimezone(serializer._flat_timezone()).isoformat()
                except OverflowError:
                    return convert(value)
                return text[:-6] + "Z" if text.endswith("+00:00") else text
            return convert(value)
        return name, _reader(field), when
    if isinstance(field, relations.ManyRelatedField) and isinstance(
            field.child_relation, relations.PrimaryKeyRelatedField) \
            and field.child_relation.pk_field is None:
        # The related rows' primary keys (``ManyRelatedField``: the manager's rows).
        def keys(value, serializer):
            return [row.pk for row in (value.all() if hasattr(value, "all") else value)]
        return name, _reader(field), keys
    if type(field) in _PLAIN:
        plain = _PLAIN[type(field)]
        return name, _reader(field), lambda value, serializer: plain(value)
    if isinstance(field, _VALUE_FIELDS) and not isinstance(field, relations.RelatedField):
        convert = field.to_representation
        return name, _reader(field), lambda value, serializer: convert(value)
    raise TypeError(f"{owner.__name__}.{name}: {type(field).__name__} cannot be written flat")


def _iso_in_current_zone(field) -> bool:
    """A date-time written in ISO 8601 in the request's time zone (DRF's default)."""
    output = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return (settings.USE_TZ and not hasattr(field, "timezone") and isinstance(output, str)
            and output.lower() == ISO_8601)


def _flat(serializer_class, owner, name):
    if not issubclass(serializer_class, FlatRows):
        raise TypeError(f"{owner.__name__}.{name}: {serializer_class.__name__} is not FlatRows")
    return serializer_class


class FlatRows:
    """A read-only serializer whose rows are written by steps built once per class (see the
    module's docstring). Mix it in before ``serializers.ModelSerializer``."""

    @classmethod
    def _row_writer(cls):
        writer = cls.__dict__.get("_flat_writer")
        if writer is None:
            steps = [_step(field, cls) for field in cls()._readable_fields]

            def writer(instance, serializer, steps=tuple(steps)):
                row = {}
                for name, read, write in steps:
                    if read is None:  # a method field, called on the serializer writing
                        row[name] = getattr(serializer, write)(instance)
                        continue
                    try:
                        value = read(instance)
                    except SkipField:
                        continue
                    row[name] = None if value is None else write(value, serializer)
                return row
            cls._flat_writer = writer
        return writer

    def _flat_nested(self, serializer_class):
        """The nested serializer a row's method fields are called on: one per class and
        writing serializer, sharing its context, as DRF's nested serializers share the
        root's."""
        kept = self.__dict__.setdefault("_flat_nested_kept", {})
        nested = kept.get(serializer_class)
        if nested is None:
            nested = kept[serializer_class] = serializer_class(context=self.context)
        return nested

    def _flat_timezone(self):
        zone = self.__dict__.get("_flat_zone")
        if zone is None:
            zone = self._flat_zone = timezone.get_current_timezone()
        return zone

    def to_representation(self, instance):
        return self._row_writer()(instance, self)
