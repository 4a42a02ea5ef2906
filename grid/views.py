"""Organisation pages and the home page. Every object is fetched through a scoped selector,
so an object outside the user's scope answers 404."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext

from core.links import detail_link
from core.registry import home_panels

from . import selectors
from .models import MediationCommittee, Role, RoleAssignment, WorkingGroup
from .scope import filter_assignments, scope_for_user


@login_required
def home(request):
    user = request.user
    scope = scope_for_user(user)
    assignments = selectors.own_assignments(user=user)
    towns = selectors.town_rows_for_user(user=user)
    # One badge per role: the leader in charge of three large grids is one 党委委员（包片）.
    roles = list(dict.fromkeys(a.get_role_display() for a in assignments))
    panels = []
    for panel in home_panels():
        context = panel.context(request)
        if context is not None:
            panels.append({"template": panel.template, "context": context})
    return render(request, "grid/home.html", {
        "scope": scope,
        "assignments": assignments,
        "roles": roles,
        "towns": towns,
        # The large grids held apart from whole towns (a town's are on its page and in the
        # dashboard's grid table), as the small grids are only for those who cover no town.
        "covered_large_grids": _large_grid_rows(selectors.large_grid_rows_held_apart(user=user)),
        "covered_small_grids": selectors.small_grid_list_for_user(user=user)
        if not scope.covers_any_whole_town else [],
        "panels": panels,
    })


def _large_grid_rows(large_grids) -> list[dict]:
    """The large grids a user is responsible for, as the home page lists them (a county user
    has dozens): the link reversed once, the "n small grids" translated once a count."""
    link = detail_link("grid:large_grid_detail")
    sizes: dict[int, str] = {}
    rows = []
    for large_grid in large_grids:
        n = large_grid.small_grid_count
        if n not in sizes:
            sizes[n] = ngettext("%(n)s 个小网格", "%(n)s 个小网格", n) % {"n": n}
        rows.append({"pk": large_grid.pk, "url": link(large_grid.pk), "label": str(large_grid),
                     "size": sizes[n]})
    return rows


@login_required
def town_list(request):
    towns = list(selectors.town_list_for_user(user=request.user))
    if len(towns) == 1:
        return redirect(towns[0])
    return render(request, "grid/town_list.html", {"towns": towns})


@login_required
def town_detail(request, pk):
    user = request.user
    town = get_object_or_404(selectors.town_list_for_user(user=user), pk=pk)
    return render(request, "grid/town_detail.html", {
        "town": town,
        "summary": selectors.town_summary(town=town),
        "large_grids": selectors.large_grid_list_for_user(user=user, town_id=town.pk),
        "committees": selectors.committee_list_for_user(user=user, town_id=town.pk)
        .prefetch_related(None),
        "centres": selectors.centre_list_for_user(user=user, town_id=town.pk),
        "staff_by_role": selectors.town_staff_by_role(town=town),
        "five_elders": selectors.town_five_elders_by_kind(town=town),
        "working_groups": WorkingGroup.objects.filter(town=town).select_related("head")
        .prefetch_related("members"),
        "covers_town": scope_for_user(user).covers_town(town.pk),
    })


@login_required
def large_grid_detail(request, pk):
    user = request.user
    large_grid = get_object_or_404(selectors.large_grid_list_for_user(user=user), pk=pk)
    assignments = selectors.assignment_list_for_user(user=user).filter(
        Q(large_grid=large_grid) | Q(small_grid__large_grid=large_grid)
        | Q(committee__large_grid=large_grid) | Q(household__small_grid__large_grid=large_grid)
    ).order_by("role", "small_grid__number", "staff__name")
    committee = MediationCommittee.objects.filter(large_grid=large_grid).first()
    return render(request, "grid/largegrid_detail.html", {
        "large_grid": large_grid,
        "small_grids": selectors.small_grid_list_for_user(user=user, large_grid_id=large_grid.pk),
        "assignments": assignments,
        "committee": committee,
    })


@login_required
def committee_detail(request, pk):
    user = request.user
    committee = get_object_or_404(selectors.committee_list_for_user(user=user), pk=pk)
    members = (selectors.role_holders(role=(Role.MEDIATOR, Role.COMMITTEE_CHAIR),
                                      committee_id=committee.pk)
               .order_by("-role", "staff__name"))
    return render(request, "grid/mediationcommittee_detail.html", {
        "committee": committee,
        "warnings": selectors.committee_composition_warnings(members=members),
        "chairs": [a for a in members if a.role == Role.COMMITTEE_CHAIR],
        "mediators": [a for a in members if a.role == Role.MEDIATOR],
    })


@login_required
def centre_detail(request, pk):
    centre = get_object_or_404(selectors.centre_list_for_user(user=request.user), pk=pk)
    return render(request, "grid/governancecentre_detail.html", {
        "centre": centre,
        "windows": centre.windows.all(),
        "rooms": centre.rooms.all(),
    })


@login_required
def staff_detail(request, pk):
    user = request.user
    person = get_object_or_404(selectors.staff_list_for_user(user=user), pk=pk)
    history = (RoleAssignment.objects.filter(staff=person)
               .select_related("county", "town", "committee", "large_grid", "small_grid",
                               "household").order_by("-starts_on", "role"))
    return render(request, "grid/staff_detail.html", {
        "person": person,
        "history": filter_assignments(history, user),
    })


@login_required
def personal_data_access(request):
    """查看记录: every reveal and export of personal data in the leadership's towns."""
    from django.core.paginator import Paginator

    accesses = selectors.personal_data_accesses_for_user(user=request.user)
    page = Paginator(accesses, 100).get_page(request.GET.get("page"))
    return render(request, "grid/personal_data_access.html", {"page": page})
