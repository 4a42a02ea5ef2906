"""Serializers of the staff API: applications (with their actions), the SMS log. Phones are
masked: the full number is for the SMS gateway only."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.api import CaseEventSerializer, ExpectedStateInput
from core.masking import mask_name, mask_phone

from ..models import Application, ApplicationEvent, SmsMessage


class ApplicationDeclineInput(ExpectedStateInput):
    reason = serializers.CharField(help_text=_("不予受理的理由"))
    other_routes = serializers.CharField(required=False, allow_blank=True, default="",
                                         help_text=_("告知的其他途径（不填时按人民调解法第十八条告知）"))


class ApplicationEventSerializer(CaseEventSerializer):
    class Meta(CaseEventSerializer.Meta):
        model = ApplicationEvent


class ApplicationSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    small_grid = serializers.CharField(source="small_grid.name", read_only=True)
    village = serializers.CharField(source="small_grid.large_grid.name", read_only=True)
    # In the reader's language when the system named the routes (core.stored_text).
    other_routes = serializers.CharField(source="other_routes_display", read_only=True)
    dispute = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ["id", "state", "village", "small_grid", "name", "phone", "category",
                  "submitted_at", "decided_at", "dispute", "decline_reason", "other_routes",
                  "available_actions"]

    def get_name(self, obj) -> str:
        return mask_name(obj.name)

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)

    def get_available_actions(self, obj) -> list[str]:
        from ..actions import ACTIONS

        request = self.context.get("request")
        return ACTIONS.available(obj, request.user) if request else []


class ApplicationDetailSerializer(ApplicationSerializer):
    other_party = serializers.SerializerMethodField()
    events = ApplicationEventSerializer(many=True, read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "other_party", "description", "events"]

    def get_other_party(self, obj) -> str:
        return mask_name(obj.other_party)


class SmsMessageSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField()
    dispute = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    petition = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    application = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = SmsMessage
        fields = ["id", "created_at", "recipient_kind", "phone", "template", "text", "urgent",
                  "status", "attempts", "last_error", "sent_at", "dispute", "petition",
                  "application"]

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)

    def to_representation(self, obj):
        data = super().to_representation(obj)
        if obj.template == "apply_code":  # a verification code is for the applicant only
            data["text"] = re.sub(r"\d{6}", "******", data["text"])
        return data
