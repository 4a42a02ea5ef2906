from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import (
    GovernanceCentre,
    LargeGrid,
    MediationCommittee,
    RoleAssignment,
    SmallGrid,
    Staff,
    Town,
)
from ..selectors import SUMMARY_KEYS


class TownSerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = Town
        fields = ["id", "name", "short_name", "code", "county"]


class LargeGridSerializer(serializers.ModelSerializer):
    small_grid_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = LargeGrid
        fields = ["id", "town", "number", "name", "kind", "small_grid_count"]


class SmallGridSerializer(serializers.ModelSerializer):
    town = serializers.IntegerField(source="large_grid.town_id", read_only=True)

    class Meta:
        model = SmallGrid
        fields = ["id", "town", "large_grid", "number", "name", "description"]


class CommitteeSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationCommittee
        fields = ["id", "town", "level", "large_grid", "name"]


class CentreSerializer(serializers.ModelSerializer):
    window_count = serializers.IntegerField(read_only=True)
    room_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = GovernanceCentre
        fields = ["id", "town", "large_grid", "name", "address", "window_count", "room_count"]


class AssignmentSerializer(serializers.ModelSerializer):
    scope_type = serializers.CharField(source="scope_field", read_only=True)
    scope_id = serializers.SerializerMethodField()
    scope_name = serializers.SerializerMethodField()

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "scope_type", "scope_id", "scope_name", "is_five_elders",
                  "elder_kind", "starts_on", "ends_on"]

    def get_scope_id(self, obj) -> int:
        return getattr(obj, f"{obj.scope_field}_id")

    def get_scope_name(self, obj) -> str:
        return str(obj.scope_object)


class StaffSerializer(serializers.ModelSerializer):
    assignments = AssignmentSerializer(source="visible_assignments", many=True, read_only=True)

    class Meta:
        model = Staff
        fields = ["id", "name", "gender", "title", "town", "assignments"]


class TownSummarySerializer(serializers.Serializer):
    """The town's organisation in figures."""

    def get_fields(self):
        return {key: serializers.IntegerField(read_only=True) for key in SUMMARY_KEYS}


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("用户名"))
    password = serializers.CharField(label=_("密码"), style={"input_type": "password"},
                                     trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True, label=_("过期时间"))
