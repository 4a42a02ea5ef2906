"""Dispute pages: intake, my queue, case detail with its actions, the ledger and prints."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.registry import detail_links_for
from core.views import action_response, apply_form_errors
from grid.models import Staff
from grid.scope import scope_for_user

from . import deadlines, exports, permissions, selectors, services
from .filters import LedgerFilterForm
from .forms import (
    ACTION_FORMS,
    ACTION_LABELS,
    AttachmentForm,
    DisputeForm,
    PartyFormSet,
    SessionForm,
)
from .models import Dispute


def _get(request, pk) -> Dispute:
    try:
        return selectors.dispute_get_for_user(user=request.user, pk=pk)
    except Dispute.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def dispute_create(request):
    if not scope_for_user(request.user).small_grid_ids and not scope_for_user(
            request.user).is_global:
        raise PermissionDenied(_("您的账号没有可登记纠纷的网格。"))
    form = DisputeForm(request.POST or None, request.FILES or None, user=request.user)
    parties = PartyFormSet(request.POST or None, prefix="parties")
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        data = dict(form.cleaned_data)
        small_grid = data.pop("small_grid")
        attachments = data.pop("attachments", [])
        party_rows = [p.cleaned_data for p in parties.forms
                      if p.cleaned_data and not p.cleaned_data.get("DELETE")]
        try:
            dispute = services.dispute_create(by=request.user, small_grid=small_grid,
                                              parties=party_rows, attachments=attachments, **data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("已登记纠纷 %(number)s。") % {"number": dispute.number})
            return redirect(dispute)
    return render(request, "disputes/dispute_form.html", {"form": form, "parties": parties})


@login_required
def dispute_queue(request):
    queue = selectors.dispute_queue_for_user(user=request.user)
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    return render(request, "disputes/dispute_queue.html", {"page": page})


def _action_auto_id(name: str) -> str:
    """Field ids per action form: several forms on one page share field names (withdraw and
    void both have ``reason``), and each label must point at its own form's field."""
    return f"id_{name}_%s"


def _detail_context(request, dispute, forms=None):
    user = request.user
    actions = permissions.available_actions(dispute, user)
    forms = forms or {}
    action_forms = []
    for name in actions:
        form_class = ACTION_FORMS[name]
        kwargs = {"dispute": dispute} if name == "escalate" else {}
        form = forms.get(name) or form_class(initial={"seen_state": dispute.state},
                                             auto_id=_action_auto_id(name), **kwargs)
        action_forms.append({"name": name, "label": ACTION_LABELS[name], "form": form,
                             "open": name in forms,
                             "url": reverse("disputes:action", args=[dispute.pk, name])})
    can_record = permissions.can_add_record(dispute, user)
    agreement = getattr(dispute, "agreement", None)
    return {
        "extra_links": detail_links_for(request, dispute),
        "dispute": dispute,
        "parties": dispute.parties.all(),
        "events": selectors.dispute_history(dispute=dispute),
        "sessions": dispute.sessions.select_related("room").prefetch_related("mediators"),
        "followups": dispute.followups.select_related("visitor"),
        "attachments": dispute.attachments.all(),
        "agreement": agreement,
        "confirmation_until": deadlines.judicial_confirmation_until(
            agreement.signed_on if agreement else None),
        "action_forms": action_forms,
        "session_form": (forms.get("session") or SessionForm(dispute=dispute, user=user))
        if can_record and dispute.is_open else None,
        "attachment_form": (forms.get("attachment") or AttachmentForm()) if can_record else None,
        "leaders": selectors.leaders_in_charge(
            large_grid_ids=[dispute.small_grid.large_grid_id]).get(
            dispute.small_grid.large_grid_id, []),
    }


@login_required
def dispute_detail(request, pk):
    dispute = _get(request, pk)
    return render(request, "disputes/dispute_detail.html", _detail_context(request, dispute))


@login_required
@require_POST
def dispute_action(request, pk, action):
    dispute = _get(request, pk)
    if action not in ACTION_FORMS:
        raise Http404
    form_class = ACTION_FORMS[action]
    kwargs = {"dispute": dispute} if action == "escalate" else {}
    form = form_class(request.POST, auto_id=_action_auto_id(action), **kwargs)
    return action_response(
        request, obj=dispute, form=form, label=ACTION_LABELS[action],
        perform=lambda data: _perform(action, dispute=dispute, by=request.user, data=data,
                                      form=form),
        rerender=lambda form: render(request, "disputes/dispute_detail.html",
                                     _detail_context(request, dispute, forms={action: form}),
                                     status=400),
        stale_message=_("该案件刚被他人处理，当前状态已变化，请查看后再操作。"))


def _perform(action, *, dispute, by, data, form):
    """Call the one service behind an action with the form's values."""
    if action == "escalate":
        return services.dispute_escalate(dispute=dispute, by=by, note=data["note"],
                                         mediator=data.get("mediator"))
    if action == "escalate_urgent":
        return services.dispute_escalate_urgent(dispute=dispute, by=by,
                                                justification=data["justification"])
    if action == "resolve":
        return services.dispute_resolve(dispute=dispute, by=by, outcome=data["outcome"],
                                        agreement=form.agreement(),
                                        written_required=data["written_required"])
    if action == "refer":
        return services.dispute_refer(dispute=dispute, by=by, target=data["target"],
                                      note=data["note"])
    if action == "followup":
        visitor = Staff.objects.filter(pk=scope_for_user(by).staff_id).first()
        if visitor is None:
            raise ValidationError(_("您的账号未关联工作人员，不能登记回访。"))
        return services.dispute_followup(dispute=dispute, by=by, visited_on=data["visited_on"],
                                         visitor=visitor, agreement_kept=data["agreement_kept"],
                                         note=data["note"])
    if action == "close":
        return services.dispute_close(dispute=dispute, by=by, note=data["note"])
    if action == "reopen":
        return services.dispute_reopen(dispute=dispute, by=by, note=data["note"])
    if action == "withdraw":
        return services.dispute_withdraw(dispute=dispute, by=by, reason=data["reason"])
    if action == "void":
        return services.dispute_void(dispute=dispute, by=by, reason=data["reason"])
    raise Http404


@login_required
@require_POST
def dispute_session_add(request, pk):
    dispute = _get(request, pk)
    form = SessionForm(request.POST, dispute=dispute, user=request.user)
    if form.is_valid():
        try:
            services.dispute_session_add(dispute=dispute, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("已登记调解记录。"))
            return redirect(dispute)
    return render(request, "disputes/dispute_detail.html",
                  _detail_context(request, dispute, forms={"session": form}), status=400)


@login_required
@require_POST
def dispute_attachment_add(request, pk):
    dispute = _get(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with transaction.atomic():
                for upload in form.cleaned_data["files"]:
                    services.dispute_attachment_add(dispute=dispute, by=request.user,
                                                    upload=upload)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("附件已上传。"))
            return redirect(dispute)
    return render(request, "disputes/dispute_detail.html",
                  _detail_context(request, dispute, forms={"attachment": form}), status=400)


@login_required
def dispute_attachment_download(request, pk, attachment_pk):
    from django.http import FileResponse

    dispute = _get(request, pk)
    attachment = dispute.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=attachment.kind != "photo",
                        filename=attachment.original_name)


@login_required
def dispute_agreement_print(request, pk):
    dispute = _get(request, pk)
    agreement = getattr(dispute, "agreement", None)
    if agreement is None or agreement.kind != "written":
        raise Http404
    return render(request, "disputes/mediationagreement_print.html", {
        "dispute": dispute, "agreement": agreement, "parties": dispute.parties.all(),
        "confirmation_until": deadlines.judicial_confirmation_until(agreement.signed_on),
    })


def _ledger(request):
    form = LedgerFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.dispute_list_for_user(user=request.user, filters=filters)
    return form, filters, qs


@login_required
def dispute_ledger(request):
    form, filters, qs = _ledger(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = exports.ledger_rows(page.object_list, start=page.start_index())
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "disputes/dispute_ledger.html", {
        "form": form, "page": page, "rows": rows, "headers": exports.LEDGER_HEADERS,
        "headline": selectors.fengqiao_headline(user=request.user, filters=filters),
        "query": query.urlencode(),
    })


@login_required
def dispute_ledger_export(request):
    _form, _filters, qs = _ledger(request)
    content = exports.ledger_xlsx(qs)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"dispute-ledger-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def dispute_ledger_print(request):
    form, filters, qs = _ledger(request)
    return render(request, "disputes/dispute_ledger_print.html", {
        "rows": exports.ledger_rows(qs[:2000]), "headers": exports.LEDGER_HEADERS,
        "headline": selectors.fengqiao_headline(user=request.user, filters=filters),
        "printed_at": timezone.localtime(),
    })
