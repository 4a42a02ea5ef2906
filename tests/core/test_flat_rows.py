"""``core.api.flat.FlatRows`` writes exactly what DRF's own field-by-field path writes: the
API lists compared whole, and the edge cases of reading a row one by one."""

import json

import pytest
from rest_framework import serializers

from core.api.flat import FlatRows
from disputes.models import Dispute, Party
from grid.models import Staff
from petitions.models import Petition

pytestmark = pytest.mark.django_db


def _drf_path(self, instance):
    """DRF's ``Serializer.to_representation``, the path ``FlatRows`` replaces."""
    return super(FlatRows, self).to_representation(instance)


def _both(monkeypatch, render):
    flat = render()
    with monkeypatch.context() as patched:
        patched.setattr(FlatRows, "to_representation", _drf_path)
        drf = render()
    return flat, drf


@pytest.fixture
def varied():
    """Rows of every kind on the first pages: a case without a handler, a party without a
    phone, a petition without a proxy (the demo's have them all)."""
    newest = Dispute.objects.order_by("-found_at", "-id")
    Dispute.objects.filter(pk__in=[case.pk for case in newest[:3]]).update(handler=None)
    Party.objects.filter(dispute__in=newest[3:6]).update(phone="", phone_masked="")
    Petition.objects.filter(pk__in=Petition.objects.order_by("-received_on", "-id")[:2]
                            .values("pk")).update(proxy_agent=None)


@pytest.mark.parametrize("user", ["leader", "gm01", "county"])
@pytest.mark.parametrize("path", [
    "/api/v1/disputes/", "/api/v1/disputes/?page=last", "/api/v1/disputes/?state=closed",
    "/api/v1/disputes/?state=referred&page_size=200", "/api/v1/disputes/?page_size=200&page=2",
    "/api/v1/disputes/?overdue=true", "/api/v1/disputes/?legal_aid=true",
    "/api/v1/petitions/?page_size=200", "/api/v1/notices/?page_size=200"])
def test_the_api_lists_are_what_drf_writes(api_as, monkeypatch, varied, user, path):
    client = api_as(user)
    flat, drf = _both(monkeypatch, lambda: client.get(path).content)
    assert json.loads(flat)["results"] or "notices" in path or user == "gm01"
    assert flat == drf


def test_the_list_has_rows_of_every_kind(api_as, varied):
    """The comparison above covers what varies: cases with and without a handler, a
    deadline, a referral target; parties with and without a phone; petitions docked to a
    case and not, with and without a proxy; notices to villages."""
    rows = [row for page in ("?page_size=200", "?page_size=200&page=2")
            for row in api_as("leader").get(f"/api/v1/disputes/{page}").json()["results"]]
    assert {row["handler"] is None for row in rows} == {True, False}
    assert {row["tier_due_at"] is None for row in rows} == {True, False}
    assert {row["referred_to"] == "" for row in rows} == {True, False}
    assert {party["phone"] == "" for row in rows for party in row["parties"]} == {True, False}
    petitions = api_as("leader").get("/api/v1/petitions/?page_size=200").json()["results"]
    assert {row["docked_dispute_state"] is None for row in petitions} == {True, False}
    assert {row["proxy_agent"] is None for row in petitions} == {True, False}
    notices = api_as("leader").get("/api/v1/notices/?page_size=200").json()["results"]
    assert any(row["target_large_grids"] for row in notices)


class _Ref(FlatRows, serializers.ModelSerializer):
    class Meta:
        model = Staff
        fields = ["id", "name"]


class _PartyRow(FlatRows, serializers.ModelSerializer):
    seen_by = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = ["id", "name", "seen_by"]

    def get_seen_by(self, obj):
        return self.context["who"]


class _Row(FlatRows, serializers.ModelSerializer):
    handler = _Ref(read_only=True, allow_null=True)
    handler_name = serializers.CharField(source="handler.name", read_only=True)
    grid_name = serializers.CharField(source="small_grid.name", read_only=True)
    parties = _PartyRow(many=True, read_only=True)
    agreement_signed = serializers.DateField(source="agreement.signed_on", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    who = serializers.SerializerMethodField()

    class Meta:
        model = Dispute
        fields = ["id", "number", "town", "small_grid", "found_at", "tier_due_at", "state",
                  "legal_aid", "amount_at_stake", "handler", "handler_name", "grid_name",
                  "parties", "agreement_signed", "state_label", "who"]

    def get_who(self, obj):
        return self.context["who"]


def test_edge_cases_read_as_drf_reads_them(monkeypatch, varied):
    """A path through a missing handler leaves the field out, a related row that does not
    exist reads as None, a method at the end of a path is called, method fields see the
    context (nested ones too), a manager's rows are listed."""
    without = Dispute.objects.filter(handler__isnull=True, agreement__isnull=True).first()
    with_both = Dispute.objects.filter(handler__isnull=False, agreement__isnull=False).first()
    assert without and with_both
    for case in (without, with_both):
        flat, drf = _both(monkeypatch,
                          lambda case=case: _Row(case, context={"who": "甲"}).data)
        assert flat == drf
    flat = _Row(without, context={"who": "甲"}).data
    assert "handler_name" not in flat and flat["handler"] is None
    assert flat["agreement_signed"] is None
    assert flat["state_label"] == without.get_state_display()
    assert {p["seen_by"] for p in flat["parties"]} == {"甲"}
    many, many_drf = _both(monkeypatch, lambda: _Row(
        Dispute.objects.order_by("id")[:20], many=True, context={"who": "乙"}).data)
    assert many == many_drf


def test_a_field_that_cannot_be_written_flat_is_refused():
    class NotFlat(serializers.ModelSerializer):
        class Meta:
            model = Staff
            fields = ["id"]

    class Refused(FlatRows, serializers.ModelSerializer):
        handler = NotFlat(read_only=True)

        class Meta:
            model = Dispute
            fields = ["id", "handler"]

    class Linked(FlatRows, serializers.ModelSerializer):
        link = serializers.HyperlinkedIdentityField(view_name="disputes:detail")

        class Meta:
            model = Dispute
            fields = ["id", "link"]

    case = Dispute.objects.first()
    with pytest.raises(TypeError, match="NotFlat is not FlatRows"):
        Refused(case).data  # noqa: B018
    with pytest.raises(TypeError, match="HyperlinkedIdentityField cannot be written flat"):
        Linked(case).data  # noqa: B018


def test_the_list_builds_its_fields_once_per_process(api_as, monkeypatch):
    """The point of it: a request writes its rows without building the serializer's fields
    (DRF builds them for each serializer instance, the list's and each nested one's)."""
    client = api_as("leader")
    assert client.get("/api/v1/disputes/").status_code == 200
    built = []
    real = serializers.ModelSerializer.get_fields
    monkeypatch.setattr(serializers.ModelSerializer, "get_fields",
                        lambda self: built.append(type(self).__name__) or real(self))
    rows = client.get("/api/v1/disputes/").json()["results"]
    assert rows and rows[0]["parties"]
    assert built == []
