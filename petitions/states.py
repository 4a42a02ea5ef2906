"""The petition workflow's states and choices, apart from the models, so permissions,
services, alerts and figures name them as enums, never as strings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.states import Evaluation  # noqa: F401  (re-exported: shared with disputes)


class PetitionState(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    DECLINED = "declined", _("不予受理")
    GRID = "grid", _("网格代办")
    TOWN = "town", _("镇级协调")
    COUNTY = "county", _("县直部门协调")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")
    # An accusation about the conduct of public officials goes to the discipline-inspection
    # organ and leaves the town's handling (信访工作条例 第二十二条、第三十条).
    TRANSFERRED = "transferred", _("已移送纪检监察机关")
    # Entered in error (a register imported into the wrong town, say): kept, never deleted,
    # and left out of every figure.
    VOIDED = "voided", _("已作废")


HANDLING_STATES = [PetitionState.GRID, PetitionState.TOWN, PetitionState.COUNTY]
# Registered and not yet ended: on someone's desk, a reply possibly still under review.
OPEN_STATES = [PetitionState.REGISTERED, *HANDLING_STATES, PetitionState.REPLIED]

# Five or more people on one matter make a group petition (集体访), the threshold petition
# work counts by. Several people who come in person (走访) on a common matter name
# representatives, at most five (信访工作条例 第二十条); a letter signed by more is accepted
# as it is and still counts as a group matter.
GROUP_SIZE = 5
MAX_REPRESENTATIVES = 5


class PetitionForm(models.TextChoices):
    """The forms of 信访工作条例 第十七条: the network, letters, telephone, fax and visits."""

    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    ONLINE = "online", _("网上信访")
    PHONE = "phone", _("电话")
    FAX = "fax", _("传真")


class PetitionKind(models.TextChoices):
    """The three kinds of 信访工作条例 第二十九、三十、三十一条: a suggestion is studied and
    answered; an accusation is handled confidentially (and transferred when it belongs to the
    discipline-inspection organs); only a claim runs the 60 + 30 days and the review chain
    (第三十四至三十六条)."""

    SUGGESTION = "suggestion", _("建议意见类")
    ACCUSATION = "accusation", _("检举控告类")
    CLAIM = "claim", _("申诉求决类")


class ReplyResult(models.TextChoices):
    SUPPORT = "support", _("支持")
    EXPLAIN = "explain", _("解释说明")
    NOT_SUPPORT = "not_support", _("不支持")


class ThreeInPlaceCategory(models.TextChoices):
    """"三到位一处理" (docs/domain.md, "信访事项代办")."""

    SOLVED = "solved", _("诉求合理的解决到位")
    EXPLAINED = "explained", _("诉求无理的思想教育到位")
    HELPED = "helped", _("生活困难的帮扶救助到位")
    HANDLED_BY_LAW = "handled_by_law", _("行为违法的依法处理")


class CloseReason(models.TextChoices):
    SATISFIED = "satisfied", _("信访人满意")
    ANSWERED = "answered", _("建议意见已答复")
    REVIEW_WINDOW_PASSED = "review_window_passed", _("复查申请期限届满")
    REVIEW_FINAL = "review_final", _("复核终结")
    GUIDED = "guided", _("已导访")
    WITHDRAWN = "withdrawn", _("信访人撤回")


class ExtensionStatus(models.TextChoices):
    """An extension of the reply limit is requested by the handler or the petition office
    and approved or refused by the organ's responsible person, the town leadership
    (信访工作条例 第三十四条)."""

    REQUESTED = "requested", _("待镇领导审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class DeliveryMethod(models.TextChoices):
    """How the written reply reached the petitioner; the review window counts from its
    receipt (信访工作条例 第三十五条)."""

    IN_PERSON = "in_person", _("当面送达")
    POST = "post", _("邮寄送达")
    SMS = "sms", _("短信送达")
    ELECTRONIC = "electronic", _("电子送达")


class VisitLevel(models.TextChoices):
    """The levels above the town a petitioner may take a matter to."""

    COUNTY = "county", _("县")
    CITY = "city", _("市")
    PROVINCE = "province", _("省")
    NATIONAL = "national", _("国家")


# The county is the town's lawful next level (信访工作条例 第二十条): only a visit above it
# while the matter is handled is skip-level (越级访), unless the county sets otherwise.
DEFAULT_SKIP_LEVELS = (VisitLevel.CITY, VisitLevel.PROVINCE, VisitLevel.NATIONAL)
