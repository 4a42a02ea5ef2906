"""The header's unread count, one fixed statement, counts what the ORM's query counts."""

import pytest
from django.utils import timezone

from inbox.models import Notification
from inbox.notifications import unread_count

pytestmark = pytest.mark.django_db


def test_the_unread_count_is_the_orm_count_of_the_users_unread(user_factory):
    gm01, gm02 = user_factory("gm01"), user_factory("gm02")
    Notification.objects.filter(recipient__in=[gm01, gm02]).delete()
    for i in range(7):
        Notification.objects.create(recipient=gm01, title=f"通知{i}")
    Notification.objects.create(recipient=gm02, title="别人的")
    Notification.objects.filter(recipient=gm01, title="通知0").update(read_at=timezone.now())

    def orm(user, up_to):
        return Notification.objects.filter(recipient=user, read_at__isnull=True)[:up_to].count()

    for up_to in (3, 6, 100):
        assert unread_count(gm01, up_to=up_to) == orm(gm01, up_to)
    assert unread_count(gm01) == 6 and unread_count(gm02) == 1
