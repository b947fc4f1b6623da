"""Pages of outreach: lecture groups, lecturers, talks, campaigns, publicity and the summary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.access import require_perm
from core.exports import export_type, table_response
from core.masking import mask_phone
from core.pages import confirm_delete_page, form_page, list_page, save_form
from core.periods import YEAR, period_of
from outreach import scoping, selectors, services
from outreach.forms import (
    CampaignForm,
    GroupFilterForm,
    GroupForm,
    LecturerCreateForm,
    LecturerFilterForm,
    LecturerForm,
    MembershipAddForm,
    MembershipEndForm,
    PublicityFilterForm,
    PublicityForm,
    TalkFilterForm,
    TalkForm,
    TalkGroupChoiceForm,
)
from outreach.models import Campaign, LectureGroup, Lecturer, Publicity, TalkEvent


def _label(model, field_name: str) -> str:
    return capfirst(model._meta.get_field(field_name).verbose_name)


# Lecture groups


@login_required
@permission_required("outreach.view_lecturegroup", raise_exception=True)
def group_list(request):
    form = GroupFilterForm(request.GET, user=request.user)
    groups = form.filter(selectors.group_list(user=request.user))
    file_type = export_type(request)
    if file_type:
        headers = [
            _label(LectureGroup, "name"),
            _label(LectureGroup, "level"),
            _label(LectureGroup, "area"),
            _label(LectureGroup, "branch"),
            _label(LectureGroup, "founded_on"),
            _("Current lecturers"),
            _("Talks"),
        ]
        rows = (
            [
                group.name,
                group.get_level_display(),
                group.area.name if group.area else "",
                group.branch.name if group.branch else _("Bureau"),
                group.founded_on.isoformat() if group.founded_on else "",
                group.member_count,
                group.talk_count,
            ]
            for group in groups.iterator(chunk_size=500)
        )
        return table_response(
            headers, rows, file_type=file_type, filename=_("lecture-groups"), title=_("Lecture groups")
        )
    return list_page(request, "outreach/group_list.html", groups, {"form": form})


@login_required
@permission_required("outreach.view_lecturegroup", raise_exception=True)
def group_detail(request, pk):
    group = selectors.group_get(user=request.user, pk=pk)
    return render(
        request,
        "outreach/group_detail.html",
        {
            "group": group,
            "memberships": selectors.group_memberships(group=group),
            "talks": selectors.talk_list(user=request.user).filter(group=group)[:10],
        },
    )


@login_required
def group_create(request):
    require_perm(request.user, "outreach.add_lecturegroup")
    form = GroupForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.group_create(**data),
        success=lambda group: _("%(name)s was created.") % {"name": group.name},
    ) or form_page(
        request,
        form,
        title=_("Create a lecture group"),
        back_url=reverse("outreach:group_list"),
        back_label=_("Lecture groups"),
    )


@login_required
def group_update(request, pk):
    group = selectors.group_get(user=request.user, pk=pk)
    require_perm(request.user, "outreach.change_lecturegroup")
    form = GroupForm(request.POST or None, instance=group, user=request.user)
    return save_form(
        request,
        form,
        # A fresh copy: the form has already written its values onto `group`.
        save=lambda data: services.group_update(group=selectors.group_get(user=request.user, pk=pk), **data),
        success=_("The changes were saved."),
        next_url=reverse("outreach:group_detail", kwargs={"pk": pk}),
    ) or form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": group.name},
        back_url=reverse("outreach:group_detail", args=[pk]),
        back_label=group.name,
    )


@login_required
def group_member_add(request, pk):
    group = selectors.group_get(user=request.user, pk=pk)
    require_perm(request.user, "outreach.add_lecturegroupmembership")
    form = MembershipAddForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.group_member_add(group=group, **data),
        success=_("The lecturer joined the group."),
        next_url=group,
    ) or form_page(
        request,
        form,
        title=_("Add a lecturer to %(name)s") % {"name": group.name},
        back_url=group.get_absolute_url(),
        back_label=group.name,
    )


@login_required
def membership_end(request, pk):
    membership = selectors.membership_get(user=request.user, pk=pk)
    require_perm(request.user, "outreach.change_lecturegroupmembership")
    group = membership.group
    form = MembershipEndForm(request.POST or None)
    return save_form(
        request,
        form,
        save=lambda data: services.group_member_end(membership=membership, **data),
        success=lambda saved: _("%(name)s left the group.") % {"name": membership.lecturer},
        next_url=group,
    ) or form_page(
        request,
        form,
        title=_("%(name)s leaves %(group)s") % {"name": membership.lecturer, "group": group.name},
        back_url=group.get_absolute_url(),
        back_label=group.name,
    )


# Lecturers


@login_required
@permission_required("outreach.view_lecturer", raise_exception=True)
def lecturer_list(request):
    form = LecturerFilterForm(request.GET, user=request.user)
    lecturers = form.filter(selectors.lecturer_list(user=request.user))
    file_type = export_type(request)
    if file_type:
        # Phones in full only for roles that may see them, as on the cadre pages.
        full_phones = request.user.has_perm("cadres.view_sensitive_details")
        headers = [
            _("Registry number"),
            _("Name"),
            _("Current branch"),
            _label(Lecturer, "category"),
            _label(Lecturer, "topics"),
            _label(Lecturer, "availability"),
            _label(Lecturer, "is_active"),
            _("Phone"),
            _("Talks"),
        ]
        rows = (
            [
                lecturer.cadre_id,
                lecturer.cadre.name,
                lecturer.cadre.branch.name if lecturer.cadre.branch else "",
                lecturer.get_category_display(),
                "、".join(str(label) for label in lecturer.topic_labels),
                lecturer.get_availability_display(),
                _("Yes") if lecturer.is_active else _("No"),
                lecturer.cadre.phone if full_phones else mask_phone(lecturer.cadre.phone),
                lecturer.talk_count,
            ]
            for lecturer in lecturers.iterator(chunk_size=500)
        )
        return table_response(
            headers, rows, file_type=file_type, filename=_("lecturers"), title=_("Lecturers")
        )
    return list_page(request, "outreach/lecturer_list.html", lecturers, {"form": form})


@login_required
@permission_required("outreach.view_lecturer", raise_exception=True)
def lecturer_detail(request, pk):
    lecturer = selectors.lecturer_get(user=request.user, pk=pk)
    return render(
        request,
        "outreach/lecturer_detail.html",
        {
            "lecturer": lecturer,
            "memberships": selectors.lecturer_memberships(lecturer=lecturer),
            "talks": selectors.lecturer_talks(user=request.user, lecturer=lecturer)[:20],
        },
    )


@login_required
def lecturer_create(request):
    require_perm(request.user, "outreach.add_lecturer")
    form = LecturerCreateForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.lecturer_create(**data),
        success=lambda lecturer: _("%(name)s is now a lecturer.") % {"name": lecturer},
    ) or form_page(
        request,
        form,
        title=_("Add a lecturer"),
        back_url=reverse("outreach:lecturer_list"),
        back_label=_("Lecturers"),
    )


@login_required
def lecturer_update(request, pk):
    lecturer = selectors.lecturer_get(user=request.user, pk=pk)
    require_perm(request.user, "outreach.change_lecturer")
    form = LecturerForm(request.POST or None, instance=lecturer, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.lecturer_update(
            lecturer=selectors.lecturer_get(user=request.user, pk=pk), **data
        ),
        success=_("The changes were saved."),
        next_url=reverse("outreach:lecturer_detail", kwargs={"pk": pk}),
    ) or form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": lecturer},
        back_url=reverse("outreach:lecturer_detail", args=[pk]),
        back_label=str(lecturer),
    )


# Talks


def _talk_export(talks, file_type: str):
    headers = [
        _label(TalkEvent, "held_on"),
        _label(TalkEvent, "title"),
        _label(TalkEvent, "topic"),
        _label(TalkEvent, "venue_type"),
        _label(TalkEvent, "venue_name"),
        _label(TalkEvent, "area"),
        _label(TalkEvent, "group"),
        _label(TalkEvent, "lecturers"),
        _label(TalkEvent, "audience"),
        _label(TalkEvent, "youth_audience"),
        _label(TalkEvent, "campaign"),
    ]
    rows = (
        [
            talk.held_on.isoformat(),
            talk.title,
            talk.get_topic_display(),
            talk.get_venue_type_display(),
            talk.venue_name,
            talk.area.name if talk.area else "",
            talk.group.name if talk.group else "",
            "、".join(lecturer.cadre.name for lecturer in talk.lecturers.all()),
            talk.audience,
            talk.youth_audience,
            talk.campaign.name if talk.campaign else "",
        ]
        for talk in talks.iterator(chunk_size=500)
    )
    return table_response(headers, rows, file_type=file_type, filename=_("talks"), title=_("Talks"))


@login_required
@permission_required("outreach.view_talkevent", raise_exception=True)
def talk_list(request):
    form = TalkFilterForm(request.GET, user=request.user)
    talks = form.filter(selectors.talk_list(user=request.user))
    file_type = export_type(request)
    if file_type:
        return _talk_export(talks, file_type)
    return list_page(request, "outreach/talk_list.html", talks, {"form": form})


@login_required
@permission_required("outreach.view_talkevent", raise_exception=True)
def talk_detail(request, pk):
    talk = selectors.talk_get(user=request.user, pk=pk)
    return render(request, "outreach/talk_detail.html", {"talk": talk})


def _chosen_group(request):
    """The group named by ?group=: a visible group, None for "none" (bureau only), or "" when unchosen."""
    value = request.GET.get("group", "")
    if value == "none" and request.user.is_bureau_wide:
        return None
    if value.isdigit():
        return get_object_or_404(scoping.groups_visible(request.user), pk=value)
    return ""


@login_required
def talk_create(request):
    require_perm(request.user, "outreach.add_talkevent")
    group = _chosen_group(request)
    if group == "":
        # First step: whose talk it is; the form's lecturers depend on the answer.
        chooser = TalkGroupChoiceForm(user=request.user)
        return render(request, "outreach/talk_choose_group.html", {"form": chooser})
    form = TalkForm(request.POST or None, user=request.user, group=group)
    title = (
        _("Record a talk of %(group)s") % {"group": group.name}
        if group
        else _("Record a talk without a group")
    )
    return save_form(
        request,
        form,
        save=lambda data: services.talk_record(group=group, recorded_by=request.user, **form.talk_fields()),
        success=_("The talk was recorded."),
    ) or form_page(request, form, title=title, back_url=reverse("outreach:talk_list"), back_label=_("Talks"))


@login_required
def talk_update(request, pk):
    talk = selectors.talk_get(user=request.user, pk=pk)
    require_perm(request.user, "outreach.change_talkevent")
    form = TalkForm(request.POST or None, user=request.user, group=talk.group, talk=talk)
    return save_form(
        request,
        form,
        save=lambda data: services.talk_update(talk=talk, **form.talk_fields()),
        success=_("The changes were saved."),
        next_url=reverse("outreach:talk_detail", kwargs={"pk": pk}),
    ) or form_page(
        request,
        form,
        title=_("Edit the talk %(title)s") % {"title": talk.title},
        back_url=talk.get_absolute_url(),
        back_label=talk.title,
    )


@login_required
def talk_delete(request, pk):
    talk = selectors.talk_get(user=request.user, pk=pk)
    require_perm(request.user, "outreach.delete_talkevent")
    if request.method != "POST":
        return confirm_delete_page(
            request,
            question=_("Delete this talk?"),
            summary=f"{talk.held_on:%Y-%m-%d} · {talk.title}",
            note=_("Its lecturers and group are kept."),
            cancel_url=talk.get_absolute_url(),
        )
    services.talk_delete(talk=talk)
    messages.success(request, _("The talk was deleted."))
    return redirect("outreach:talk_list")


@login_required
@permission_required("outreach.view_talkevent", raise_exception=True)
def summary(request):
    """Outreach figures for a period and scope: the same filters as the talk list, summed."""
    data = request.GET.copy()
    if "period" not in data:
        data["period"] = period_of(YEAR, timezone.localdate()).label
    form = TalkFilterForm(data, user=request.user)
    talks = form.filter(selectors.talk_list(user=request.user))
    figures = selectors.outreach_summary(talks=talks)
    groups = GroupFilterForm(
        {key: data.get(key, "") for key in ("area", "branch")}, user=request.user
    ).filter(scoping.groups_visible(request.user))
    lecturers = LecturerFilterForm(
        {"branch": data.get("branch", ""), "active": "yes"}, user=request.user
    ).filter(scoping.lecturers_visible(request.user))
    return render(
        request,
        "outreach/summary.html",
        {
            "form": form,
            "figures": figures,
            "group_count": groups.count(),
            "lecturer_count": lecturers.count(),
            "talks_query": data.urlencode(),
        },
    )


# Campaigns


@login_required
@permission_required("outreach.view_campaign", raise_exception=True)
def campaign_list(request):
    campaigns = selectors.campaign_list(user=request.user)
    file_type = export_type(request)
    if file_type:
        headers = [
            _label(Campaign, "name"),
            _label(Campaign, "starts_on"),
            _label(Campaign, "ends_on"),
            _label(Campaign, "area"),
            _label(Campaign, "branch"),
            _label(Campaign, "target_lecturers"),
            _label(Campaign, "target_talks"),
            _label(Campaign, "target_audience"),
            _("Talks"),
            _("Audience"),
        ]
        rows = (
            [
                campaign.name,
                campaign.starts_on.isoformat(),
                campaign.ends_on.isoformat(),
                campaign.area.name if campaign.area else _("Whole city"),
                campaign.branch.name if campaign.branch else _("Bureau"),
                campaign.target_lecturers,
                campaign.target_talks,
                campaign.target_audience,
                campaign.talk_count,
                campaign.audience_total,
            ]
            for campaign in campaigns.iterator(chunk_size=500)
        )
        return table_response(
            headers, rows, file_type=file_type, filename=_("campaigns"), title=_("Campaigns")
        )
    return list_page(request, "outreach/campaign_list.html", campaigns, {})


@login_required
@permission_required("outreach.view_campaign", raise_exception=True)
def campaign_detail(request, pk):
    """A campaign's progress against its targets: figures, a monthly chart and its table."""
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    progress = selectors.campaign_progress(campaign)
    return render(
        request,
        "outreach/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": progress,
            "chart_data": progress.chart_data(),
            "chart_labels": {"monthly": _("In the month"), "to_date": _("To date"), "target": _("Target")},
        },
    )


@login_required
def campaign_create(request):
    require_perm(request.user, "outreach.add_campaign")
    form = CampaignForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.campaign_create(**data),
        success=lambda campaign: _("%(name)s was created.") % {"name": campaign.name},
    ) or form_page(
        request,
        form,
        title=_("Create a campaign"),
        back_url=reverse("outreach:campaign_list"),
        back_label=_("Campaigns"),
    )


@login_required
def campaign_update(request, pk):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    require_perm(request.user, "outreach.change_campaign")
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.campaign_update(
            campaign=selectors.campaign_get(user=request.user, pk=pk), **data
        ),
        success=_("The changes were saved."),
        next_url=reverse("outreach:campaign_detail", kwargs={"pk": pk}),
    ) or form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": campaign.name},
        back_url=reverse("outreach:campaign_detail", args=[pk]),
        back_label=campaign.name,
    )


# Publicity


@login_required
@permission_required("outreach.view_publicity", raise_exception=True)
def publicity_list(request):
    form = PublicityFilterForm(request.GET)
    records = form.filter(selectors.publicity_list(user=request.user))
    file_type = export_type(request)
    if file_type:
        headers = [
            _label(Publicity, "published_on"),
            _label(Publicity, "title"),
            _("Subject"),
            _label(Publicity, "outlet"),
            _label(Publicity, "level"),
            _label(Publicity, "link"),
        ]
        rows = (
            [
                record.published_on.isoformat(),
                record.title,
                record.cadre.name if record.cadre else record.branch.name,
                record.outlet,
                record.get_level_display(),
                record.link,
            ]
            for record in records.iterator(chunk_size=500)
        )
        return table_response(
            headers, rows, file_type=file_type, filename=_("publicity"), title=_("Publicity")
        )
    return list_page(request, "outreach/publicity_list.html", records, {"form": form})


@login_required
def publicity_create(request):
    require_perm(request.user, "outreach.add_publicity")
    form = PublicityForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.publicity_create(**data),
        success=_("The publicity was recorded."),
        next_url="outreach:publicity_list",
    ) or form_page(
        request,
        form,
        title=_("Record publicity"),
        back_url=reverse("outreach:publicity_list"),
        back_label=_("Publicity"),
    )


@login_required
def publicity_update(request, pk):
    record = selectors.publicity_get(user=request.user, pk=pk)
    require_perm(request.user, "outreach.change_publicity")
    form = PublicityForm(request.POST or None, instance=record, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.publicity_update(
            publicity=selectors.publicity_get(user=request.user, pk=pk), **data
        ),
        success=_("The changes were saved."),
        next_url="outreach:publicity_list",
    ) or form_page(
        request,
        form,
        title=_("Edit %(title)s") % {"title": record.title},
        back_url=reverse("outreach:publicity_list"),
        back_label=_("Publicity"),
    )


@login_required
def publicity_delete(request, pk):
    record = selectors.publicity_get(user=request.user, pk=pk)
    require_perm(request.user, "outreach.delete_publicity")
    if request.method != "POST":
        return confirm_delete_page(
            request,
            question=_("Delete this publicity record?"),
            summary=f"{record.published_on:%Y-%m-%d} · {record.title} · {record.outlet}",
            cancel_url=reverse("outreach:publicity_list"),
        )
    services.publicity_delete(publicity=record)
    messages.success(request, _("The publicity record was deleted."))
    return redirect("outreach:publicity_list")
