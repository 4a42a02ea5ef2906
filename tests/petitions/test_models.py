"""The petition predicates, each stated once on ``Petition.objects``: overdue (acceptance, reply,
review answer) and group petition. The ledger's flags, the daily figures and the dashboard all
read them, so they agree."""

import datetime

import pytest

from cadence import figures
from petitions.models import GROUP_SIZE, Petition
from petitions.selectors import petition_list_for_user

from .factories import (
    accept,
    make_petition,
    petitioner,
    replied,
    representatives,
    request_review,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def ledger_overdue(user) -> set[int]:
    return set(petition_list_for_user(user=user, filters={"overdue": True})
               .values_list("pk", flat=True))


def test_a_review_answered_late_makes_the_petition_overdue(gm01, petition):
    case = replied(by=gm01)
    review = request_review(case, by=petition)
    assert not Petition.objects.overdue(on=review.due_on).filter(pk=case.pk).exists()
    assert Petition.objects.overdue(on=review.due_on + DAY).filter(pk=case.pk).exists()


def test_the_daily_figure_and_the_ledger_agree_on_overdue_petitions(gm01, leader, petition,
                                                                     travel):
    """Late acceptance, late reply and a late review answer all count, in the ledger and in
    the daily record alike."""
    late_accept = make_petition(by=gm01, subject="要求硬化村道")
    late_reply = accept(make_petition(by=gm01, subject="要求修复水渠"), by=gm01)
    late_review = replied(by=gm01)
    request_review(late_review, by=petition)
    day = travel(days=61)
    mine = {late_accept.pk, late_reply.pk, late_review.pk}
    in_ledger = ledger_overdue(leader)
    assert mine <= in_ledger
    town = late_accept.town
    assert figures.daily_figures(town=town, day=day)["petitions_overdue"] == len(in_ledger)
    assert set(Petition.objects.filter(town=town).overdue(on=day)
               .values_list("pk", flat=True)) == in_ledger


def test_nothing_is_overdue_on_the_day_it_is_due(gm01, travel):
    case = make_petition(by=gm01)
    assert not Petition.objects.overdue(on=case.accept_due).filter(pk=case.pk).exists()
    travel(to=case.accept_due)
    assert case.pk not in {p.pk for p in Petition.objects.overdue()}


def test_a_group_petition_is_group_size_people_or_more_everywhere(gm01):
    small = make_petition(by=gm01, people_count=GROUP_SIZE - 1, petitioners=[petitioner()])
    group = make_petition(by=gm01, people_count=GROUP_SIZE, subject="反映村道硬化质量问题",
                          petitioners=representatives(GROUP_SIZE))
    assert (small.is_group, group.is_group) == (False, True)
    grouped = set(Petition.objects.group().values_list("pk", flat=True))
    assert group.pk in grouped and small.pk not in grouped


def test_with_flags_computes_only_the_flags_asked_for_and_refuses_an_unknown_one():
    from petitions.selectors import with_flags

    every = with_flags(Petition.objects.all()).query.annotations
    assert {"overdue", "skip_level", "repeat_to_higher", "accept_overdue"} <= set(every)
    assert set(with_flags(Petition.objects.all(), "overdue").query.annotations) == {"overdue"}
    with pytest.raises(ValueError, match="overdu"):
        with_flags(Petition.objects.all(), "overdu")
