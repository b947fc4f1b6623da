"""Pages for volunteer teams, their members and projects, patrol areas, chief posts and the summary.

Service records and micro-wishes are in volunteers.views_records. Every page looks its object up
through volunteers.selectors (another scope's id answers 404) and then checks the permission (403).
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_perm
from core.pages import form_page, list_page, save_form
from core.periods import MONTH, period_of
from volunteers import exports, selectors, services
from volunteers.forms import (
    ChiefPostFilterForm,
    ChiefPostForm,
    ChiefPostUpdateForm,
    MembershipEndForm,
    MembershipForm,
    PatrolAreaFilterForm,
    PatrolAreaForm,
    ProjectFilterForm,
    ProjectForm,
    SummaryForm,
    TeamFilterForm,
    TeamForm,
)

# Teams ----------------------------------------------------------------------------------------


@login_required
@permission_required("volunteers.view_volunteerteam", raise_exception=True)
def team_list(request):
    form = TeamFilterForm(request.GET, user=request.user)
    return list_page(
        request,
        "volunteers/team_list.html",
        form.filter(selectors.team_list(user=request.user)),
        {"form": form},
        export=exports.teams_table,
        filename="volunteer-teams",
    )


@login_required
@permission_required("volunteers.view_volunteerteam", raise_exception=True)
def team_detail(request, pk):
    team = selectors.team_get(user=request.user, pk=pk)
    return render(
        request,
        "volunteers/team_detail.html",
        {
            "team": team,
            "ancestors": selectors.team_ancestors(user=request.user, team=team),
            "children": selectors.team_children(user=request.user, team=team),
            "memberships": selectors.team_members(team=team),
            "projects": team.projects.order_by("-is_active", "name"),
            "chief_posts": selectors.chief_post_list(user=request.user).filter(
                team=team, ended_on__isnull=True
            ),
            "records": selectors.recent_records(user=request.user, team=team),
        },
    )


def _team_form_page(request, *, team=None, parent=None):
    form = TeamForm(
        request.POST or None,
        instance=team,
        user=request.user,
        initial={"area": parent.area_id} if parent else None,
    )

    def save(data):
        fields = {name: data[name] for name in form.Meta.fields}
        if team is None:
            return services.team_create(parent=parent, **fields)
        # A fresh copy: the form has already written its values onto `team`.
        return services.team_update(team=selectors.team_get(user=request.user, pk=team.pk), **fields)

    back = team or parent
    return save_form(
        request, form, save=save, success=lambda saved: _("%(name)s was saved.") % {"name": saved.name}
    ) or form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": team.name} if team else _("Create a volunteer team"),
        back_url=back.get_absolute_url() if back else reverse("volunteers:team_list"),
        back_label=back.name if back else _("Volunteer teams"),
    )


@login_required
def team_create(request):
    require_perm(request.user, "volunteers.add_volunteerteam")
    return _team_form_page(request)


@login_required
def team_create_child(request, pk):
    parent = selectors.team_get(user=request.user, pk=pk)
    require_perm(request.user, "volunteers.add_volunteerteam")
    return _team_form_page(request, parent=parent)


@login_required
def team_update(request, pk):
    team = selectors.team_get(user=request.user, pk=pk)
    require_perm(request.user, "volunteers.change_volunteerteam")
    return _team_form_page(request, team=team)


@login_required
def membership_create(request, pk):
    team = selectors.team_get(user=request.user, pk=pk)
    require_perm(request.user, "volunteers.add_teammembership")
    form = MembershipForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.membership_add(team=team, **data),
        success=lambda saved: _("%(name)s joined the team.") % {"name": form.cleaned_data["cadre"].name},
        next_url=team,
    ) or form_page(
        request,
        form,
        title=_("Add a member to %(team)s") % {"team": team.name},
        back_url=team.get_absolute_url(),
        back_label=team.name,
    )


@login_required
def membership_end(request, pk):
    membership = selectors.membership_get(user=request.user, pk=pk)
    require_perm(request.user, "volunteers.change_teammembership")
    form = MembershipEndForm(request.POST or None)
    return save_form(
        request,
        form,
        save=lambda data: services.membership_end(membership=membership, **data),
        success=lambda saved: _("%(name)s left the team.") % {"name": membership.cadre.name},
        next_url=membership.team,
    ) or form_page(
        request,
        form,
        title=_("%(name)s leaves %(team)s") % {"name": membership.cadre.name, "team": membership.team.name},
        back_url=membership.team.get_absolute_url(),
        back_label=membership.team.name,
    )


# Projects ---------------------------------------------------------------------------------


@login_required
@permission_required("volunteers.view_serviceproject", raise_exception=True)
def project_list(request):
    form = ProjectFilterForm(request.GET, user=request.user)
    return list_page(
        request,
        "volunteers/project_list.html",
        form.filter(selectors.project_list(user=request.user)),
        {"form": form},
        export=exports.projects_table,
        filename="service-projects",
    )


@login_required
@permission_required("volunteers.view_serviceproject", raise_exception=True)
def project_detail(request, pk):
    project = selectors.project_get(user=request.user, pk=pk)
    return render(
        request,
        "volunteers/project_detail.html",
        {"project": project, "records": selectors.recent_records(user=request.user, project=project)},
    )


def _project_form_page(request, *, project=None):
    form = ProjectForm(request.POST or None, instance=project, user=request.user)

    def save(data):
        fields = {name: data[name] for name in form.Meta.fields}
        if project is None:
            return services.project_create(**fields)
        return services.project_update(project=project, **fields)

    return save_form(
        request, form, save=save, success=lambda saved: _("%(name)s was saved.") % {"name": saved.name}
    ) or form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": project.name} if project else _("Register a service project"),
        back_url=project.get_absolute_url() if project else reverse("volunteers:project_list"),
        back_label=project.name if project else _("Service projects"),
    )


@login_required
def project_create(request):
    require_perm(request.user, "volunteers.add_serviceproject")
    return _project_form_page(request)


@login_required
def project_update(request, pk):
    project = selectors.project_get(user=request.user, pk=pk)
    require_perm(request.user, "volunteers.change_serviceproject")
    return _project_form_page(request, project=project)


# Patrol areas -----------------------------------------------------------------------------


@login_required
@permission_required("volunteers.view_patrolarea", raise_exception=True)
def patrol_area_list(request):
    form = PatrolAreaFilterForm(request.GET, user=request.user)
    return list_page(
        request,
        "volunteers/patrol_area_list.html",
        form.filter(selectors.patrol_area_list(user=request.user)),
        {"form": form},
        export=exports.patrol_areas_table,
        filename="patrol-areas",
    )


@login_required
@permission_required("volunteers.view_patrolarea", raise_exception=True)
def patrol_area_detail(request, pk):
    patrol_area = selectors.patrol_area_get(user=request.user, pk=pk)
    posts = selectors.chief_post_list(user=request.user).filter(patrol_area=patrol_area)
    records = selectors.record_list(user=request.user).filter(chief_post__patrol_area=patrol_area)
    return render(
        request,
        "volunteers/patrol_area_detail.html",
        {
            "patrol_area": patrol_area,
            "posts": posts,
            "records": records[: selectors.RECENT_RECORDS],
        },
    )


def _patrol_area_form_page(request, *, patrol_area=None):
    form = PatrolAreaForm(request.POST or None, instance=patrol_area)

    def save(data):
        fields = {name: data[name] for name in form.Meta.fields}
        if patrol_area is None:
            return services.patrol_area_create(**fields)
        return services.patrol_area_update(patrol_area=patrol_area, **fields)

    return save_form(
        request, form, save=save, success=lambda saved: _("%(name)s was saved.") % {"name": saved.name}
    ) or form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": patrol_area.name} if patrol_area else _("Register a patrol area"),
        back_url=patrol_area.get_absolute_url() if patrol_area else reverse("volunteers:patrol_area_list"),
        back_label=patrol_area.name if patrol_area else _("Patrol areas"),
    )


@login_required
def patrol_area_create(request):
    require_perm(request.user, "volunteers.add_patrolarea")
    return _patrol_area_form_page(request)


@login_required
def patrol_area_update(request, pk):
    patrol_area = selectors.patrol_area_get(user=request.user, pk=pk)
    require_perm(request.user, "volunteers.change_patrolarea")
    return _patrol_area_form_page(request, patrol_area=patrol_area)


# Chief posts ------------------------------------------------------------------------------


@login_required
@permission_required("volunteers.view_chiefpost", raise_exception=True)
def chief_post_list(request):
    form = ChiefPostFilterForm(request.GET, user=request.user)
    return list_page(
        request,
        "volunteers/chief_post_list.html",
        form.filter(selectors.chief_post_list(user=request.user)),
        {"form": form},
        export=exports.chief_posts_table,
        filename="chief-posts",
    )


@login_required
@permission_required("volunteers.view_chiefpost", raise_exception=True)
def chief_post_detail(request, pk):
    post = selectors.chief_post_get(user=request.user, pk=pk)
    return render(
        request,
        "volunteers/chief_post_detail.html",
        {"post": post, "records": selectors.recent_records(user=request.user, post=post)},
    )


@login_required
def chief_post_create(request):
    require_perm(request.user, "volunteers.add_chiefpost")
    form = ChiefPostForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.chief_appoint(**data),
        success=lambda post: _("%(post)s was appointed.") % {"post": post},
    ) or form_page(
        request,
        form,
        title=_("Appoint a chief"),
        back_url=reverse("volunteers:chief_post_list"),
        back_label=_("Chief posts"),
    )


@login_required
def chief_post_update(request, pk):
    post = selectors.chief_post_get(user=request.user, pk=pk)
    require_perm(request.user, "volunteers.change_chiefpost")
    form = ChiefPostUpdateForm(request.POST or None, instance=post, user=request.user)
    return save_form(
        request,
        form,
        # A fresh copy: the form has already written its values onto `post`.
        save=lambda data: services.chief_post_update(
            post=selectors.chief_post_get(user=request.user, pk=pk),
            **{name: data[name] for name in form.Meta.fields},
        ),
        success=_("The changes were saved."),
        next_url=post,
    ) or form_page(
        request,
        form,
        title=_("Edit %(post)s") % {"post": post},
        back_url=post.get_absolute_url(),
        back_label=str(post),
    )


# The summary ------------------------------------------------------------------------------


@login_required
@permission_required("volunteers.view_servicerecord", raise_exception=True)
def summary(request):
    """The volunteer figures of a period for a scope: teams, chiefs, service and micro-wishes."""
    data = request.GET.copy()
    if not data.get("period"):
        data["period"] = period_of(MONTH, timezone.localdate()).label
    form = SummaryForm(data, user=request.user)
    params = form.params()
    period = params.get("period") or period_of(MONTH, timezone.localdate())
    area, team = params.get("area"), params.get("team")
    figures = selectors.volunteer_summary(user=request.user, period=period, area=area, team=team)
    # The lists each figure comes from, with the same period and scope: one click to the rows.
    scope = QueryDict(mutable=True)
    scope["period"] = period.label
    if area:
        scope["area"] = area.pk
    if team:
        scope["team"] = team.pk
    return render(
        request,
        "volunteers/summary.html",
        {"form": form, "summary": figures, "area": area, "team": team, "scope_query": scope.urlencode()},
    )
