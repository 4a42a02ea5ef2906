"""Relations known to be empty (``core.rows``): read as Django's prefetch of ``none()``
leaves them, without a query and without compiling one."""

import pytest
from django.db.models import Prefetch, prefetch_related_objects

from core.rows import known_empty, prefetch_named, set_empty_related
from disputes.models import Dispute, MediationAgreement, PoliceReport
from tests.compiled import compiled_tables
from tests.disputes.factories import make_dispute

pytestmark = pytest.mark.django_db


def test_a_known_empty_queryset_reads_as_empty_without_compiling(django_assert_num_queries):
    with compiled_tables() as compiled, django_assert_num_queries(0):
        empty = known_empty(PoliceReport.objects.select_related("acknowledged_by"))
        assert list(empty) == [] and len(empty) == 0 and not empty
        assert empty.count() == 0 and empty.exists() is False and empty.first() is None
    assert compiled == []
    # Django's own none() finds the same nothing, but compiles the query to find it.
    with compiled_tables() as compiled:
        assert list(PoliceReport.objects.select_related("acknowledged_by").none()) == []
    assert compiled == ["disputes_policereport"]


def test_set_empty_related_reads_as_the_prefetch_of_none_does(gm01, django_assert_num_queries):
    case = make_dispute(by=gm01)
    fresh = Dispute.objects.get(pk=case.pk)
    prefetch_related_objects([fresh], Prefetch("agreement",
                                               queryset=MediationAgreement.objects.none()),
                             Prefetch("police_reports", queryset=PoliceReport.objects.none()))
    known = Dispute.objects.get(pk=case.pk)
    with compiled_tables() as compiled:
        set_empty_related(known, "agreement")
        set_empty_related(known, "police_reports")
        with django_assert_num_queries(0):
            for case_read in (fresh, known):
                assert getattr(case_read, "agreement", None) is None
                assert not hasattr(case_read, "agreement")
                assert list(case_read.police_reports.all()) == []
                assert case_read.police_reports.count() == 0
    assert compiled == []


def test_only_reverse_relations_may_be_set_empty(gm01):
    case = make_dispute(by=gm01)
    with pytest.raises(TypeError):
        set_empty_related(case, "small_grid")
    with pytest.raises(TypeError):
        set_empty_related(case, "title")


def test_prefetch_named_reads_only_the_keys_an_instance_names(gm01, django_assert_num_queries):
    case = make_dispute(by=gm01)
    assert case.unit_id is None and case.reporter_id is not None
    read = Dispute.objects.get(pk=case.pk)
    with compiled_tables() as compiled, django_assert_num_queries(1):
        prefetch_named([read], "reporter", "unit")
        assert read.reporter.pk == case.reporter_id and read.unit is None
    assert compiled == ["grid_staff"]
    with django_assert_num_queries(0):
        prefetch_named([], "reporter")
    with pytest.raises(TypeError):
        prefetch_named([read], "parties")
