"""The header search and the ledgers' free text: a party's or petitioner's phone and ID number
match exactly (through the keyed hash) and never as a substring; names by prefix (short) or
substring; numbers, titles and descriptions by substring; only in the user's scope; an
accusation's petitioner is never a way to find it; a fixed number of queries whatever matches;
on PostgreSQL the text is answered by the trigram indexes."""

import pytest
from django.db import connection
from django.urls import reverse

from core import search
from disputes.selectors import dispute_search_for_user
from petitions.selectors import petition_search_for_user
from tests.disputes.factories import demo_small_grid, make_dispute, party, respondent
from tests.petitions.factories import make_petition, petitioner

pytestmark = pytest.mark.django_db

PHONE = "13766554433"
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def case(gm01):
    return make_dispute(by=gm01, title="柿子沟果园边界纠纷", description="两户为果园界石争执",
                        parties=[party(name="欧阳春花", phone=PHONE, id_number=ID_NUMBER),
                                 respondent(name="司马秋")])


def numbers(user, query):
    return [d.number for d in dispute_search_for_user(user=user, query=query)]


def test_parse_tells_a_phone_and_an_id_number_from_text():
    assert search.parse(" 137 6655 4433 ").phone == PHONE
    assert search.parse("11010519491231002x").id_number == ID_NUMBER
    terms = search.parse("果园")
    assert terms.usable and not terms.substring and not terms.phone
    assert not search.parse("果").usable


def test_a_party_is_found_by_exact_phone_and_id_number_never_by_part_of_them(case, gm01):
    assert numbers(gm01, PHONE) == [case.number]
    assert numbers(gm01, "137-6655-4433") == [case.number]
    assert numbers(gm01, ID_NUMBER) == [case.number]
    assert numbers(gm01, ID_NUMBER.lower()) == [case.number]
    assert case.number not in numbers(gm01, PHONE[:7])
    assert case.number not in numbers(gm01, "13766554434")


def test_names_by_prefix_text_by_substring(case, gm01):
    assert case.number in numbers(gm01, "欧阳")  # two characters: the name's start
    assert case.number not in numbers(gm01, "阳春")  # …not its middle
    assert case.number in numbers(gm01, "阳春花")  # three: any part
    assert case.number in numbers(gm01, "司马秋")
    assert case.number in numbers(gm01, "果园边界")
    assert case.number in numbers(gm01, "界石争执")
    assert case.number in numbers(gm01, case.number[-6:])


def test_search_keeps_to_the_scope(case, gm02, leader):
    assert numbers(leader, PHONE) == [case.number]
    assert numbers(gm02, PHONE) == []  # another village's grid member
    assert numbers(gm02, "欧阳春花") == []


def test_an_accusation_is_not_found_through_its_petitioner(gm01, leader):
    claim = make_petition(by=gm01, petitioners=[petitioner(name="诸葛明远", phone=PHONE)])
    accusation = make_petition(by=gm01, kind="accusation", subject="举报村账目不清",
                               content="村会计账目不公开",
                               petitioners=[petitioner(name="诸葛明远", phone=PHONE)])
    found = [p.number for p in petition_search_for_user(user=leader, query="诸葛明远")]
    assert claim.number in found and accusation.number not in found
    found = [p.number for p in petition_search_for_user(user=leader, query=PHONE)]
    assert claim.number in found and accusation.number not in found
    found = [p.number for p in petition_search_for_user(user=leader, query="账目不清")]
    assert accusation.number in found


def test_the_search_page_and_its_suggestions_group_by_kind_in_fixed_queries(
        case, gm01, client_as, django_assert_max_num_queries):
    from django.test.utils import CaptureQueriesContext

    make_petition(by=gm01, petitioners=[petitioner(name="欧阳春花", phone=PHONE)])
    client = client_as("leader")
    client.get(reverse("search"), {"q": PHONE})  # the session and scope are warm
    with CaptureQueriesContext(connection) as few:
        data = client.get(reverse("search"), {"q": PHONE, "format": "json"}).json()
    assert [g["key"] for g in data["groups"]] == ["disputes", "petitions"]
    assert data["groups"][0]["results"][0]["url"] == case.get_absolute_url()
    assert data["groups"][0]["more_url"] == f"{reverse('disputes:ledger')}?q={PHONE}"
    # Many more matches cost the same queries: at most eight a kind are read.
    for n in range(12):
        make_dispute(by=gm01, title=f"柿子沟果园边界纠纷{n}")
    with django_assert_max_num_queries(len(few)):
        data = client.get(reverse("search"), {"q": "果园边界", "format": "json"}).json()
    assert len(few) <= 12
    assert len(data["groups"][0]["results"]) == 8
    page = client.get(reverse("search"), {"q": "果园边界"})
    assert page.status_code == 200 and "柿子沟果园边界纠纷11" in page.content.decode()
    assert client.get(reverse("search"), {"q": "果"}).context["too_short"]
    # Nothing personal in the results: the parties' names and phones are not listed.
    groups = client.get(reverse("search"), {"q": PHONE, "format": "json"}).json()["groups"]
    shown = " ".join(f"{r['title']} {r['detail']}" for g in groups for r in g["results"])
    assert shown and PHONE not in shown and "欧阳春花" not in shown


def test_the_ledger_searches_the_same_way(case, client_as):
    rows = client_as("gm01").get(reverse("disputes:ledger"), {"q": PHONE}).context["rows"]
    assert [r["dispute"].pk for r in rows] == [case.pk]
    rows = client_as("gm01").get(reverse("disputes:ledger"), {"q": "欧阳"}).context["rows"]
    assert case.pk in [r["dispute"].pk for r in rows]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram indexes are PostgreSQL's")
def test_postgresql_answers_text_from_the_trigram_and_prefix_indexes(case):
    from disputes.models import Dispute, Party

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for qs in (Dispute.objects.filter(title__icontains="果园边界"),
                   Dispute.objects.filter(description__icontains="界石争执"),
                   Party.objects.filter(name__icontains="阳春花"),
                   Party.objects.filter(name__istartswith="欧阳")):
            sql, params = qs.order_by().values("pk").query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "_trgm" in plan or "_prefix" in plan, plan
    assert demo_small_grid() is not None
