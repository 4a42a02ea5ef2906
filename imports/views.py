"""The import pages: upload → sheet → columns → preview → confirm → progress, and undo."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import columns, reader, selectors, services
from .forms import UndoForm, UploadForm
from .models import ImportKind, ImportState
from .permissions import importable_towns

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _towns(request):
    towns = importable_towns(request.user)
    if not towns.exists():
        raise Http404(_("没有找到该页面。"))
    return towns


def _errors(request, exc):
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


@login_required
def index(request):
    towns = _towns(request)
    form = UploadForm(request.POST or None, request.FILES or None, towns=towns)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.import_upload(by=request.user, town=form.cleaned_data["town"],
                                           kind=form.cleaned_data["kind"],
                                           upload=form.cleaned_data["file"])
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            return redirect("imports:sheet" if not batch.header_row else "imports:mapping",
                            batch.pk)
    return render(request, "imports/importbatch_list.html", {
        "form": form, "batches": selectors.batch_list_for_user(user=request.user)[:50]})


def _draft(request, pk):
    batch = selectors.batch_get_for_user(user=request.user, pk=pk)
    if batch.state != ImportState.DRAFT:
        return batch, redirect(batch)
    return batch, None


@login_required
def sheet(request, pk):
    batch, done = _draft(request, pk)
    if done:
        return done
    names = reader.sheet_names(batch.file.path, batch.original_name)
    if request.method == "POST":
        chosen = request.POST.get("sheet", "")
        if chosen in names:
            try:
                services.import_choose_sheet(batch=batch, sheet=chosen)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                return redirect("imports:mapping", batch.pk)
    return render(request, "imports/importbatch_sheet.html", {"batch": batch, "sheets": names})


@login_required
def mapping(request, pk):
    batch, done = _draft(request, pk)
    if done:
        return done
    fields = columns.FIELDS_BY_KIND[batch.kind]
    if request.method == "POST":
        chosen = [request.POST.get(f"col{i}", "") for i in range(len(batch.mapping))]
        try:
            services.import_set_mapping(batch=batch, fields=chosen)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            return redirect("imports:preview", batch.pk)
    return render(request, "imports/importbatch_mapping.html", {
        "batch": batch, "fields": fields,
        "columns": [(i, c) for i, c in enumerate(batch.mapping)]})


@login_required
def preview(request, pk):
    batch = selectors.batch_get_for_user(user=request.user, pk=pk)
    if batch.state not in (ImportState.DRAFT, ImportState.CHECKING):
        return redirect(batch)
    if batch.state == ImportState.DRAFT and not batch.summary:
        try:
            batch = services.import_check_request(batch=batch)
        except reader.UnreadableFile as exc:
            _errors(request, exc)
            return redirect("imports:index")
    return render(request, "imports/importbatch_preview.html",
                  {"batch": batch, "check": batch.summary})


@login_required
def report(request, pk):
    batch = selectors.batch_get_for_user(user=request.user, pk=pk)
    if not batch.file:
        raise Http404(_("没有找到该导入。"))
    response = HttpResponse(selectors.import_error_report(batch=batch), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-report.xlsx"'
    return response


@login_required
@require_POST
def confirm(request, pk):
    batch, done = _draft(request, pk)
    if done:
        return done
    if not batch.summary.get("ok"):
        messages.error(request, _("仍有错误行，请修正后重新上传。"))
        return redirect("imports:preview", batch.pk)
    try:
        batch = services.import_start(batch=batch, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        if batch.state == ImportState.COMMITTED:
            messages.success(request, _("已导入：新增%(added)s行，跳过%(skipped)s行（已存在）。")
                             % {"added": batch.rows_added, "skipped": batch.rows_skipped})
    return redirect(batch)


@login_required
def detail(request, pk):
    batch = selectors.batch_get_for_user(user=request.user, pk=pk)
    return render(request, "imports/importbatch_detail.html", {
        "batch": batch, "undo_form": UndoForm(),
        "cases": batch.rows.select_related("dispute", "petition").order_by("row_number")[:100]})


@login_required
def progress(request, pk):
    batch = selectors.batch_get_for_user(user=request.user, pk=pk)
    done = cache.get(services.progress_key(batch.pk)) or 0
    return JsonResponse({"state": batch.state, "done": done, "total": batch.rows_total,
                         "added": batch.rows_added, "skipped": batch.rows_skipped,
                         "error": batch.error})


@login_required
@require_POST
def undo(request, pk):
    batch = selectors.batch_get_for_user(user=request.user, pk=pk)
    form = UndoForm(request.POST)
    if form.is_valid():
        try:
            services.import_undo(batch=batch, by=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已撤销该次导入，导入的任职已作废。")
                             if batch.kind == ImportKind.ROSTER
                             else _("已撤销该次导入，导入的案件已作废。"))
    else:
        messages.error(request, _("撤销导入必须填写原因。"))
    return redirect(batch)
