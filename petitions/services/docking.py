"""Petition–mediation docking (访调对接), both ways."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import TransitionNotAllowed

from casework.models import note_fields
from casework.workflow import record_event
from core.stored_text import joined, render_source, stored
from disputes.models import DisputeCategory, DisputeEvent, DisputeSource, Party, RiskLevel
from disputes.services import dispute_create

from .. import permissions
from ..models import Petition, PetitionEvent, PetitionForm, PetitionKind
from .intake import petition_create
from .workflow import _lock, petition_reply_draft_save

PARTY_KEYS = ("name", "gender", "ethnicity", "age", "occupation", "address", "phone",
              "id_number")


def dock_refusal(petition: Petition, *, parties_agree: bool) -> str | None:
    """Why this petition cannot be docked to mediation, or None when it can."""
    if petition.kind != PetitionKind.CLAIM:
        return _("只有申诉求决类信访事项可以转入人民调解。")
    if petition.administrative_matter:
        return _("行政争议不属于人民调解范围，应引导通过行政复议、行政诉讼等途径解决。")
    if petition.in_litigation:
        return _("该事项已进入诉讼或仲裁程序，不能转入人民调解。")
    if not parties_agree:
        return _("人民调解须双方当事人自愿，一方不同意调解的不能对接。")
    if petition.docked_dispute_id:
        return _("该信访事项已对接调解。")
    if not petition.is_handling:
        return _("只有受理后、答复前的信访事项可以对接调解。")
    return None


@transaction.atomic
def petition_dock_to_dispute(*, petition: Petition, by, parties_agree: bool,
                             respondents: list[dict] | None = None,
                             category: str = DisputeCategory.OTHER):
    """Create the linked dispute (source: petition docking) in one step, carrying the
    petitioners as applicants and the content. Raises ``TransitionNotAllowed`` with the reason
    when the matter cannot be docked."""
    locked = _lock(petition)
    if not permissions.can_dock(locked, by):
        raise PermissionDenied(_("您无权将该信访事项转入调解。"))
    refusal = dock_refusal(locked, parties_agree=parties_agree)
    if refusal:
        raise TransitionNotAllowed(refusal)
    if category not in DisputeCategory.values:
        raise ValidationError({"category": _("请选择纠纷类型。")})
    parties = [{**{k: getattr(p, k) for k in PARTY_KEYS}, "role": Party.PartyRole.APPLICANT}
               for p in locked.petitioners.all()]
    for respondent in respondents or []:
        parties.append({**{k: v for k, v in respondent.items() if k in PARTY_KEYS},
                        "role": Party.PartyRole.RESPONDENT})
    dispute = dispute_create(
        by=by, small_grid=locked.small_grid, parties=parties, title=locked.subject,
        description=locked.content, category=category, source=DisputeSource.PETITION_DOCKING,
        people_involved=max(locked.people_count, len(parties)),
        risk_level=RiskLevel.YELLOW if locked.is_group else RiskLevel.BLUE,
        risk_group_incident=locked.is_group, found_at=timezone.now())
    locked.docked_dispute = dispute
    locked.save(update_fields=["docked_dispute", "updated_at"])
    record_event(locked, by=by, action=PetitionEvent.Action.DOCK,
                 note=stored(gettext_noop("转入人民调解：%(number)s"), number=dispute.number))
    dispute.events.filter(action=DisputeEvent.Action.CREATE).update(**note_fields(
        stored(gettext_noop("由信访事项 %(number)s 对接转入"), number=locked.number)))
    petition.refresh_from_db()
    return dispute


def petition_create_from_referral(*, dispute, by, note: str = "") -> Petition:
    """A dispute referred to the petition office becomes a linked petition."""
    petitioners = [{k: getattr(p, k) for k in PARTY_KEYS}
                   for p in dispute.parties.all() if p.role == Party.PartyRole.APPLICANT]
    if not petitioners:
        petitioners = [{k: getattr(p, k) for k in PARTY_KEYS} for p in dispute.parties.all()]
    return petition_create(
        by=by, small_grid=dispute.small_grid, petitioners=petitioners, source_dispute=dispute,
        form=PetitionForm.VISIT, kind=PetitionKind.CLAIM, subject=dispute.title[:120],
        content=render_source(stored(gettext_noop("%(description)s\n\n移交说明：%(note)s"),
                                     description=dispute.description, note=note)),
        received_on=timezone.localdate(), people_count=max(len(petitioners), 1))


def petition_reply_draft_from_dispute(*, dispute, by, outcome: str,
                                      agreement=None) -> Petition | None:
    """When a docked dispute is resolved, draft the petition's reply from the outcome and the
    agreement (``petition_reply_draft_save``); a dispute docked from no petition drafts
    nothing (None)."""
    petition = Petition.objects.filter(docked_dispute=dispute).first()
    if petition is None:
        return None
    # The draft of a reply to the petitioner: Chinese, whoever resolved the dispute.
    lines = [stored(gettext_noop("经人民调解（%(number)s），"), number=dispute.number), outcome]
    if agreement is not None:
        lines += ["\n", stored(gettext_noop("调解协议：%(terms)s"), terms=agreement.terms)]
    return petition_reply_draft_save(
        petition=petition, by=by, draft=render_source(joined(*lines)),
        note=stored(gettext_noop("对接调解的纠纷 %(number)s 已化解，据调解结果起草答复。"),
                    number=dispute.number))
