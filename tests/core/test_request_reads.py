"""What every request reads before its page, by fixed statements: the session, its user and
the organisation stamp (and, when a page asks, the user's permissions). Each gives what Django's ORM query gives, and the login rules keep
holding: an expired or unknown session is anonymous, an inactive user or a changed password
logs the session out."""

from datetime import timedelta

import pytest
from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core.auth import ModelBackend
from core.rows import instance_by_pk
from core.sessions import SessionStore
from disputes.models import Party
from grid.models import OrganisationStamp
from grid.scope import _read_stamp

pytestmark = pytest.mark.django_db


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_a_user_read_by_its_key_is_the_orm_s_user(leader):
    User = get_user_model()
    leader.last_login = timezone.now()
    leader.save(update_fields=["last_login"])
    for key in (leader.pk, str(leader.pk)):
        read = instance_by_pk(User, key)
        orm = User.objects.get(pk=leader.pk)
        assert _fields(read) == _fields(orm)
        assert read.last_login.tzinfo is not None and read.is_active is True
        assert read._state.adding is False and read._state.db == "default"
    for missing in (0, "not-a-number", None, "99999999"):
        assert instance_by_pk(User, missing) is None


def test_a_row_goes_through_the_fields_converters():
    """The parties' phones are encrypted in the database: read back, they are the ORM's
    decrypted values."""
    party = Party.objects.exclude(phone="").first()
    read = instance_by_pk(Party, party.pk)
    assert read.phone == party.phone and read.phone.isdigit()
    assert _fields(read) == _fields(Party.objects.get(pk=party.pk))


def test_the_backend_refuses_an_inactive_user(gm01):
    assert ModelBackend().get_user(str(gm01.pk)) == gm01
    gm01.is_active = False
    gm01.save(update_fields=["is_active"])
    assert ModelBackend().get_user(str(gm01.pk)) is None


def test_the_stamp_read_is_the_orm_s():
    assert _read_stamp() == OrganisationStamp.objects.get(pk=1).stamp


def _logged_in(client, user):
    client.force_login(user)
    assert client.get(reverse("disputes:queue")).status_code == 200
    return client.cookies["sessionid"].value


def test_a_session_is_read_while_it_lasts(client, gm01):
    key = _logged_in(client, gm01)
    assert SessionStore(key).load()["_auth_user_id"] == str(gm01.pk)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(
        seconds=1))
    store = SessionStore(key)
    assert store.load() == {} and store.session_key is None
    response = client.get(reverse("disputes:queue"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_unknown_session_is_anonymous(client, gm01):
    _logged_in(client, gm01)
    client.cookies["sessionid"] = "x" * 32
    response = client.get(reverse("disputes:queue"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_inactive_user_or_a_changed_password_ends_the_session(client, gm01, gm02):
    _logged_in(client, gm01)
    gm01.is_active = False
    gm01.save(update_fields=["is_active"])
    assert client.get(reverse("disputes:queue")).status_code == 302

    _logged_in(client, gm02)
    gm02.set_password("another-password-1")
    gm02.save(update_fields=["password"])
    assert client.get(reverse("disputes:queue")).status_code == 302


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def test_a_user_s_permissions_are_django_s_in_one_statement(gm01, gm02, leader,
                                                           django_assert_num_queries):
    void = Permission.objects.get(codename="void_dispute")
    view = Permission.objects.get(codename="view_dispute")
    clerks = Group.objects.create(name="台账录入")
    clerks.permissions.add(view, void)
    gm01.user_permissions.add(void)          # their own, and the same again through a group
    gm01.groups.add(clerks)
    gm02.groups.add(clerks)                  # through a group only
    admin = get_user_model().objects.create_superuser("root-2", password="x" * 12)
    inactive = get_user_model().objects.create_user("gone", password="x" * 12,
                                                     is_active=False)
    inactive.user_permissions.add(void)
    ours, django = ModelBackend(), backends.ModelBackend()
    for user in (gm01, gm02, leader, admin, inactive):
        expected = django.get_all_permissions(_fresh(user))
        read = _fresh(user)
        # A superuser's every permission through Django's own two queries.
        queries = 0 if not user.is_active else 2 if user.is_superuser else 1
        with django_assert_num_queries(queries):
            assert ours.get_all_permissions(read) == expected
        with django_assert_num_queries(0):  # kept for the request
            assert ours.get_all_permissions(read) == expected
    assert ours.get_all_permissions(_fresh(gm01)) >= {"disputes.void_dispute",
                                                     "disputes.view_dispute"}
    assert ours.get_all_permissions(_fresh(leader)) == set()
    assert ours.get_all_permissions(_fresh(gm01), obj=leader) == set()
    assert _fresh(gm02).has_perm("disputes.void_dispute")
    assert not _fresh(leader).has_perm("disputes.void_dispute")
    assert not _fresh(inactive).has_perm("disputes.void_dispute")
    clerks.permissions.remove(void)
    assert not _fresh(gm02).has_perm("disputes.void_dispute")
