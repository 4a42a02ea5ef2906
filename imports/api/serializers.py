"""The import's API shapes: an import as listed and in detail, and the inputs of its steps."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import ScopedPrimaryKeyRelatedField
from grid.models import Town

from .. import reader
from ..models import ImportBatch, ImportKind, ImportState
from ..permissions import importable_towns


def _importable_towns(*, user):
    return importable_towns(user)


class ImportBatchSerializer(serializers.ModelSerializer):
    """One import as the list shows it: who, when, the file and its checksum, the counts."""

    town_name = serializers.CharField(source="town.name", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = ImportBatch
        fields = ["id", "town", "town_name", "kind", "state", "original_name", "checksum",
                  "sheet", "rows_total", "rows_added", "rows_skipped", "created_by",
                  "created_at", "committed_at", "undone_at"]
        read_only_fields = fields


class ImportColumnSerializer(serializers.Serializer):
    label = serializers.CharField(help_text=_("表头"))
    field = serializers.CharField(allow_blank=True, help_text=_("对应字段（空：不导入此列）"))


class ImportBatchDetailSerializer(ImportBatchSerializer):
    """An import with its sheet and column mapping, the check's outcome (counts, the first
    rows as they land with the parties masked, the first errors) and its end."""

    mapping = ImportColumnSerializer(many=True, read_only=True)
    sheets = serializers.SerializerMethodField(help_text=_("工作簿中的工作表（待确认时）"))
    undone_by = serializers.CharField(source="undone_by.username", read_only=True,
                                      allow_null=True, default=None)

    class Meta(ImportBatchSerializer.Meta):
        fields = [*ImportBatchSerializer.Meta.fields, "header_row", "mapping", "sheets",
                  "summary", "error", "undone_by", "undo_reason"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_sheets(self, batch) -> list[str]:
        if batch.state != ImportState.DRAFT or not batch.file:
            return []
        try:
            return reader.sheet_names(batch.file.path, batch.original_name)
        except (reader.UnreadableFile, OSError):
            return []


class ImportUploadInput(serializers.Serializer):
    """A register to import: it is kept as a draft; nothing reaches the town's records yet."""

    kind = serializers.ChoiceField(choices=ImportKind.choices, help_text=_("导入内容"))
    town = ScopedPrimaryKeyRelatedField(queryset=Town.objects.all(), scoped=_importable_towns,
                                        help_text=_("导入到哪个镇（本镇综治办或管理员）"))
    file = serializers.FileField(help_text=_(".xlsx、.xls 或 .csv"))


class ImportCheckInput(serializers.Serializer):
    """Optionally choose the sheet, then the field of each column, before the check."""

    sheet = serializers.CharField(required=False, allow_blank=False,
                                  help_text=_("工作表（不填：不变）"))
    fields = serializers.ListField(
        child=serializers.CharField(allow_blank=True), required=False,
        help_text=_("每一列对应的字段，顺序同表头（不填：沿用识别结果）"))


class ImportUndoInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=_("撤销原因（必填）"))
