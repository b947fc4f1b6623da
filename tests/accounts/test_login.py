"""Logging in: the real form, django-axes lockouts, password rules and the idle timeout."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import user_create
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
DASHBOARD = reverse("reports:dashboard")
LOCKOUT_TEMPLATE = "accounts/locked_out.html"


def _login(client, username, password, ip="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _template_names(response):
    return [t.name for t in response.templates]


def _is_locked_out(response):
    # django-axes 8 answers a lockout with AXES_HTTP_RESPONSE_CODE, 429 by default.
    return response.status_code == 429 and LOCKOUT_TEMPLATE in _template_names(response)


# --- the login form ---------------------------------------------------------------------


def test_it_logs_a_valid_user_in_through_the_form_and_redirects_to_the_dashboard(client, staff_user):
    response = _login(client, "staff", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert client.session[SESSION_KEY] == str(staff_user.pk)
    assert client.get(DASHBOARD).status_code == 200


def test_it_refuses_a_wrong_password_and_shows_the_form_again(client, staff_user):
    response = _login(client, "staff", "wrong-password-123")
    assert response.status_code == 200
    assert "accounts/login.html" in _template_names(response)
    assert response.context["form"].errors
    assert SESSION_KEY not in client.session


# --- django-axes --------------------------------------------------------------------------


def test_it_answers_lockouts_with_status_429_and_the_lockout_template():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_HTTP_RESPONSE_CODE == 429
    assert settings.AXES_LOCKOUT_TEMPLATE == LOCKOUT_TEMPLATE


def test_it_locks_a_username_after_five_failures_even_with_the_right_password(client, staff_user):
    for attempt in range(4):
        response = _login(client, "staff", f"wrong-password-{attempt}", ip="10.0.0.1")
        assert response.status_code == 200, f"attempt {attempt + 1} should only be refused, not locked"
    # The fifth failure reaches the limit.
    assert _is_locked_out(_login(client, "staff", "wrong-password-5", ip="10.0.0.1"))

    # The sixth, with the right password, is refused: from the same address ...
    sixth = _login(client, "staff", PASSWORD, ip="10.0.0.1")
    assert _is_locked_out(sixth)
    assert SESSION_KEY not in client.session
    # ... and from another one, so the lock is on the username, not only on the address.
    from_elsewhere = _login(client, "staff", PASSWORD, ip="10.0.0.99")
    assert _is_locked_out(from_elsewhere)
    assert SESSION_KEY not in client.session


def test_it_lets_another_username_in_when_one_username_is_locked(client, staff_user, auditor):
    for attempt in range(5):
        _login(client, "staff", f"wrong-password-{attempt}", ip="10.0.0.1")
    assert _is_locked_out(_login(client, "staff", PASSWORD, ip="10.0.0.2"))
    response = _login(client, "auditor", PASSWORD, ip="10.0.0.2")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(auditor.pk)


def test_it_locks_an_address_after_five_failures_with_five_usernames(client):
    sixth_user = UserFactory(username="sixth", role=Role.BUREAU_STAFF)
    for name in ["alice", "bob", "carol", "dave", "erin"]:
        _login(client, name, "wrong-password-123", ip="10.0.0.1")
    # No single username has failed more than once, so only the address can be locked.
    assert not AccessAttempt.objects.filter(failures_since_start__gt=1).exists()

    refused = _login(client, "sixth", PASSWORD, ip="10.0.0.1")
    assert _is_locked_out(refused)
    assert SESSION_KEY not in client.session

    admitted = _login(client, "sixth", PASSWORD, ip="10.0.0.2")
    assert admitted.status_code == 302
    assert admitted["Location"] == DASHBOARD
    assert client.session[SESSION_KEY] == str(sixth_user.pk)


def test_it_forgets_earlier_failures_after_a_successful_login(client, staff_user):
    for attempt in range(4):
        _login(client, "staff", f"wrong-password-{attempt}", ip="10.0.0.1")
    assert _login(client, "staff", PASSWORD, ip="10.0.0.1").status_code == 302
    client.logout()
    # AXES_RESET_ON_SUCCESS: four fresh failures do not lock, where a fifth in total would have.
    for attempt in range(4):
        response = _login(client, "staff", f"wrong-password-{attempt}", ip="10.0.0.1")
        assert response.status_code == 200
    assert _login(client, "staff", PASSWORD, ip="10.0.0.1").status_code == 302


# --- passwords ----------------------------------------------------------------------------


def test_it_rejects_an_eleven_character_password():
    with pytest.raises(ValidationError) as error:
        validate_password("Vq7#mRz2!Lw", User(username="newcomer"))
    assert "password_too_short" in [e.code for e in error.value.error_list]


def test_it_accepts_a_good_twelve_character_password():
    validate_password("Vq7#mRz2!Lw9", User(username="newcomer"))  # raises if refused


def test_it_rejects_a_long_but_common_or_numeric_password():
    with pytest.raises(ValidationError):
        validate_password("123456789012", User(username="newcomer"))


def test_it_refuses_to_create_a_user_with_a_short_password():
    with pytest.raises(ValidationError):
        user_create(username="newcomer", password="Vq7#mRz2!Lw", role=Role.BUREAU_STAFF)
    assert not User.objects.filter(username="newcomer").exists()


def test_it_creates_a_user_with_a_good_password_who_can_log_in(client):
    user = user_create(username="newcomer", password="Vq7#mRz2!Lw9", role=Role.AUDITOR)
    assert user.check_password("Vq7#mRz2!Lw9")
    assert _login(client, "newcomer", "Vq7#mRz2!Lw9").status_code == 302


# --- the session's idle timeout ----------------------------------------------------------


def test_it_sets_a_thirty_minute_idle_timeout():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def _stored_session(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_it_renews_the_session_on_every_request(client, staff_user):
    assert _login(client, "staff", PASSWORD).status_code == 302
    # Pretend the user has been idle for 29 minutes: one minute of the session is left.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=1)
    )

    before = timezone.now()
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    # A plain GET sends the session cookie again ...
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == client.session.session_key
    # ... and pushes the stored expiry a full idle period forward.
    assert _stored_session(client).expire_date >= before + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_it_ends_a_session_left_idle_too_long(client, staff_user):
    assert _login(client, "staff", PASSWORD).status_code == 302
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
