"""A detail link reversed once gives what ``reverse`` gives for every pk."""

from django.urls import reverse

from core.links import detail_link


def test_a_detail_link_is_the_reversed_url_of_each_pk():
    for name in ("petitions:detail", "supervision:notice_detail", "disputes:detail"):
        link = detail_link(name)
        for pk in (1, 7, 42, 987654321, 1234567890):
            assert link(pk) == reverse(name, args=[pk])
