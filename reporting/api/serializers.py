from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.api import CaseEventSerializer, ExpectedStateInput, StaffRefSerializer
from core.api.fields import ScopedPrimaryKeyRelatedField
from grid.models import Town

from ..exports import statistics_payload
from ..models import (
    Bulletin,
    BulletinEvent,
    BulletinRecipient,
    StatisticsReport,
    StatisticsReportEvent,
)
from ..selectors import report_towns


class FigureRowSerializer(serializers.Serializer):
    """One category's figures (or the total row): each key of the report's columns."""

    category = serializers.CharField(required=False)
    label = serializers.CharField(required=False)
    values = serializers.DictField(child=serializers.FloatField(allow_null=True))


class StatisticsSerializer(serializers.Serializer):
    """The report's figures: categories × columns, the total row, the sources and the
    prevention figures (cases and people)."""

    town = serializers.DictField()
    period = serializers.CharField()
    period_label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    columns = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    rows = FigureRowSerializer(many=True)
    total = serializers.DictField(child=serializers.FloatField(allow_null=True))
    sources = serializers.ListField(child=serializers.DictField())
    prevention = serializers.ListField(child=serializers.DictField())
    filed_report = serializers.IntegerField(allow_null=True)


class StatisticsReportDraftInput(serializers.Serializer):
    town = ScopedPrimaryKeyRelatedField(queryset=Town.objects.all(), scoped=report_towns)
    period = serializers.CharField(help_text=_("2026-11、2026-Q4 或 2026"))


class StatisticsReportSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(choices=StatisticsReport._meta.get_field("state").choices,
                                    read_only=True)
    handler = StaffRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = StatisticsReport
        fields = ["id", "town", "period", "period_kind", "version", "state", "handler",
                  "created_at", "filed_at", "corrects", "correction_reason"]


class StatisticsReportDetailSerializer(StatisticsReportSerializer):
    figures = serializers.SerializerMethodField()
    corrected_by = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(StatisticsReportSerializer.Meta):
        fields = StatisticsReportSerializer.Meta.fields + ["figures", "corrected_by",
                                                 "available_actions"]

    def get_figures(self, report) -> StatisticsSerializer:
        return statistics_payload(report.figures)

    def get_corrected_by(self, report) -> int | None:
        return next((c.pk for c in report.corrections.all()), None)

    def get_available_actions(self, report) -> list[str]:
        from ..actions import REPORT_ACTIONS

        return REPORT_ACTIONS.available(report, self.context["request"].user)


class StatisticsReportEventSerializer(CaseEventSerializer):
    class Meta(CaseEventSerializer.Meta):
        model = StatisticsReportEvent


class BulletinTextInput(ExpectedStateInput):
    title = serializers.CharField(max_length=120)
    body = serializers.CharField()


class RecipientSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)
    village = serializers.CharField(source="large_grid.name", read_only=True, allow_null=True,
                                    default=None)

    class Meta:
        model = BulletinRecipient
        fields = ["user", "village", "read_at"]


class BulletinSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(choices=Bulletin._meta.get_field("state").choices,
                                    read_only=True)

    class Meta:
        model = Bulletin
        fields = ["id", "town", "kind", "period_start", "period_end", "title", "state",
                  "created_at", "issued_at"]


class BulletinDetailSerializer(BulletinSerializer):
    recipients = RecipientSerializer(many=True, read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta(BulletinSerializer.Meta):
        fields = BulletinSerializer.Meta.fields + ["body", "figures", "recipients",
                                                   "available_actions"]

    def get_available_actions(self, bulletin) -> list[str]:
        from ..actions import BULLETIN_ACTIONS

        return BULLETIN_ACTIONS.available(bulletin, self.context["request"].user)


class BulletinEventSerializer(CaseEventSerializer):
    class Meta(CaseEventSerializer.Meta):
        model = BulletinEvent
