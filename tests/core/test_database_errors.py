"""A database error answers 503 with a plain Chinese message, not a bare 500 page."""

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    from disputes import services

    def fail(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "dispute_create", fail)


def test_a_page_whose_database_fails_answers_in_chinese(client_as, database_down):
    from tests.disputes.test_views import intake_post

    response = client_as("gm01").post(reverse("disputes:create"), intake_post())
    assert response.status_code == 503
    html = response.content.decode()
    assert "数据库暂时不可用" in html and "不会重复登记" in html
    assert response["Retry-After"] == "30"


def test_the_api_whose_database_fails_answers_json(api_as, database_down):
    from tests.disputes.test_api import LIST, intake

    response = api_as("gm01").post(LIST, intake(), format="json")
    assert response.status_code == 503
    assert "Idempotency-Key" in response.json()["detail"]
