"""An import of a town's own register (矛盾纠纷摸排台账, 信访登记簿, organisation roster) and
what it added.

Each import is a record: who, when, the file and its checksum, the sheet and column mapping,
rows added and rows skipped. The file is kept until the import is committed, so that the
preview, the error report and the commit read the same bytes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from disputes.models import Dispute
from grid.models import Town
from petitions.models import Petition


class ImportKind(models.TextChoices):
    LEDGER = "ledger", _("矛盾纠纷台账")
    ROSTER = "roster", _("组织架构花名册")
    PETITIONS = "petitions", _("信访登记簿")


class ImportState(models.TextChoices):
    DRAFT = "draft", _("待确认")
    CHECKING = "checking", _("校验中")
    RUNNING = "running", _("导入中")
    COMMITTED = "committed", _("已导入")
    FAILED = "failed", _("导入失败")
    UNDONE = "undone", _("已撤销")


def _upload_path(instance, filename):
    return f"imports/{instance.town_id}/{instance.checksum[:16]}-{filename[-80:]}"


class ImportBatch(models.Model):
    """One import of one sheet of one file into one town."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("镇"))
    kind = models.CharField(_("类型"), max_length=16, choices=ImportKind.choices)
    state = models.CharField(_("状态"), max_length=16, choices=ImportState.choices,
                             default=ImportState.DRAFT, db_index=True)
    file = models.FileField(_("文件"), upload_to=_upload_path, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200)
    checksum = models.CharField(_("文件校验值（SHA-256）"), max_length=64, db_index=True)
    sheet = models.CharField(_("工作表"), max_length=100, blank=True)
    mapping = models.JSONField(_("列对应"), default=list, blank=True)
    header_row = models.PositiveIntegerField(_("表头行"), null=True, blank=True)
    # The check's outcome (counts, first rows as they land, first errors), stored so that the
    # preview of a large file, checked on the worker, is read rather than worked out again.
    summary = models.JSONField(_("校验结果"), default=dict, blank=True)
    rows_total = models.PositiveIntegerField(_("数据行数"), default=0)
    rows_added = models.PositiveIntegerField(_("新增行数"), default=0)
    rows_skipped = models.PositiveIntegerField(_("跳过行数（已存在）"), default=0)
    error = models.TextField(_("失败原因"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("导入人"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+", verbose_name=_("撤销人"))
    undone_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    undo_reason = models.TextField(_("撤销原因"), blank=True)

    class Meta:
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.original_name} · {self.sheet}"

    def get_absolute_url(self):
        return reverse("imports:detail", args=[self.pk])


class ImportedRow(models.Model):
    """A row an import added: its place in the file, its content key, the case it became."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="rows",
                              verbose_name=_("导入"))
    row_number = models.PositiveIntegerField(_("行号"))
    content_key = models.CharField(_("内容键"), max_length=64, db_index=True)
    dispute = models.OneToOneField(Dispute, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("纠纷"))
    petition = models.OneToOneField(Petition, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("信访事项"))
    # A roster row: the ids of what it created (grids, committee, person, post) and an end
    # date it wrote, so that the import can be taken back (``imports.roster.undo``).
    created = models.JSONField(_("新建内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("导入行")
        verbose_name_plural = _("导入行")
        ordering = ["batch_id", "row_number"]

    def __str__(self):
        return f"{self.batch_id}:{self.row_number}"
