"""Applying for mediation from a phone (群众扫码申请调解): the phone is verified by a code
sent to it, nothing is written before; the application waits in its small grid's grid-member
queue; accepting it registers a dispute through the intake service (source: the party's
application), declining it states the reason and the other routes (人民调解法 第十八条);
the applicant is told by SMS either way."""

from __future__ import annotations

import hmac
import secrets

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from casework.workflow import require_text, run_transition
from core.crypto import keyed_hash
from core.stored_text import joined, split, stored
from core.validators import MOBILE_RE
from disputes.models import Party
from disputes.services import dispute_create
from disputes.states import DisputeCategory, DisputeSource, RespondentConsent
from grid.models import Role
from grid.selectors import role_holder
from inbox.notifications import notify

from ..models import Application
from ..states import SmsRecipientKind
from .sms import phone_key, sms_queue

CODE_TTL = 600  # seconds a verification code stays valid
CODE_TRIES = 5  # wrong codes before it must be asked for again

# 人民调解法 第十八条 and the routes a party keeps when the committee does not mediate.
DEFAULT_OTHER_ROUTES = gettext_lazy(
    "可向有关行政机关申请处理，或依法申请仲裁、向人民法院提起诉讼；"
    "基层人民法院、公安机关对适宜调解的纠纷也可告知申请人民调解（人民调解法第十八条）。")


def _code_key(phone: str) -> str:
    return f"outreach:apply-code:{keyed_hash(phone)}"


def apply_send_code(*, phone: str, small_grid) -> None:
    """Text a six-digit code to ``phone``; only its hash is kept, for ``CODE_TTL``."""
    if not MOBILE_RE.match(phone or ""):
        raise ValidationError({"phone": _("请输入11位手机号码。")})
    code = f"{secrets.randbelow(10**6):06d}"
    cache.set(_code_key(phone), {"hash": keyed_hash(code), "tries": 0}, CODE_TTL)
    town = small_grid.large_grid.town
    sms_queue(phone=phone, template="apply_code", params={"code": code}, town=town,
              small_grid=small_grid, recipient_kind=SmsRecipientKind.APPLICANT)


def apply_check_code(*, phone: str, code: str) -> bool:
    """Whether ``code`` is the one sent to ``phone``; a used or exhausted code is gone."""
    key = _code_key(phone)
    held = cache.get(key)
    if not held or not code:
        return False
    if hmac.compare_digest(held["hash"], keyed_hash(code.strip())):
        cache.delete(key)
        return True
    held["tries"] += 1
    if held["tries"] >= CODE_TRIES:
        cache.delete(key)
    else:
        cache.set(key, held, CODE_TTL)
    return False


@transaction.atomic
def application_submit(*, small_grid, name: str, phone: str, code: str, category: str,
                       description: str, other_party: str = "",
                       other_party_phone: str = "") -> Application:
    """Create the application once the code matches; the grid member is notified.
    Raises ``ValidationError`` (field errors) and writes nothing otherwise."""
    if not apply_check_code(phone=phone, code=code):
        raise ValidationError({"code": _("验证码不正确或已过期，请重新获取。")})
    application = Application(
        town=small_grid.large_grid.town, small_grid=small_grid, name=name.strip(),
        phone=phone, category=category, description=description.strip(),
        other_party=(other_party or "").strip(), other_party_phone=other_party_phone or "",
        handler=role_holder(role=Role.GRID_MEMBER, small_grid_id=small_grid.pk))
    application.full_clean(exclude=["state", "town"])
    application.save()
    if application.handler and application.handler.user_id:
        notify(recipients=[application.handler.user],
               title=stored(gettext_noop("新的调解申请待受理")),
               body=joined(DisputeCategory(application.category).label, small_grid.name,
                           sep=" · "),
               url=application.get_absolute_url(), kind="handover")
    return application


def application_accept(*, application: Application, by, note: str = "") -> Application:
    """Accept: the dispute is registered at the grid-member tier of the application's small
    grid, with the applicant (and the other party, when named) and source "party's
    application"; the other party's consent is then asked (``record_consent``). The applicant
    is texted the case number and its query code."""

    def after(a):
        parties = [{"name": a.name, "phone": a.phone, "role": Party.PartyRole.APPLICANT}]
        if a.other_party:
            parties.append({"name": a.other_party, "phone": a.other_party_phone,
                            "role": Party.PartyRole.RESPONDENT})
        dispute = dispute_create(
            by=by, small_grid=a.small_grid, parties=parties,
            title=_("%(category)s纠纷（当事人申请）") % {"category": a.get_category_display()},
            description=a.description, category=a.category, source=DisputeSource.APPLICATION,
            respondent_consent=RespondentConsent.NOT_ASKED)
        a.dispute = dispute
        a.save(update_fields=["dispute", "updated_at"])
        sms_queue(phone=a.phone, template="application_accepted",
                  params={"number": dispute.number, "code": dispute.query_code},
                  town=a.town, small_grid=a.small_grid, dispute=dispute, application=a,
                  recipient_kind=SmsRecipientKind.APPLICANT,
                  dedupe_key=f"dispute:{dispute.pk}:accepted:{phone_key(a.phone)}")

    return run_transition(instance=application, by=by, name="accept", note=note, after=after)


def application_decline(*, application: Application, by, reason: str,
                        other_routes: str = "") -> Application:
    """Decline with the reason and the routes the applicant still has (人民调解法 第十八条);
    the applicant is texted the reason."""
    reason = require_text(reason, "reason", _("请说明不予受理的理由。"))
    routes = (other_routes or "").strip() or stored(DEFAULT_OTHER_ROUTES)

    def prepare(a):
        a.decline_reason = reason
        a.other_routes, a.other_routes_text = split(routes)

    def after(a):
        sms_queue(phone=a.phone, template="application_declined", params={"reason": reason},
                  town=a.town, small_grid=a.small_grid, application=a,
                  recipient_kind=SmsRecipientKind.APPLICANT,
                  dedupe_key=f"application:{a.pk}:declined")

    return run_transition(instance=application, by=by, name="decline",
                          note=joined(reason, routes, sep="\n"), prepare=prepare, after=after)
