"""The demo's applications for mediation made from a phone: one waiting in each of the first
two large grids' first small grids (gm01's and gm02's queues)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from grid.models import Role, SmallGrid, Town
from grid.selectors import role_holder

from .models import Application

APPLICATIONS = [
    (1, "赵大山", "13709330001", "钱小河", "neighbour",
     "邻居在我家门口长期堆放柴草，挡住出行，多次协商未果，申请村调委会调解。"),
    (2, "孙秀英", "13709330002", "", "marriage_family",
     "与儿子儿媳因赡养老人的费用分担发生争执，希望调解员上门调解。"),
]


def load(stdout=None):
    town = Town.objects.filter(code="620823103").first()
    if town is None or Application.objects.filter(town=town).exists():
        return
    now = timezone.now()
    for i, (large_grid, name, phone, other, category, description) in enumerate(APPLICATIONS):
        small_grid = SmallGrid.objects.get(large_grid__town=town, large_grid__number=large_grid,
                                           number=1)
        # The phone was verified by its SMS code when the applicant filled in the form.
        Application.objects.create(
            town=town, small_grid=small_grid, name=name, phone=phone, other_party=other,
            category=category, description=description,
            submitted_at=now - datetime.timedelta(hours=3 + i),
            handler=role_holder(role=Role.GRID_MEMBER, small_grid_id=small_grid.pk))
