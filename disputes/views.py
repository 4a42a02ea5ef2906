"""Dispute pages: intake, my queue, case detail with its actions, the ledger and prints."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.personal_data import (
    personal_data_access_record,
    personal_data_context,
    reveal_request,
)
from casework.views import action_forms, action_page, form_fragment_or_page
from core.counts import page_of
from core.export_jobs import export_in_request_up_to, export_job_start
from core.forms import apply_form_errors
from core.idempotency import once_per_token
from core.keyset import Count, count_rows
from core.numerals import chinese_numeral
from core.printing import print_columns
from core.registry import detail_links_for
from grid.scope import scope_for_user

from . import deadlines, exports, permissions, selectors, services
from .actions import ACTIONS
from .filters import LEDGER_SORTS, LedgerFilterForm
from .forms import AttachmentForm, DisputeForm, PartyFormSet, SessionForm
from .models import Dispute, MediationAgreement
from .states import DisputeState


def _get(request, pk) -> Dispute:
    try:
        return selectors.dispute_get_for_user(user=request.user, pk=pk)
    except Dispute.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@once_per_token
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
            duplicates = selectors.dispute_probable_duplicates(user=request.user, dispute=dispute)
            if duplicates:
                # A warning, not a refusal: the case is registered; the page links the others.
                messages.warning(request, _("可能与 %(numbers)s 重复：同一小网格30天内有同名或同电话的当事人。")
                                 % {"numbers": "、".join(d.number for d in duplicates)})
            return redirect(dispute)
    return render(request, "disputes/dispute_form.html", {"form": form, "parties": parties})


@login_required
def dispute_queue(request):
    queue = selectors.dispute_queue_for_user(user=request.user)
    page = page_of(queue, 50, request.GET.get("page"))
    return render(request, "disputes/dispute_queue.html", {"page": page})


def _session_item(dispute, form) -> dict:
    """The case page's "record a session" entry: its form inline (with its errors) or fetched
    when opened, posting to ``session_add``."""
    return {"name": "session", "label": _("登记调解记录"), "submit": _("保存"),
            "url": reverse("disputes:session_add", args=[dispute.pk]), "form": form}


def _detail_context(request, dispute, forms=None, revealed=False, reveal_form=None):
    user = request.user
    forms = forms or {}
    may_reveal = permissions.can_see_personal_data(dispute, user)
    can_record = permissions.can_add_record(dispute, user)
    agreement = getattr(dispute, "agreement", None)
    return {
        "extra_links": detail_links_for(request, dispute),
        "dispute": dispute,
        "parties": dispute.parties.all(),
        "events": selectors.dispute_history(dispute=dispute),
        "sessions": selectors.case_list(dispute, "sessions", dispute.sessions.select_related(
            "room").prefetch_related("mediators")),
        "followups": selectors.case_list(dispute, "followups",
                                         dispute.followups.select_related("visitor")),
        "attachments": selectors.case_list(dispute, "attachments", dispute.attachments.all()),
        "agreement": agreement,
        "confirmation_until": deadlines.judicial_confirmation_until(
            agreement.signed_on) if agreement and agreement.confirmable else None,
        "confirmation": getattr(agreement, "confirmation", None) if agreement else None,
        "police_reports": dispute.police_reports.all(),
        "action_forms": action_forms(ACTIONS, dispute, user, bound=forms),
        # Built when opened (``dispute_session_add`` answers GET), or here with its errors.
        "session_form": forms.get("session"),
        "session_item": _session_item(dispute, forms.get("session")),
        "can_add_session": can_record and dispute.is_open,
        "attachment_form": (forms.get("attachment") or AttachmentForm()) if can_record else None,
        "leaders": selectors.leaders_in_charge(
            large_grid_ids=[dispute.small_grid.large_grid_id]).get(
            dispute.small_grid.large_grid_id, []),
        "reveal_url": reverse("disputes:personal_data", args=[dispute.pk]),
        "duplicates": selectors.dispute_probable_duplicates(user=user, dispute=dispute),
        **personal_data_context(case=dispute, may_reveal=may_reveal, revealed=revealed,
                                form=reveal_form),
    }


@login_required
def dispute_detail(request, pk):
    dispute = _get(request, pk)
    return render(request, "disputes/dispute_detail.html", _detail_context(request, dispute))


@login_required
@require_POST
def dispute_personal_data(request, pk):
    """The parties' full phones and ID numbers, once the reason is given (and recorded)."""
    dispute = _get(request, pk)
    revealed, form = reveal_request(
        request, case=dispute, may_reveal=permissions.can_see_personal_data(dispute, request.user))
    return render(request, "disputes/dispute_detail.html",
                  _detail_context(request, dispute, revealed=revealed, reveal_form=form),
                  status=200 if revealed else 400)


@login_required
@require_http_methods(["GET", "POST"])
def dispute_action(request, pk, action):
    dispute = _get(request, pk)
    return action_page(
        request, actions=ACTIONS, case=dispute, name=action,
        rerender=lambda forms: render(request, "disputes/dispute_detail.html",
                                      _detail_context(request, dispute, forms=forms),
                                      status=400))


@login_required
@require_http_methods(["GET", "POST"])
@once_per_token
def dispute_session_add(request, pk):
    dispute = _get(request, pk)
    if request.method == "GET":
        # The empty form, fetched when the case page's entry is opened (or a page of its own).
        if not (permissions.can_add_record(dispute, request.user) and dispute.is_open):
            raise Http404
        return form_fragment_or_page(request, case=dispute, **_session_item(
            dispute, SessionForm(dispute=dispute, user=request.user)))
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
@once_per_token
def dispute_attachment_add(request, pk):
    dispute = _get(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            stored = services.dispute_attachments_add(dispute=dispute, by=request.user,
                                                      uploads=form.cleaned_data["files"])
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            # Said only of files that were stored: the form refuses an empty choice.
            messages.success(request, _("附件已上传：%(count)d 个。") % {"count": len(stored)})
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


def _committee_name(dispute, agreement=None) -> str:
    """The committee that mediated and seals (人民调解法 第二十九条): the agreement's; without
    one, the town's committee."""
    if agreement is not None and agreement.committee is not None:
        return agreement.committee.name
    return _("%(town)s人民调解委员会") % {"town": dispute.town}


def party_particulars(party) -> str:
    """A party's particulars as the agreement states them: "张三，男，汉族，45岁，住…", each
    given item once, joined by one comma (an item not given leaves no empty place)."""
    items = [party.get_gender_display() if party.gender else "", party.ethnicity,
             _("%(age)s岁") % {"age": party.age} if party.age else "", party.occupation,
             _("住%(address)s") % {"address": party.address} if party.address else "",
             _("联系电话%(phone)s") % {"phone": party.phone} if party.phone else "",
             _("身份证号码%(id)s") % {"id": party.id_number} if party.id_number else ""]
    return _("，").join([party.name, *(str(item).strip() for item in items if str(item).strip())])


@login_required
def dispute_agreement_print(request, pk):
    dispute = _get(request, pk)
    agreement = getattr(dispute, "agreement", None)
    if agreement is None or agreement.kind != MediationAgreement.Kind.WRITTEN:
        raise Http404
    parties = list(dispute.parties.all())
    for party in parties:
        party.particulars = party_particulars(party)
    return render(request, "disputes/mediationagreement_print.html", {
        "dispute": dispute, "agreement": agreement, "parties": parties,
        "confirmation_until": deadlines.judicial_confirmation_until(agreement.signed_on)
        if agreement.confirmable else None,
        # 人民调解法 第二十九条: each party one copy, the committee one.
        "copies": chinese_numeral(len(parties) + 1),
        "committee_name": _committee_name(dispute, agreement),
    })


@login_required
def dispute_termination_print(request, pk):
    """终止调解告知书: why mediation ended and the routes left to the parties (人民调解法
    第二十六条)."""
    dispute = _get(request, pk)
    if dispute.state != DisputeState.TERMINATED:
        raise Http404
    return render(request, "disputes/dispute_termination_print.html", {
        "dispute": dispute, "parties": dispute.parties.all(),
        "committee_name": _committee_name(dispute),
    })


@login_required
def dispute_rights_print(request, pk):
    """人民调解当事人权利义务告知书 (人民调解法 第二十三条、第二十四条; 若干规定 第三十条)."""
    dispute = _get(request, pk)
    return render(request, "disputes/dispute_rights_print.html", {
        "dispute": dispute, "parties": dispute.parties.all(),
        "committee_name": _committee_name(dispute),
    })


@login_required
def dispute_file_print(request, pk):
    """The case file (一案一卷, 人民调解法 第二十七条), in filing order."""
    dispute = _get(request, pk)
    return render(request, "disputes/dispute_file_print.html",
                  selectors.dispute_file(dispute=dispute))


LEDGER_PAGE = 50
# The print view shows at most this many rows and says so; the export has them all.
PRINT_LIMIT = 500


def _ledger(request):
    form = LedgerFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.dispute_list_for_user(user=request.user, filters=filters)
    return form, filters, qs, LEDGER_SORTS.parse(request.GET.get("sort"))


@login_required
def dispute_ledger(request):
    form, filters, qs, sort = _ledger(request)
    listed, headline = selectors.ledger_figures(user=request.user, filters=filters)
    page = LEDGER_SORTS.paginator(exports.lean(qs), sort, per_page=LEDGER_PAGE,
                                  count=Count(listed)).page(
        number=request.GET.get("page"), after=request.GET.get("after"),
        before=request.GET.get("before"))
    rows = exports.ledger_rows(page.object_list, start=page.start)
    return render(request, "disputes/dispute_ledger.html", {
        "form": form, "page": page, "rows": rows, "headers": exports.LEDGER_HEADERS,
        "headline": headline,
        **LEDGER_SORTS.page_context(request, sort, exports.LEDGER_HEADERS),
    })


@login_required
def dispute_ledger_export(request):
    _form, filters, qs, sort = _ledger(request)
    personal_data_access_record(by=request.user, kind="export", reason=_("导出纠纷台账"),
                                record_type="disputes.dispute",
                                record_label=request.GET.urlencode() or _("全部"))
    exact = selectors.dispute_count_for_user(user=request.user, filters=filters)
    rows = exact if exact is not None else count_rows(qs).value
    if rows > export_in_request_up_to():
        # Written on the worker; the job's page shows the progress and then the file.
        job = export_job_start(user=request.user, kind="disputes.ledger",
                               query=request.GET.urlencode(), total=rows)
        return redirect("export_job", pk=job.pk)
    qs = selectors.order_ledger(qs, sort)
    # Streamed from a temporary file: memory stays flat whatever the rows.
    return FileResponse(
        exports.ledger_xlsx_file(qs), as_attachment=True,
        filename=f"dispute-ledger-{timezone.localdate():%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@login_required
def dispute_ledger_print(request):
    form, filters, qs, sort = _ledger(request)
    rows = exports.ledger_rows(exports.lean(selectors.order_ledger(qs, sort))[:PRINT_LIMIT + 1])
    return render(request, "disputes/dispute_ledger_print.html", {
        "rows": rows[:PRINT_LIMIT], "headers": exports.LEDGER_HEADERS,
        "columns": print_columns(exports.LEDGER_HEADERS, exports.COLUMN_WIDTHS),
        "truncated": len(rows) > PRINT_LIMIT, "limit": PRINT_LIMIT,
        "headline": selectors.fengqiao_headline(user=request.user, filters=filters),
        "printed_at": timezone.localtime(),
    })
