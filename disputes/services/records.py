"""Records added to a case without changing its state: sessions, attachments, the parties'
evaluation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from casework.states import Evaluation
from casework.workflow import record_event
from core.uploads import validate_upload

from .. import permissions
from ..models import Attachment, Dispute, DisputeEvent, DisputeState, MediationSession


@transaction.atomic
def dispute_session_add(*, dispute, by, held_at, record: str, mediators, agreed: str = "",
                        room=None, place: str = "", invited: str = "") -> MediationSession:
    """Record a mediation session on an open case: staff mediators and, beside them, the
    people invited to help (relatives, neighbours, experts; 人民调解法 第二十条)."""
    if not permissions.can_add_record(dispute, by):
        raise PermissionDenied(_("您不能为该纠纷登记调解记录。"))
    if not dispute.is_open:
        raise ValidationError(_("该纠纷已办结，不能再登记调解记录。"))
    mediators = list(mediators)
    errors = {}
    if not record.strip():
        errors["record"] = _("请填写调解情况记录。")
    if not mediators:
        errors["mediators"] = _("请选择至少一名调解人员。")
    if not room and not place.strip():
        errors["place"] = _("请选择调解场所或填写调解地点。")
    if room is not None and room.centre.town_id != dispute.town_id:
        errors["room"] = _("调解场所不属于本镇。")
    if errors:
        raise ValidationError(errors)
    session = MediationSession.objects.create(
        dispute=dispute, held_at=held_at, room=room, place=place, record=record, agreed=agreed,
        invited=invited.strip(), recorded_by=by)
    session.mediators.set(mediators)
    record_event(dispute, by=by, action=DisputeEvent.Action.SESSION, note=record[:500])
    return session


@transaction.atomic
def dispute_attachment_add(*, dispute, by, upload) -> Attachment:
    """Attach a photo or document; its type and size are checked first."""
    if not permissions.can_add_record(dispute, by):
        raise PermissionDenied(_("您不能为该纠纷上传附件。"))
    try:
        kind = validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"attachments": exc.messages}) from exc
    attachment = Attachment.objects.create(
        dispute=dispute, kind=kind, file=upload, original_name=upload.name[:200],
        size=upload.size, uploaded_by=by)
    record_event(dispute, by=by, action=DisputeEvent.Action.ATTACHMENT,
                 note=attachment.original_name)
    return attachment


@transaction.atomic
def dispute_attachments_add(*, dispute, by, uploads) -> list[Attachment]:
    """Attach several files at once: all of them or, if one is refused, none."""
    return [dispute_attachment_add(dispute=dispute, by=by, upload=upload) for upload in uploads]


# A mediation the party may rate: it has ended, with an agreement kept or not (closed) or
# without one (terminated).
EVALUABLE_STATES = (DisputeState.CLOSED, DisputeState.TERMINATED)


@transaction.atomic
def dispute_evaluate(*, dispute, evaluation: str, comment: str = "") -> Dispute:
    """A party's evaluation of the mediation (满意 / 基本满意 / 不满意, with a comment),
    once, after the case was closed or terminated. The public query page calls it once the
    code and the party's phone matched (its look-up log keeps the address and the time).

    Raises ``TransitionNotAllowed`` before the end or when already rated, ``ValidationError``
    for an unknown grade."""
    locked = Dispute.objects.select_for_update(of=("self",)).get(pk=dispute.pk)
    if locked.state not in EVALUABLE_STATES:
        raise TransitionNotAllowed(_("调解结束后方可评价。"))
    if locked.evaluation:
        raise TransitionNotAllowed(_("已评价，每件纠纷只能评价一次。"))
    if evaluation not in Evaluation.values:
        raise ValidationError({"evaluation": _("请选择评价。")})
    locked.evaluation = evaluation
    locked.evaluation_comment = (comment or "").strip()[:500]
    locked.evaluated_on = timezone.localdate()
    locked.save(update_fields=["evaluation", "evaluation_comment", "evaluated_on",
                               "updated_at"])
    return locked
