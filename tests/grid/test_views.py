"""Pages: login and logout, the home page per role, the organisation pages,
the language switch, and the query count of the town page."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grid import services
from grid.models import LargeGrid, MediationCommittee, Role, SmallGrid

from .factories import staff_with_role, user_create

pytestmark = pytest.mark.django_db

LOGIN_ERROR = "用户名或密码不正确，请重新输入（区分大小写）。"


def html(response) -> str:
    return response.content.decode()


def by_testid(response, testid) -> list[str]:
    """Text of the elements carrying ``data-testid``, tags stripped."""
    pattern = rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>'
    return [re.sub(r"<[^>]+>", "", m[1]).strip() for m in re.findall(pattern, html(response),
                                                                     re.S)]


# --- Login and logout ------------------------------------------------------------------------

def test_login_page_loads_in_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html(response)
    assert "用户名" in html(response) and "密码" in html(response)


def test_login_with_wrong_password_shows_the_chinese_error_and_keeps_the_username(client):
    response = client.post(reverse("login"), {"username": "gm01", "password": "wrong"})
    assert response.status_code == 200
    assert by_testid(response, "login-error") == [LOGIN_ERROR]
    assert 'value="gm01"' in html(response)
    assert "_auth_user_id" not in client.session


def test_login_with_empty_fields_explains_what_is_missing(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert response.status_code == 200
    assert html(response).count("该字段是必填项。") == 2
    assert html(response).count('aria-invalid="true"') == 2


def test_login_success_redirects_home(client, gm01):
    response = client.post(reverse("login"), {"username": "gm01", "password": "demo12345"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == gm01.pk


def test_login_follows_next_on_this_site_only(client, demo):
    town_url = reverse("grid:town_detail", args=[demo.town.pk])
    response = client.post(reverse("login") + f"?next={town_url}",
                           {"username": "gm01", "password": "demo12345", "next": town_url})
    assert response["Location"] == town_url
    other = Client().post(reverse("login"), {"username": "gm01", "password": "demo12345",
                                             "next": "https://evil.example/"})
    assert other["Location"] == reverse("home")


def test_logged_in_user_visiting_login_goes_home(client_as):
    response = client_as("gm01").get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logout_ends_the_session_and_returns_to_login(client_as):
    client = client_as("gm01")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("name", ["home", "grid:town_list"])
def test_pages_send_anonymous_users_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse(name)}"


def test_anonymous_user_gets_login_redirect_for_an_organisation_page(client, demo):
    url = reverse("grid:large_grid_detail", args=[demo.lg1.pk])
    assert client.get(url)["Location"].startswith(reverse("login"))


# --- Home ------------------------------------------------------------------------------------

def test_home_shows_grid_member_name_roles_and_scope(client_as, gm01):
    response = client_as("gm01").get(reverse("home"))
    assert response.status_code == 200
    assert by_testid(response, "home-name") == [gm01.staff.name]
    assert by_testid(response, "role") == ["网格员"]
    assert by_testid(response, "my-small-grid") == ["黄寨村 · 黄寨村第1网格"]
    assert "黄寨镇" in html(response)
    assert by_testid(response, "current-user") == [gm01.staff.name]


def test_home_shows_grid_leader_its_large_grid(client_as, demo):
    response = client_as("gl01").get(reverse("home"))
    assert sorted(by_testid(response, "role")) == sorted(["网格长", "调委会主任"])
    assert [lg["pk"] for lg in response.context["covered_large_grids"]] == [demo.lg1.pk]
    assert (f'<a href="{demo.lg1.get_absolute_url()}">第1大网格（黄寨村）</a>（6 个小网格）'
            in html(response))
    assert "马寨村" not in html(response)


def test_home_shows_leader_roles_over_the_town(client_as):
    response = client_as("leader").get(reverse("home"))
    roles = by_testid(response, "role")
    assert "镇领导" in roles and "党委委员（包片）" in roles
    assert "黄寨镇" in " ".join(by_testid(response, "assignment"))
    # The large grids it holds (包片) are in the town it covers: the town is listed, not each
    # of its large grids (the dashboard's grid table has them).
    assert response.context["covered_large_grids"] == []
    assert "我负责的大网格" not in html(response)


def test_home_shows_mediator_the_five_elders_kind(client_as):
    response = client_as("med01").get(reverse("home"))
    (row,) = by_testid(response, "assignment")
    assert row.startswith("调解员（五老·")
    assert "黄寨村人民调解委员会" in row


def test_home_shows_superuser_sees_everything(client_as):
    response = client_as("admin").get(reverse("home"))
    assert "系统管理员：可查看全部县、镇" in html(response)


def test_home_tells_a_user_without_role_to_ask_for_one(client, demo):
    client.force_login(user_create())
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "暂无在任角色，请联系管理员分配。" in html(response)
    assert response.context["towns"] == ()


def test_home_of_a_user_whose_role_ended_shows_no_role(client, demo):
    user = staff_with_role(Role.GRID_MEMBER, demo.sg1[2])
    services.role_end(assignment=user.staff.assignments.get(),
                      ends_on=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(user)
    response = client.get(reverse("home"))
    assert "暂无在任角色" in html(response)
    assert "黄寨村第3网格" not in html(response)


# --- Organisation pages ----------------------------------------------------------------------

FIGURES = [
    (11, "大网格"), (60, "小网格"), (12, "人民调解委员会"), (2, "综治中心"), (5, "服务窗口"),
    (6, "功能室"), (5, "综治办人员"), (2, "司法所人员"), (56, "网格长、网格员、信息员"),
    (32, "“五老”调解员"),
]


def test_town_list_redirects_to_the_only_town(client_as, demo):
    response = client_as("gm01").get(reverse("grid:town_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("grid:town_detail", args=[demo.town.pk])


def test_town_list_lists_the_towns_of_a_county_user(client_as, demo, other_town):
    response = client_as("county").get(reverse("grid:town_list"))
    assert response.status_code == 200
    assert "黄寨镇" in html(response) and "锦屏镇" in html(response)


def test_town_page_shows_the_source_figures(client_as, demo):
    response = client_as("leader").get(reverse("grid:town_detail", args=[demo.town.pk]))
    assert response.status_code == 200
    figures = by_testid(response, "town-figures")[0]
    for number, label in FIGURES:
        assert re.search(rf"\b{number}\s*{label}", figures), (number, label)


def test_town_page_counts_staff_by_role_and_five_elders_by_kind(client_as, demo):
    response = client_as("leader").get(reverse("grid:town_detail", args=[demo.town.pk]))
    by_role = {row["role"]: row["count"] for row in response.context["staff_by_role"]}
    assert by_role[Role.GOVERNANCE_OFFICE] == 5
    assert by_role[Role.JUDICIAL_OFFICE] == 2
    assert by_role[Role.GRID_LEADER] == 11
    assert by_role[Role.GRID_MEMBER] == 40
    assert by_role[Role.INFORMANT] == 5
    assert by_role[Role.MEDIATOR] == 32
    assert sum(row["count"] for row in response.context["five_elders"]) == 32
    assert len(response.context["five_elders"]) == 5
    assert "社会治安综合治理委员会工作领导小组" in html(response)


def test_town_page_of_grid_member_lists_only_its_large_grid(client_as, demo):
    response = client_as("gm01").get(reverse("grid:town_detail", args=[demo.town.pk]))
    # Number, name, kind and the count of small grids of the village.
    assert by_testid(response, "large-grid-row") == ["1黄寨村行政村6"]
    assert "仅显示您管辖范围内的网格。" in html(response)
    # The figures are the town's, whoever looks.
    assert response.context["summary"]["large_grids"] == 11


def test_large_grid_page_shows_small_grids_staff_and_committee(client_as, demo):
    response = client_as("gl01").get(reverse("grid:large_grid_detail", args=[demo.lg1.pk]))
    assert response.status_code == 200
    assert by_testid(response, "small-grid")[0].startswith("黄寨村第1网格")
    assert len(by_testid(response, "small-grid")) == 6
    staff = " ".join(by_testid(response, "staff-row"))
    for username in ("gl01", "gm01", "med01"):
        assert demo.staff[username].name in staff
    assert "黄寨村人民调解委员会" in html(response)
    assert reverse("grid:committee_detail", args=[demo.committee1.pk]) in html(response)


def test_large_grid_page_of_grid_member_shows_only_its_small_grid(client_as, demo):
    response = client_as("gm01").get(reverse("grid:large_grid_detail", args=[demo.lg1.pk]))
    assert len(by_testid(response, "small-grid")) == 1


def test_town_committee_page_shows_chair_and_eight_mediators(client_as, demo):
    response = client_as("leader").get(reverse("grid:committee_detail",
                                               args=[demo.town_committee.pk]))
    assert response.status_code == 200
    assert [a.staff for a in response.context["chairs"]] == [demo.staff["chair"]]
    assert len(response.context["mediators"]) == 8
    assert demo.staff["chair"].name in html(response)


def test_village_committee_page_shows_grid_leader_as_chair(client_as, demo):
    response = client_as("med01").get(reverse("grid:committee_detail",
                                              args=[demo.committee1.pk]))
    assert [a.staff for a in response.context["chairs"]] == [demo.staff["gl01"]]
    assert demo.staff["med01"] in [a.staff for a in response.context["mediators"]]
    assert len(response.context["mediators"]) == 3


def test_centre_page_shows_windows_and_the_hall_and_five_rooms(client_as, demo):
    response = client_as("office").get(reverse("grid:centre_detail", args=[demo.town_centre.pk]))
    assert response.status_code == 200
    assert len(response.context["windows"]) == 5
    rooms = [room.name for room in response.context["rooms"]]
    assert rooms == ["群众接待大厅", "监控研判室", "赵锦铎工作室", "矛盾纠纷调解室", "甘庄警务室",
                     "谈心谈话室"]
    for name in rooms + ["矛盾纠纷调处窗口", "信访接待窗口"]:
        assert name in html(response)


def test_staff_page_shows_the_history_including_ended_roles(client_as, demo):
    user = staff_with_role(Role.GRID_MEMBER, demo.sg1[2],
                           starts_on=datetime.date(2021, 3, 1))
    services.role_end(assignment=user.staff.assignments.get(), ends_on=datetime.date(2023, 6, 30))
    services.role_assign(staff=user.staff, role=Role.GRID_MEMBER, scope_object=demo.sg1[3],
                         starts_on=datetime.date(2023, 7, 1))
    response = client_as("gl01").get(reverse("grid:staff_detail", args=[user.staff.pk]))
    assert response.status_code == 200
    assert len(response.context["history"]) == 2
    assert "2023-06-30" in html(response) and "2023-07-01" in html(response)


def test_staff_page_hides_assignments_outside_the_viewer_scope(client_as, demo):
    response = client_as("gm01").get(reverse("grid:staff_detail",
                                             args=[demo.staff["leader"].pk]))
    assert response.status_code == 200
    lgs = {a.large_grid_id for a in response.context["history"] if a.large_grid_id}
    assert lgs == {demo.lg1.pk}


# --- Language --------------------------------------------------------------------------------

def test_language_switch_to_english_renders_english(client_as):
    client = client_as("gm01")
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    page = client.get(reverse("home"))
    assert '<html lang="en">' in html(page)
    assert '<option value="en" selected>' in html(page)
    # Names from the data stay as they are.
    assert "黄寨村第1网格" in html(page)


def test_language_switch_back_to_chinese(client_as):
    client = client_as("gm01")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in html(client.get(reverse("home")))


def test_login_page_is_chinese_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in html(response)


def test_chinese_is_the_default_language(client_as):
    response = client_as("gm01").get(reverse("home"), HTTP_ACCEPT_LANGUAGE="")
    assert '<html lang="zh-hans">' in html(response)


# --- Query counts ----------------------------------------------------------------------------

# Session and user (2), the scope (6; a county user's one more for the county's towns, a
# superuser's none), the town (1), the summary (1), staff by role (1), five elders (1),
# centres, large grids, committees, working groups and their members (5), and the unread
# count in the header (1).
TOWN_PAGE_QUERIES = {"leader": 18, "gm01": 16, "county": 19, "admin": 12}


@pytest.mark.parametrize("username", sorted(TOWN_PAGE_QUERIES))
def test_town_page_query_count_is_pinned(client_as, demo, username,
                                         django_assert_max_num_queries):
    client = client_as(username)
    url = reverse("grid:town_detail", args=[demo.town.pk])
    with django_assert_max_num_queries(TOWN_PAGE_QUERIES[username]):
        assert client.get(url).status_code == 200


def test_town_page_query_count_does_not_grow_with_the_town(client_as, demo):
    client = client_as("leader")
    url = reverse("grid:town_detail", args=[demo.town.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for number in range(12, 16):
        lg = LargeGrid.objects.create(town=demo.town, number=number, name=f"新村{number}")
        for n in (1, 2):
            SmallGrid.objects.create(large_grid=lg, number=n, name=f"新村{number}第{n}网格")
        MediationCommittee.objects.create(town=demo.town, level="village", large_grid=lg,
                                          name=f"新村{number}人民调解委员会")
        staff_with_role(Role.GRID_LEADER, lg)
    after = count()
    assert after == before
    assert len(client.get(url).context["large_grids"]) == 15


def test_large_grid_page_query_count_does_not_grow_with_staff(client_as, demo):
    client = client_as("gl01")
    url = reverse("grid:large_grid_detail", args=[demo.lg1.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    before = count()
    for small_grid in demo.sg1:
        staff_with_role(Role.INFORMANT, small_grid)
    assert count() == before


def test_every_demo_committee_complies_with_article_8(client_as, demo):
    """人民调解法 第八条: three to nine members and a woman member; the demo complies."""
    for committee in MediationCommittee.objects.filter(town=demo.town):
        response = client_as("leader").get(reverse("grid:committee_detail", args=[committee.pk]))
        assert response.context["warnings"] == [], committee


def test_committee_page_warns_of_too_few_members_and_no_woman(client_as, demo):
    from grid.models import RoleAssignment, Staff

    committee = demo.committee1
    members = RoleAssignment.objects.active().filter(committee=committee)
    Staff.objects.filter(id__in=members.values("staff_id")).update(gender="male")
    keep = members.order_by("-role").first()
    members.exclude(pk=keep.pk).update(ends_on=timezone.localdate() - timezone.timedelta(days=1),
                                       starts_on=timezone.localdate() - timezone.timedelta(days=9))
    response = client_as("leader").get(reverse("grid:committee_detail", args=[committee.pk]))
    warnings = response.context["warnings"]
    assert any("少于 3 人" in w for w in warnings)
    assert any("妇女成员" in w for w in warnings)
    assert 'data-testid="committee-warning"' in html(response)


def test_committee_page_warns_of_more_than_nine_members(client_as, demo):
    from tests.grid.factories import staff_with_role

    for _i in range(2):
        staff_with_role(Role.MEDIATOR, demo.town_committee)
    response = client_as("leader").get(reverse("grid:committee_detail",
                                               args=[demo.town_committee.pk]))
    assert any("多于 9 人" in w for w in response.context["warnings"])
