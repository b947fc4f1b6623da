"""A branch activity linked to a volunteer project or a talk, within what the secretary may see."""

import datetime as dt

import pytest
from django.urls import reverse

from branches.models import Activity, ActivityKind
from cadres.models import Cadre
from tests.factories import CadreFactory, LectureGroupFactory, TalkEventFactory, VolunteerTeamFactory
from volunteers.services import project_create

pytestmark = pytest.mark.django_db


def project_of(branch, name):
    team = VolunteerTeamFactory(branch=branch)
    return project_create(name=name, team=team)


def post(branch, **links):
    """The record form for `branch` with every current member present."""
    data = {
        "kind": ActivityKind.objects.get(code="theme_day").pk,
        "held_on": dt.date.today().isoformat(),
        "topic": "银龄护河主题党日",
        "guest_count": 0,
        **{name: value.pk for name, value in links.items()},
    }
    for cadre in Cadre.objects.filter(branch=branch):
        data[f"status_{cadre.pk}"] = "present"
    return data


def test_a_secretary_links_the_own_project_and_talk_and_the_activity_shows_them(
    branch_a, secretary_a, client_as
):
    CadreFactory(branch=branch_a)
    project = project_of(branch_a, "银发护河")
    talk = TalkEventFactory(group=LectureGroupFactory(branch=branch_a), title="传承红色基因")
    client = client_as(secretary_a)
    response = client.post(
        reverse("branches:activity_create", args=[branch_a.pk]),
        post(branch_a, service_project=project, talk=talk),
    )
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get()
    assert (activity.service_project, activity.talk) == (project, talk)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "银发护河" in page and "传承红色基因" in page


def test_another_branchs_project_or_talk_is_refused_and_nothing_is_saved(
    branch_a, branch_b, secretary_a, client_as
):
    CadreFactory(branch=branch_a)
    foreign_project = project_of(branch_b, "别人的项目")
    foreign_talk = TalkEventFactory(group=LectureGroupFactory(branch=branch_b))
    client = client_as(secretary_a)
    url = reverse("branches:activity_create", args=[branch_a.pk])
    for links in ({"service_project": foreign_project}, {"talk": foreign_talk}):
        response = client.post(url, post(branch_a, **links))
        assert response.status_code == 200
        assert next(iter(links)) in response.context["form"].errors
    assert not Activity.objects.exists()


def test_the_form_offers_only_what_the_secretary_may_see(branch_a, branch_b, secretary_a, client_as):
    own, foreign = project_of(branch_a, "银龄红管家"), project_of(branch_b, "别人的项目")
    form = client_as(secretary_a).get(reverse("branches:activity_create", args=[branch_a.pk])).context["form"]
    assert list(form.fields["service_project"].queryset) == [own]
    assert foreign not in form.fields["service_project"].queryset
    assert [field.name for field in form.link_fields()] == ["service_project"]


def test_deleting_the_project_keeps_the_activity(branch_a):
    from branches.services import activity_record

    project = project_of(branch_a, "银发护河")
    activity = activity_record(
        branch=branch_a,
        kind=ActivityKind.objects.get(code="theme_day"),
        held_on=dt.date.today(),
        topic="护河",
        service_project=project,
    )
    project.delete()
    activity.refresh_from_db()
    assert activity.service_project is None
