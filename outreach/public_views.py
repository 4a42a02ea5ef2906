"""The public pages (no login, phone-first): ``/q/`` (a case's progress, the rating, opting
out of SMS) and ``/apply/`` (applying for mediation). Not part of the staff API.

Every answer that depends on a code and a phone is the same for a wrong code and for a wrong
phone; every look-up is logged (``PublicLookup``); too many per code, phone or address
answer 429. The pages never show a name or a number: only states, dates and units.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_fsm import TransitionNotAllowed

from casework.querycode import normalise
from core.crypto import keyed_hash
from core.forms import apply_form_errors
from disputes.models import Dispute
from disputes.services import dispute_evaluate
from petitions.services import petition_evaluate

from . import services
from .forms import ApplyForm, EvaluateForm, LookupForm
from .services.public import (
    case_for,
    log_lookup,
    lookup_throttled,
    matching_phones,
    progress,
    throttled,
)
from .states import LookupKind

# One refusal for a wrong code and a wrong phone alike.
REFUSAL = gettext_lazy("查询码或手机号码后四位不正确。")


def _address(request) -> str | None:
    return get_client_ip_address(request) or None


def _too_many(request, template: str, context: dict):
    context = {**context, "too_many": True}
    return render(request, template, context, status=429)


@never_cache
def query(request):
    """GET: the form (``?code=`` from the QR code fills the code). POST: look up, rate
    (``evaluate``) or stop the SMS (``opt_out``)."""
    if request.method != "POST":
        form = LookupForm(initial={"code": normalise(request.GET.get("code", ""))})
        return render(request, "outreach/public_query.html", {"form": form})
    intent = request.POST.get("intent", "query")
    form = (EvaluateForm if intent == "evaluate" else LookupForm)(request.POST)
    kind = {"evaluate": LookupKind.EVALUATE, "opt_out": LookupKind.OPT_OUT}.get(
        intent, LookupKind.QUERY)
    address = _address(request)
    code = normalise(request.POST.get("code", ""))
    if lookup_throttled(code=code, address=address):
        log_lookup(kind=kind, code=code, address=address, refused=True)
        return _too_many(request, "outreach/public_query.html", {"form": LookupForm()})
    if not form.is_valid():
        log_lookup(kind=kind, code=code, address=address)
        return render(request, "outreach/public_query.html", {"form": form}, status=400)
    case = case_for(code=code, phone_last4=form.cleaned_data["phone4"])
    log_lookup(kind=kind, code=code, address=address, case=case)
    if case is None:
        return render(request, "outreach/public_query.html",
                      {"form": LookupForm(initial={"code": code}), "refused": REFUSAL},
                      status=404)
    notice = ""
    if intent == "evaluate":
        try:
            if isinstance(case, Dispute):
                dispute_evaluate(dispute=case, evaluation=form.cleaned_data["evaluation"],
                                 comment=form.cleaned_data["comment"])
            else:
                petition_evaluate(petition=case, by=None,
                                  evaluation=form.cleaned_data["evaluation"],
                                  comment=form.cleaned_data["comment"])
            notice = _("感谢您的评价。")
        except (TransitionNotAllowed, ValidationError) as exc:
            notice = "；".join(getattr(exc, "messages", None) or [str(exc)])
        case.refresh_from_db()
    elif intent == "opt_out":
        for phone in matching_phones(case, form.cleaned_data["phone4"]):
            services.sms_opt_out(phone=phone, source="query page")
        notice = _("已退订，今后不再向您的手机发送短信。")
    return render(request, "outreach/public_progress.html", {
        "progress": progress(case),
        "code": code,
        "phone4": form.cleaned_data["phone4"],
        "evaluate_form": EvaluateForm(initial={"code": code,
                                               "phone4": form.cleaned_data["phone4"]}),
        "notice": notice,
    })


@never_cache
def apply(request):
    """The application form. ``send_code`` texts a code to the phone; ``submit`` checks it
    and only then writes the application. Throttled per phone and per address."""
    initial = {}
    if request.GET.get("grid", "").isdigit():
        initial["small_grid"] = int(request.GET["grid"])
    if request.method != "POST":
        return render(request, "outreach/public_apply.html", {"form": ApplyForm(initial=initial)})
    form = ApplyForm(request.POST)
    address = _address(request)
    phone = (request.POST.get("phone") or "").strip()
    sending = "send_code" in request.POST
    kind = LookupKind.APPLY_CODE if sending else LookupKind.APPLY
    by_phone = throttled(f"apply-phone:{keyed_hash(phone)}", settings.PUBLIC_LOOKUPS_PER_HOUR)
    by_address = throttled(f"apply-addr:{address}", settings.PUBLIC_ADDRESS_PER_HOUR)
    if by_phone or by_address:
        log_lookup(kind=kind, address=address, refused=True)
        return _too_many(request, "outreach/public_apply.html", {"form": form})
    log_lookup(kind=kind, address=address)
    if sending:
        form.is_valid()  # show the other fields' errors too, but only the phone matters now
        if "phone" in form.errors or "small_grid" in form.errors:
            return render(request, "outreach/public_apply.html",
                          {"form": form, "code_error": True}, status=400)
        with transaction.atomic():
            services.apply_send_code(phone=phone, small_grid=form.cleaned_data["small_grid"])
        # The form again with what was typed, without the errors of fields not filled yet.
        return render(request, "outreach/public_apply.html",
                      {"form": ApplyForm(initial=request.POST.dict()), "code_sent": True})
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.application_submit(
                small_grid=data["small_grid"], name=data["name"], phone=data["phone"],
                code=data["code"], category=data["category"], description=data["description"],
                other_party=data["other_party"], other_party_phone=data["other_party_phone"])
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            return render(request, "outreach/public_apply_done.html", {})
    return render(request, "outreach/public_apply.html", {"form": form}, status=400)
