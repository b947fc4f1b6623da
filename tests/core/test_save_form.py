"""core.pages.save_form: a valid POST saved through its service, then a message and a redirect."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.pages import save_form


class NameForm(forms.Form):
    name = forms.CharField()


class Saved:
    def __init__(self, name):
        self.name = name

    def get_absolute_url(self):
        return f"/things/{self.name}/"


def _request(method="post", data=None):
    request = getattr(RequestFactory(), method)("/things/new/", data or {})
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _messages(request):
    return [str(message) for message in get_messages(request)]


def _refuse(data):
    raise ValidationError({"name": "That name is taken."})


def test_a_service_error_stays_on_the_form_with_no_redirect_and_no_message():
    request = _request(data={"name": "Choir"})
    form = NameForm(request.POST)
    assert save_form(request, form, save=_refuse, success="Saved.") is None
    assert form.errors == {"name": ["That name is taken."]}
    assert _messages(request) == []


def test_success_shows_the_message_and_redirects_to_the_saved_object():
    request = _request(data={"name": "Choir"})
    response = save_form(
        request,
        NameForm(request.POST),
        save=lambda data: Saved(data["name"]),
        success=lambda saved: f"{saved.name} was created.",
    )
    assert response.status_code == 302 and response.url == "/things/Choir/"
    assert _messages(request) == ["Choir was created."]


def test_next_url_given_or_made_from_the_saved_object_wins_over_the_object():
    request = _request(data={"name": "Choir"})
    response = save_form(
        request,
        NameForm(request.POST),
        save=lambda data: Saved(data["name"]),
        success="Saved.",
        next_url=lambda saved: f"/list/?name={saved.name}",
    )
    assert response.url == "/list/?name=Choir"
    assert _messages(request) == ["Saved."]
    request = _request(data={"name": "Choir"})
    response = save_form(
        request, NameForm(request.POST), save=lambda data: None, success="Saved.", next_url="/list/"
    )
    assert response.url == "/list/"


def test_a_get_or_an_invalid_form_never_reaches_the_service():
    calls = []
    request = _request("get")
    assert save_form(request, NameForm(), save=calls.append, success="Saved.") is None
    request = _request(data={"name": ""})
    form = NameForm(request.POST)
    assert save_form(request, form, save=calls.append, success="Saved.") is None
    assert calls == [] and "name" in form.errors
    assert _messages(request) == []
