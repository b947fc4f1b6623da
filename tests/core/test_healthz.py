"""The health check: real database, real (refused) broker connection, no login."""

import pytest
from django.test import override_settings
from django.urls import reverse

# Nothing listens on port 1, so the connection is refused at once.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@pytest.mark.django_db
def test_it_answers_200_when_the_database_answers(client):
    response = client.get(reverse("core:healthz"))

    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    # With REDIS_URL the test settings use a real broker; without it there is none.
    assert response.json()["broker"] in ("ok", "not configured")


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="memory://")
def test_it_reports_the_broker_as_not_configured_without_redis(client):
    response = client.get(reverse("core:healthz"))

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "not configured"}


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL=UNREACHABLE_BROKER)
def test_it_answers_503_when_the_broker_is_unreachable(client):
    response = client.get(reverse("core:healthz"))

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error"}


@pytest.mark.django_db
def test_it_needs_no_login(client):
    response = client.get("/healthz")

    assert response.status_code in (200, 503)
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_it_refuses_other_methods_than_get(client):
    assert client.post(reverse("core:healthz")).status_code == 405
