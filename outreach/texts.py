"""The SMS templates (短信模板): each one segment of at most 70 characters, the town's
signature (【黄寨镇】) included, so a message is never split or billed twice.

A template has an id (what an HTTP gateway is given, with the parameters) and its Chinese
text. Parameters that come from free text (a title, a place, a reason) are shortened with
“…” until the whole message fits; the fixed parts and codes never are.
"""

from __future__ import annotations

from dataclasses import dataclass

SEGMENT = 70


@dataclass(frozen=True)
class Template:
    id: str
    text: str
    # Parameters that may be shortened to fit, longest-first.
    free: tuple[str, ...] = ()
    urgent: bool = False


TEMPLATES = {t.id: t for t in [
    # Staff: hand-overs and deadline alerts (the in-app message's title).
    Template("staff_handover", "【{sign}】新待办：{title}。请登录平台办理。", free=("title",)),
    Template("staff_alert", "【{sign}】期限提醒：{title}。请及时办理。", free=("title",)),
    Template("staff_urgent", "【{sign}】紧急：{title}。请立即办理。", free=("title",),
             urgent=True),
    # The parties to a dispute.
    Template("dispute_accepted",
             "【{sign}】您的纠纷已受理调解，案号{number}，查询码{code}。"),
    Template("dispute_session", "【{sign}】纠纷{number}定于{time}在{place}调解，请准时参加。",
             free=("place",)),
    Template("dispute_resolved",
             "【{sign}】纠纷{number}已达成调解协议，请按约履行。查询码{code}。"),
    Template("dispute_terminated",
             "【{sign}】纠纷{number}已终止调解，可依法申请仲裁、行政处理或起诉。"),
    Template("dispute_confirmation",
             "【{sign}】纠纷{number}的调解协议可于{date}前共同向法院申请司法确认。"),
    # Petitioners (信访工作条例 第二十一条: the petitioner follows the matter).
    Template("petition_accepted", "【{sign}】您的信访事项{number}已受理，查询码{code}。"),
    Template("petition_extended", "【{sign}】您的信访事项{number}已延期，答复期限至{date}。"),
    Template("petition_replied",
             "【{sign}】您的信访事项{number}已答复，可凭查询码{code}查询并评价。"),
    # Applicants for mediation from a phone.
    Template("apply_code", "【{sign}】验证码{code}，10分钟内有效。如非本人操作请忽略。",
             urgent=True),
    Template("application_accepted",
             "【{sign}】您的调解申请已受理，案号{number}，查询码{code}。"),
    Template("application_declined",
             "【{sign}】您的调解申请未予受理：{reason}。可咨询村调委会。", free=("reason",)),
]}


class TooLong(ValueError):
    """The fixed parts alone do not fit one segment."""


def render(template_id: str, params: dict) -> tuple[str, dict]:
    """The text of ``template_id`` with ``params``, shortened to one segment, and the
    parameters as used (what a gateway is given). Raises ``TooLong`` when even the shortened
    free parameters leave it above ``SEGMENT`` characters."""
    template = TEMPLATES[template_id]
    params = {k: str(v) for k, v in params.items()}
    text = template.text.format(**params)
    for name in template.free:
        excess = len(text) - SEGMENT
        if excess <= 0:
            break
        value = params[name]
        keep = max(len(value) - excess - 1, 1)
        params[name] = value[:keep] + "…"
        text = template.text.format(**params)
    if len(text) > SEGMENT:
        raise TooLong(f"{template_id}: {len(text)} characters")
    return text, params
