"""No existence oracle: every id the API accepts is looked up in the requesting user's scope,
and an id that does not exist gets the same answer as one outside the scope."""

from __future__ import annotations

import importlib

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from core.api.fields import ScopedPrimaryKeyRelatedField
from grid.models import SmallGrid

pytestmark = pytest.mark.django_db

API_MODULES = ["grid.api.serializers", "casework.api", "disputes.api.serializers",
               "petitions.api.serializers", "supervision.api.serializers"]
MISSING = 987654321


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def _our_serializers():
    for name in API_MODULES:
        importlib.import_module(name)
    apps = tuple(m.split(".")[0] + "." for m in API_MODULES)
    return sorted({cls for cls in _all_subclasses(serializers.Serializer)
                   if cls.__module__.startswith(apps) and _concrete(cls)},
                  key=lambda c: c.__qualname__)


def _concrete(cls):
    """Input serializers: the plain ones. Model serializers only render (each module's rule:
    input serializers validate, output serializers render); the test below holds the views
    to that."""
    return not issubclass(cls, serializers.ModelSerializer)


def _id_fields(serializer, prefix=""):
    """(path, field) of every writable related field, nested serializers included."""
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ManyRelatedField):
            field = field.child_relation
        if isinstance(field, serializers.RelatedField):
            yield prefix + name, field
        elif isinstance(field, serializers.ListSerializer):
            yield from _id_fields(field.child, f"{prefix}{name}[].")
        elif isinstance(field, serializers.Serializer):
            yield from _id_fields(field, f"{prefix}{name}.")


def _context(user):
    request = APIRequestFactory().post("/")
    request.user = user
    return {"request": request}


CASES = [(cls, path) for cls in _our_serializers()
         for path, _field in _id_fields(cls(context={}))]


def test_the_api_reads_input_only_through_plain_serializers():
    import re
    from pathlib import Path

    from django.conf import settings

    named = set()
    for path in Path(settings.BASE_DIR).glob("*/api*"):
        for source in ([path] if path.is_file() else path.glob("*.py")):
            # ``action.serializer_class(data=…)``: the declared actions' inputs, walked below.
            text = source.read_text(encoding="utf-8").replace("action.serializer_class", "")
            named |= set(re.findall(r"(\w+)\(data=", text))
    classes = {cls.__name__: cls for cls in _all_subclasses(serializers.Serializer)}
    assert named, "no input serializer found"
    for name in named:
        assert not issubclass(classes[name], serializers.ModelSerializer), name


def test_the_walk_finds_the_id_fields():
    paths = {f"{cls.__name__}.{path}" for cls, path in CASES}
    assert {"DisputeInputSerializer.small_grid", "NoticeInputSerializer.responsible",
            "NoticeInputSerializer.target_large_grids", "AssignCoordinatorInput.coordinator",
            "EscalateInputSerializer.mediator"} <= paths


@pytest.mark.parametrize(("cls", "path"), CASES,
                         ids=[f"{c.__name__}.{p}" for c, p in CASES])
def test_every_incoming_id_resolves_in_scope_and_missing_looks_like_out_of_scope(
        cls, path, gm01):
    field = dict(_id_fields(cls(context=_context(gm01))))[path]
    assert isinstance(field, ScopedPrimaryKeyRelatedField), (
        f"{cls.__name__}.{path} looks ids up outside the user's scope")
    model = field.queryset.model
    outside = model._default_manager.exclude(pk__in=field.get_queryset().values("pk")).first()
    assert outside is not None, f"the demo has no {model.__name__} outside gm01's scope"
    errors = {}
    for label, pk in [("missing", MISSING), ("outside", outside.pk)]:
        with pytest.raises(serializers.ValidationError) as caught:
            field.run_validation(pk)
        errors[label] = caught.value.detail
    assert errors["missing"] == errors["outside"]
    assert str(errors["missing"][0]) == "未找到，或不在您的管辖范围内。"


def test_the_api_answers_the_same_for_a_missing_and_an_out_of_scope_small_grid(api_as, gm01):
    from grid.scope import scope_for_user

    outside = SmallGrid.objects.exclude(pk__in=scope_for_user(gm01).small_grid_ids).first()
    body = {"title": "邻里纠纷", "description": "测试", "category": "neighbour",
            "parties": [{"name": "张三"}]}
    client = api_as("gm01")
    responses = [client.post("/api/v1/disputes/", {**body, "small_grid": pk}, format="json")
                 for pk in (MISSING, outside.pk)]
    assert [r.status_code for r in responses] == [400, 400]
    assert responses[0].json() == responses[1].json()
    assert "管辖范围" in str(responses[0].json()["errors"]["small_grid"])
