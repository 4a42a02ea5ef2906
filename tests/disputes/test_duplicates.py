"""A case's probable duplicates are first asked of one fixed statement (any match, whoever may
see it); it agrees with the scoped query without its scope, case by case, and the scoped
list is still what the user may see."""

import datetime

import pytest
from django.db.models import Q

from disputes import selectors
from disputes.models import Dispute, Party
from disputes.selectors import DUPLICATE_WINDOW_DAYS, dispute_probable_duplicates
from disputes.states import DisputeState
from tests.disputes.factories import demo_small_grid, make_dispute, party

pytestmark = pytest.mark.django_db


def _orm_any(dispute) -> bool:
    """The duplicates' query as the ORM writes it, over every case (no scope)."""
    names = {p.name.strip() for p in dispute.parties.all() if p.name.strip()}
    phones = {p.phone for p in dispute.parties.all() if p.phone}
    if not names and not phones:
        return False
    window = datetime.timedelta(days=DUPLICATE_WINDOW_DAYS)
    same = Q(name__in=names) if names else Q(pk__in=[])
    if phones:
        same |= Q(phone__in=phones)
    return (Dispute.objects.filter(small_grid_id=dispute.small_grid_id,
                                   found_at__gte=dispute.found_at - window,
                                   found_at__lte=dispute.found_at + window)
            .exclude(pk=dispute.pk).exclude(state=DisputeState.VOIDED)
            .filter(pk__in=Party.objects.filter(same).values("dispute_id")).exists())


def _fast_any(dispute) -> bool:
    names = {p.name.strip() for p in dispute.parties.all() if p.name.strip()}
    phones = {p.phone for p in dispute.parties.all() if p.phone}
    return selectors._any_probable_duplicate(
        dispute, names=names, phones=phones,
        window=datetime.timedelta(days=DUPLICATE_WINDOW_DAYS))


def test_the_fixed_statement_agrees_with_the_query_case_by_case(gm01, gl01):
    first = make_dispute(by=gm01, parties=[party(name="赵铁柱", phone="13812345678")])
    cases = [
        first,
        make_dispute(by=gm01, parties=[party(name="赵铁柱", phone="")]),  # by name
        make_dispute(by=gm01, parties=[party(name="赵大嫂", phone="13812345678")]),  # by phone
        make_dispute(by=gm01, parties=[party(name="钱多多", phone="13700000000")]),  # neither
        make_dispute(by=gm01, parties=[party(name=" 孙二娘 ", phone=""),
                                       party(name="孙二娘", phone="13900000001")]),
        make_dispute(by=gl01, small_grid=demo_small_grid(1, 2),  # another small grid
                     parties=[party(name="赵铁柱")]),
    ]
    voided = make_dispute(by=gm01, parties=[party(name="李逵", phone="")])
    Dispute.objects.filter(pk=voided.pk).update(state=DisputeState.VOIDED)
    cases.append(make_dispute(by=gm01, parties=[party(name="李逵", phone="")]))  # only voided
    late = make_dispute(by=gm01, parties=[party(name="钱多多", phone="")])
    Dispute.objects.filter(pk=late.pk).update(  # forty days on: outside the window
        found_at=late.found_at + datetime.timedelta(days=40))
    cases += list(Dispute.objects.exclude(pk__in=[c.pk for c in cases]).order_by("id")[:40])
    answers = []
    for case in Dispute.objects.filter(pk__in=[c.pk for c in cases]).prefetch_related("parties"):
        assert _fast_any(case) == _orm_any(case), case.number
        answers.append(_orm_any(case))
    assert True in answers and False in answers  # both kinds were asked


def test_the_list_is_scoped_and_empty_without_a_match(gm01, gm02, gl01):
    first = make_dispute(by=gm01, parties=[party(name="赵铁柱", phone="13812345678")])
    again = make_dispute(by=gm01, parties=[party(name="赵铁柱", phone="")])
    alone = make_dispute(by=gm01, parties=[party(name="独一户", phone="")])
    assert [d.pk for d in dispute_probable_duplicates(user=gl01, dispute=again)] == [first.pk]
    assert dispute_probable_duplicates(user=gl01, dispute=alone) == []
    # A user who does not see the small grid is shown none of its cases.
    assert dispute_probable_duplicates(user=gm02, dispute=again) == []
