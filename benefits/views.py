"""Pages of care and benefits: occasions (六必访), visits, and one-to-one contact."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from benefits import selectors, services
from benefits.forms import (
    AssignmentEndForm,
    AssignmentFilterForm,
    AssignmentForm,
    CampaignFilterForm,
    CampaignForm,
    ContactLogFilterForm,
    ContactLogForm,
    HealthCheckFilterForm,
    HealthCheckForm,
    MedalDueForm,
    MedalFilterForm,
    MedalForm,
    OccasionFilterForm,
    OccasionForm,
    OccasionUpdateForm,
    OccasionVisitForm,
    ParticipantForm,
    TargetFilterForm,
    TargetTickForm,
    TripForm,
    VisitFilterForm,
    VisitForm,
    VisitUpdateForm,
)
from benefits.models import (
    CondolenceCampaign,
    CondolenceTarget,
    ContactAssignment,
    ContactLog,
    HealthCheck,
    MedalAward,
    Occasion,
    SanatoriumTrip,
    Visit,
)
from core.access import require_perm
from core.exports import export_type, table_response
from core.forms import add_service_errors
from core.images import PhotoUploadForm
from core.pages import add_photos_page, confirm_delete_page, form_page, list_page, save_form
from reminders.services import remind_visits_now

HIDDEN = "***"


def _label(model, field_name: str) -> str:
    return capfirst(model._meta.get_field(field_name).verbose_name)


def _sensitive(user) -> bool:
    """Health notes and money are personal: only roles that see personal details see them."""
    return user.has_perm("cadres.view_sensitive_details")


def _list_page(request, template: str, queryset, context: dict):
    # Care lists also show, or mask, health details and money, and mark what is overdue today.
    return list_page(
        request,
        template,
        queryset,
        {**context, "sensitive": _sensitive(request.user), "today": timezone.localdate()},
    )


def _date(day) -> str:
    return day.isoformat() if day else ""


def _money(amount) -> str:
    return f"{amount:.2f}" if amount is not None else ""


# Occasions


def _occasion_status(occasion, today) -> str:
    if occasion.is_closed:
        return _("Closed (visited)")
    return _("Overdue") if occasion.due_on < today else _("Due")


@login_required
@permission_required("benefits.view_occasion", raise_exception=True)
def occasion_list(request):
    form = OccasionFilterForm(request.GET, user=request.user)
    occasions = form.filter(selectors.occasion_list(user=request.user))
    file_type = export_type(request)
    if file_type:
        sensitive, today = _sensitive(request.user), timezone.localdate()
        headers = [
            _label(Occasion, "cadre"),
            _("Branch"),
            _label(Occasion, "kind"),
            _label(Occasion, "occurred_on"),
            _label(Occasion, "due_on"),
            _("Status"),
            _label(Occasion, "note"),
        ]
        rows = (
            [
                occasion.cadre.name,
                occasion.cadre.branch.name if occasion.cadre.branch else "",
                occasion.get_kind_display(),
                _date(occasion.occurred_on),
                _date(occasion.due_on),
                _occasion_status(occasion, today),
                occasion.note if sensitive else (HIDDEN if occasion.note else ""),
            ]
            for occasion in occasions.iterator(chunk_size=500)
        )
        return table_response(
            headers, rows, file_type=file_type, filename=_("occasions"), title=_("Occasions")
        )
    return _list_page(request, "benefits/occasion_list.html", occasions, {"form": form})


@login_required
def occasion_create(request):
    require_perm(request.user, "benefits.add_occasion")
    form = OccasionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            occasion = services.occasion_record(recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            remind_visits_now(on=timezone.localdate())
            messages.success(
                request,
                _("The occasion was recorded; a visit is due by %(date)s.")
                % {"date": occasion.due_on.isoformat()},
            )
            return redirect(occasion)
    return form_page(
        request,
        form,
        title=_("Record an occasion"),
        back_url=reverse("benefits:occasion_list"),
        back_label=_("Occasions"),
    )


def _occasion_page(request, occasion, *, visit_form=None, status=200):
    can_visit = request.user.has_perm("benefits.add_visit")
    return render(
        request,
        "benefits/occasion_detail.html",
        {
            "occasion": occasion,
            "visits": occasion.visits.order_by("-visited_on", "-id"),
            "visit_form": (visit_form or OccasionVisitForm(initial={"visitors": _visitor_name(request.user)}))
            if can_visit
            else None,
            "sensitive": _sensitive(request.user),
            "today": timezone.localdate(),
        },
        status=status,
    )


def _visitor_name(user) -> str:
    return user.get_full_name() or user.get_username()


@login_required
@permission_required("benefits.view_occasion", raise_exception=True)
def occasion_detail(request, pk):
    return _occasion_page(request, selectors.occasion_get(user=request.user, pk=pk))


@login_required
def occasion_update(request, pk):
    occasion = selectors.occasion_get(user=request.user, pk=pk)
    require_perm(request.user, "benefits.change_occasion")
    show_note = _sensitive(request.user)
    form = OccasionUpdateForm(
        request.POST or None,
        show_note=show_note,
        initial={"kind": occasion.kind, "occurred_on": occasion.occurred_on, "note": occasion.note},
    )
    return save_form(
        request,
        form,
        save=lambda data: services.occasion_update(occasion=occasion, **{"note": occasion.note, **data}),
        success=lambda updated: (
            _("The changes were saved; the visit is due by %(date)s.") % {"date": updated.due_on}
        ),
    ) or form_page(
        request,
        form,
        title=_("Edit the occasion"),
        back_url=occasion.get_absolute_url(),
        back_label=str(occasion),
    )


@login_required
def occasion_delete(request, pk):
    occasion = selectors.occasion_get(user=request.user, pk=pk)
    require_perm(request.user, "benefits.delete_occasion")
    if request.method == "POST":
        try:
            services.occasion_delete(occasion=occasion)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(occasion)
        messages.success(request, _("The occasion was deleted."))
        return redirect("benefits:occasion_list")
    return confirm_delete_page(
        request,
        question=_("Delete this occasion?"),
        summary=str(occasion),
        note=_("Its reminders are deleted with it."),
        cancel_url=occasion.get_absolute_url(),
    )


@login_required
def occasion_visit(request, pk):
    """Record the visit for an occasion: one click from the occasion's page."""
    occasion = selectors.occasion_get(user=request.user, pk=pk)
    require_perm(request.user, "benefits.add_visit")
    if request.method != "POST":
        return redirect(occasion)
    form = OccasionVisitForm(request.POST, request.FILES)
    return save_form(
        request,
        form,
        save=lambda data: _record_visit(form, user=request.user, occasion=occasion),
        success=_("The visit was recorded."),
    ) or _occasion_page(request, occasion, visit_form=form)


def _record_visit(form, *, user, **fields):
    # Together or not at all: a visit is never left without the photos sent with it.
    with transaction.atomic():
        visit = services.visit_record(recorded_by=user, **fields, **form.visit_fields())
        services.visit_add_photos(visit=visit, files=form.cleaned_data["photos"], uploaded_by=user)
    return visit


# Visits


@login_required
@permission_required("benefits.view_visit", raise_exception=True)
def visit_list(request):
    form = VisitFilterForm(request.GET, user=request.user)
    visits = form.filter(selectors.visit_list(user=request.user))
    file_type = export_type(request)
    if file_type:
        sensitive = _sensitive(request.user)
        headers = [
            _label(Visit, "cadre"),
            _("Branch"),
            _label(Visit, "reason"),
            _label(Visit, "visited_on"),
            _label(Visit, "visitors"),
            _label(Visit, "gift"),
            _label(Visit, "condolence_money"),
            _label(Visit, "notes"),
        ]
        rows = (
            [
                visit.cadre.name,
                visit.cadre.branch.name if visit.cadre.branch else "",
                visit.get_reason_display(),
                _date(visit.visited_on),
                visit.visitors,
                visit.gift,
                _money(visit.condolence_money) if sensitive else (HIDDEN if visit.condolence_money else ""),
                visit.notes if sensitive else (HIDDEN if visit.notes else ""),
            ]
            for visit in visits.iterator(chunk_size=500)
        )
        return table_response(headers, rows, file_type=file_type, filename=_("visits"), title=_("Visits"))
    return _list_page(request, "benefits/visit_list.html", visits, {"form": form})


@login_required
def visit_create(request):
    """Record a visit that answers no recorded occasion (a routine visit, or a festival one)."""
    require_perm(request.user, "benefits.add_visit")
    form = VisitForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"visitors": _visitor_name(request.user)},
    )
    return save_form(
        request,
        form,
        save=lambda data: _record_visit(form, user=request.user),
        success=_("The visit was recorded."),
    ) or form_page(
        request,
        form,
        title=_("Record a visit"),
        back_url=reverse("benefits:visit_list"),
        back_label=_("Visits"),
    )


@login_required
@permission_required("benefits.view_visit", raise_exception=True)
def visit_detail(request, pk):
    visit = selectors.visit_get(user=request.user, pk=pk)
    return render(
        request,
        "benefits/visit_detail.html",
        {
            "visit": visit,
            "photos": visit.photos.all(),
            "photo_form": PhotoUploadForm(),
            "sensitive": _sensitive(request.user),
        },
    )


@login_required
def visit_update(request, pk):
    visit = selectors.visit_get(user=request.user, pk=pk)
    require_perm(request.user, "benefits.change_visit")
    initial = {
        name: getattr(visit, name) for name in ("visited_on", "visitors", "gift", "condolence_money", "notes")
    }
    form = VisitUpdateForm(request.POST or None, initial=initial)
    return save_form(
        request,
        form,
        save=lambda data: services.visit_update(visit=visit, **form.visit_fields()),
        success=_("The changes were saved."),
        next_url=visit,
    ) or form_page(
        request, form, title=_("Edit the visit"), back_url=visit.get_absolute_url(), back_label=str(visit)
    )


@login_required
def visit_add_photos(request, pk):
    visit = selectors.visit_get(user=request.user, pk=pk)
    require_perm(request.user, "benefits.change_visit")
    return add_photos_page(
        request,
        target=visit,
        save=lambda files: services.visit_add_photos(visit=visit, files=files, uploaded_by=request.user),
    )


@login_required
def visit_delete(request, pk):
    visit = selectors.visit_get(user=request.user, pk=pk)
    require_perm(request.user, "benefits.delete_visit")
    if request.method != "POST":
        return confirm_delete_page(
            request,
            question=_("Delete this visit?"),
            summary=str(visit),
            note=_("Its photos are deleted with it, and its occasion is open again."),
            cancel_url=visit.get_absolute_url(),
        )
    services.visit_delete(visit=visit)
    messages.success(request, _("The visit was deleted."))
    return redirect("benefits:visit_list")


# One-to-one contact


@login_required
@permission_required("benefits.view_contactassignment", raise_exception=True)
def assignment_list(request):
    form = AssignmentFilterForm(request.GET, user=request.user)
    assignments = form.filter(selectors.assignment_list(user=request.user))
    file_type = export_type(request)
    if file_type:
        headers = [
            _label(ContactAssignment, "cadre"),
            _("Branch"),
            _label(ContactAssignment, "staff"),
            _label(ContactAssignment, "interval_days"),
            _label(ContactAssignment, "started_on"),
            _label(ContactAssignment, "ended_on"),
            _("Last contact"),
            _("Next contact due"),
        ]
        rows = (
            [
                assignment.cadre.name,
                assignment.cadre.branch.name if assignment.cadre.branch else "",
                _visitor_name(assignment.staff),
                assignment.interval_days,
                _date(assignment.started_on),
                _date(assignment.ended_on),
                _date(assignment.last_contacted_on),
                "" if assignment.ended_on else _date(assignment.contact_due_on),
            ]
            for assignment in assignments.iterator(chunk_size=500)
        )
        return table_response(
            headers,
            rows,
            file_type=file_type,
            filename=_("contact-assignments"),
            title=_("One-to-one contact"),
        )
    return _list_page(request, "benefits/assignment_list.html", assignments, {"form": form})


@login_required
def assignment_create(request):
    require_perm(request.user, "benefits.add_contactassignment")
    form = AssignmentForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.assignment_create(**data),
        success=_("The contact was assigned."),
    ) or form_page(
        request,
        form,
        title=_("Assign a one-to-one contact"),
        back_url=reverse("benefits:assignment_list"),
        back_label=_("One-to-one contact"),
    )


def _assignment_page(request, assignment, *, log_form=None, status=200):
    can_log = request.user.has_perm("benefits.add_contactlog") and assignment.is_open
    return render(
        request,
        "benefits/assignment_detail.html",
        {
            "assignment": assignment,
            "logs": assignment.logs.select_related("recorded_by").order_by("-contacted_on", "-id"),
            "log_form": (log_form or ContactLogForm()) if can_log else None,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@permission_required("benefits.view_contactassignment", raise_exception=True)
def assignment_detail(request, pk):
    return _assignment_page(request, selectors.assignment_get(user=request.user, pk=pk))


@login_required
def assignment_log(request, pk):
    """Record one contact under the assignment, from the assignment's page."""
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    require_perm(request.user, "benefits.add_contactlog")
    if request.method != "POST":
        return redirect(assignment)
    form = ContactLogForm(request.POST)
    return save_form(
        request,
        form,
        save=lambda data: services.contact_log_record(
            assignment=assignment, recorded_by=request.user, **data
        ),
        success=_("The contact was recorded."),
        next_url=assignment,
    ) or _assignment_page(request, assignment, log_form=form)


@login_required
def assignment_end(request, pk):
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    require_perm(request.user, "benefits.change_contactassignment")
    form = AssignmentEndForm(request.POST or None)
    return save_form(
        request,
        form,
        save=lambda data: services.assignment_end(assignment=assignment, **data),
        success=_("The assignment was ended."),
        next_url=assignment,
    ) or form_page(
        request,
        form,
        title=_("End the contact with %(name)s") % {"name": assignment.cadre.name},
        back_url=assignment.get_absolute_url(),
        back_label=str(assignment),
    )


@login_required
@permission_required("benefits.view_contactlog", raise_exception=True)
def contact_log_list(request):
    form = ContactLogFilterForm(request.GET, user=request.user)
    logs = form.filter(selectors.contact_log_list(user=request.user))
    file_type = export_type(request)
    if file_type:
        headers = [
            _label(ContactAssignment, "cadre"),
            _("Branch"),
            _label(ContactAssignment, "staff"),
            _label(ContactLog, "contacted_on"),
            _label(ContactLog, "method"),
            _label(ContactLog, "note"),
        ]
        rows = (
            [
                log.assignment.cadre.name,
                log.assignment.cadre.branch.name if log.assignment.cadre.branch else "",
                _visitor_name(log.assignment.staff),
                _date(log.contacted_on),
                log.get_method_display(),
                log.note,
            ]
            for log in logs.iterator(chunk_size=500)
        )
        return table_response(headers, rows, file_type=file_type, filename=_("contacts"), title=_("Contacts"))
    return _list_page(request, "benefits/contact_log_list.html", logs, {"form": form})


# Condolence campaigns


def _percent(done: int, total: int) -> str:
    return f"{100 * done / total:.0f}%" if total else "—"


@login_required
@permission_required("benefits.view_condolencecampaign", raise_exception=True)
def campaign_list(request):
    form = CampaignFilterForm(request.GET, user=request.user)
    campaigns = form.filter(selectors.campaign_list(user=request.user))
    file_type = export_type(request)
    if file_type:
        headers = [
            _label(CondolenceCampaign, "name"),
            _label(CondolenceCampaign, "festival"),
            _label(CondolenceCampaign, "starts_on"),
            _label(CondolenceCampaign, "ends_on"),
            _label(CondolenceCampaign, "branch"),
            _("Targets"),
            _("Reached"),
            _("Progress"),
        ]
        rows = (
            [
                campaign.name,
                campaign.get_festival_display(),
                _date(campaign.starts_on),
                _date(campaign.ends_on),
                campaign.branch.name if campaign.branch else _("Bureau"),
                campaign.target_count,
                campaign.done_count,
                _percent(campaign.done_count, campaign.target_count),
            ]
            for campaign in campaigns.iterator(chunk_size=500)
        )
        return table_response(
            headers,
            rows,
            file_type=file_type,
            filename=_("condolence-campaigns"),
            title=_("Condolence campaigns"),
        )
    return _list_page(request, "benefits/campaign_list.html", campaigns, {"form": form})


@login_required
def campaign_create(request):
    require_perm(request.user, "benefits.add_condolencecampaign")
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            added = services.campaign_generate_targets(campaign=campaign)
            messages.success(
                request, _("The campaign was created with %(count)d cadres to reach.") % {"count": added}
            )
            return redirect(campaign)
    return form_page(
        request,
        form,
        title=_("Create a condolence campaign"),
        back_url=reverse("benefits:campaign_list"),
        back_label=_("Condolence campaigns"),
    )


@login_required
@permission_required("benefits.view_condolencecampaign", raise_exception=True)
def campaign_detail(request, pk):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    form = TargetFilterForm(request.GET, user=request.user)
    targets = form.filter(selectors.campaign_targets(user=request.user, campaign=campaign))
    file_type = export_type(request)
    if file_type:
        sensitive = _sensitive(request.user)
        headers = [
            _label(CondolenceTarget, "cadre"),
            _("Branch"),
            _("Status"),
            _label(Visit, "visited_on"),
            _label(Visit, "visitors"),
            _label(CondolenceTarget, "gift_given_on"),
            _label(Visit, "condolence_money"),
        ]
        rows = (
            [
                target.cadre.name,
                target.cadre.branch.name if target.cadre.branch else "",
                _("Reached") if target.is_done else _("Not reached yet"),
                _date(target.visit.visited_on) if target.visit else "",
                target.visit.visitors if target.visit else "",
                _date(target.gift_given_on),
                (_money(target.visit.condolence_money) if sensitive else HIDDEN)
                if target.visit and target.visit.condolence_money is not None
                else "",
            ]
            for target in targets.iterator(chunk_size=500)
        )
        return table_response(headers, rows, file_type=file_type, filename=campaign.name, title=campaign.name)
    return _list_page(
        request,
        "benefits/campaign_detail.html",
        targets,
        {"campaign": campaign, "form": form, "percent": _percent(campaign.done_count, campaign.target_count)},
    )


@login_required
def campaign_generate(request, pk):
    """Add the cadres who came into the campaign's scope since its targets were made."""
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    require_perm(request.user, "benefits.change_condolencecampaign")
    if request.method == "POST":
        added = services.campaign_generate_targets(campaign=campaign)
        messages.success(request, _("%(count)d cadres were added.") % {"count": added})
    return redirect(campaign)


@login_required
def target_tick(request, pk):
    target = selectors.target_get(user=request.user, pk=pk)
    require_perm(request.user, "benefits.change_condolencetarget")
    campaign = target.campaign
    form = TargetTickForm(
        request.POST or None, initial={"visitors": _visitor_name(request.user), "gift": campaign.gift}
    )
    return save_form(
        request,
        form,
        save=lambda data: services.target_tick(target=target, recorded_by=request.user, **form.tick_fields()),
        success=lambda saved: _("%(name)s was reached.") % {"name": target.cadre.name},
        next_url=campaign,
    ) or form_page(
        request,
        form,
        title=_("%(campaign)s: reach %(name)s") % {"campaign": campaign.name, "name": target.cadre.name},
        back_url=campaign.get_absolute_url(),
        back_label=campaign.name,
    )


# Health checks and sanatorium trips


@login_required
@permission_required("benefits.view_healthcheck", raise_exception=True)
def health_check_list(request):
    form = HealthCheckFilterForm(request.GET, user=request.user)
    checks = form.filter(selectors.health_check_list(user=request.user))
    file_type = export_type(request)
    if file_type:
        sensitive = _sensitive(request.user)
        headers = [
            _label(HealthCheck, "cadre"),
            _("Branch"),
            _label(HealthCheck, "checked_on"),
            _label(HealthCheck, "institution"),
            _label(HealthCheck, "findings"),
        ]
        rows = (
            [
                check.cadre.name,
                check.cadre.branch.name if check.cadre.branch else "",
                _date(check.checked_on),
                check.institution,
                check.findings if sensitive else (HIDDEN if check.findings else ""),
            ]
            for check in checks.iterator(chunk_size=500)
        )
        return table_response(
            headers, rows, file_type=file_type, filename=_("health-checks"), title=_("Health checks")
        )
    return _list_page(request, "benefits/health_check_list.html", checks, {"form": form})


@login_required
def health_check_create(request):
    require_perm(request.user, "benefits.add_healthcheck")
    form = HealthCheckForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.health_check_record(recorded_by=request.user, **data),
        success=_("The health check was recorded."),
        next_url="benefits:health_check_list",
    ) or form_page(
        request,
        form,
        title=_("Record a health check"),
        back_url=reverse("benefits:health_check_list"),
        back_label=_("Health checks"),
    )


@login_required
@permission_required("benefits.view_sanatoriumtrip", raise_exception=True)
def trip_list(request):
    trips = selectors.trip_list(user=request.user)
    file_type = export_type(request)
    if file_type:
        headers = [
            _label(SanatoriumTrip, "name"),
            _label(SanatoriumTrip, "destination"),
            _label(SanatoriumTrip, "starts_on"),
            _label(SanatoriumTrip, "ends_on"),
            _label(SanatoriumTrip, "quota"),
            _("Places taken"),
            _label(SanatoriumTrip, "branch"),
        ]
        rows = (
            [
                trip.name,
                trip.destination,
                _date(trip.starts_on),
                _date(trip.ends_on),
                trip.quota,
                trip.taken,
                trip.branch.name if trip.branch else _("Bureau"),
            ]
            for trip in trips.iterator(chunk_size=500)
        )
        return table_response(
            headers, rows, file_type=file_type, filename=_("sanatorium-trips"), title=_("Sanatorium trips")
        )
    return _list_page(request, "benefits/trip_list.html", trips, {})


@login_required
def trip_create(request):
    require_perm(request.user, "benefits.add_sanatoriumtrip")
    form = TripForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.trip_create(**data),
        success=lambda trip: _("%(name)s was created.") % {"name": trip.name},
    ) or form_page(
        request,
        form,
        title=_("Create a sanatorium trip"),
        back_url=reverse("benefits:trip_list"),
        back_label=_("Sanatorium trips"),
    )


def _trip_page(request, trip, *, form=None):
    can_add = request.user.has_perm("benefits.change_sanatoriumtrip")
    return render(
        request,
        "benefits/trip_detail.html",
        {
            "trip": trip,
            "participants": selectors.trip_participants(user=request.user, trip=trip),
            "participant_form": (form or ParticipantForm(user=request.user)) if can_add else None,
        },
    )


@login_required
@permission_required("benefits.view_sanatoriumtrip", raise_exception=True)
def trip_detail(request, pk):
    return _trip_page(request, selectors.trip_get(user=request.user, pk=pk))


@login_required
def trip_participant_add(request, pk):
    trip = selectors.trip_get(user=request.user, pk=pk)
    require_perm(request.user, "benefits.change_sanatoriumtrip")
    if request.method != "POST":
        return redirect(trip)
    form = ParticipantForm(request.POST, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.trip_add_participant(trip=trip, cadre=data["cadre"]),
        success=lambda saved: _("%(name)s has a place.") % {"name": form.cleaned_data["cadre"].name},
        next_url=trip,
    ) or _trip_page(request, trip, form=form)


# Medals


@login_required
@permission_required("benefits.view_medalaward", raise_exception=True)
def medal_list(request):
    form = MedalFilterForm(request.GET, user=request.user)
    medals = form.filter(selectors.medal_list(user=request.user))
    file_type = export_type(request)
    if file_type:
        headers = [
            _label(MedalAward, "cadre"),
            _("Branch"),
            _label(MedalAward, "kind"),
            _label(MedalAward, "awarded_on"),
            _label(MedalAward, "note"),
        ]
        rows = (
            [
                medal.cadre.name,
                medal.cadre.branch.name if medal.cadre.branch else "",
                medal.get_kind_display(),
                _date(medal.awarded_on),
                medal.note,
            ]
            for medal in medals.iterator(chunk_size=500)
        )
        return table_response(headers, rows, file_type=file_type, filename=_("medals"), title=_("Medals"))
    return _list_page(request, "benefits/medal_list.html", medals, {"form": form})


@login_required
@permission_required("benefits.view_medalaward", raise_exception=True)
def medal_due(request):
    """Who has 50 years in the Party by 1 July of the year and no medal yet."""
    form = MedalDueForm(request.GET)
    year = form.year_or(timezone.localdate().year)
    cadres = selectors.medals_due(year=year, user=request.user)
    file_type = export_type(request)
    if file_type:
        headers = [_("Name"), _("Branch"), _("Joined the Party on")]
        rows = (
            [cadre.name, cadre.branch.name if cadre.branch else "", _date(cadre.party_join_date)]
            for cadre in cadres.iterator(chunk_size=500)
        )
        return table_response(
            headers, rows, file_type=file_type, filename=_("medals-due"), title=_("50-year medals due")
        )
    return _list_page(request, "benefits/medal_due.html", cadres, {"form": form, "year": year})


@login_required
def medal_create(request):
    require_perm(request.user, "benefits.add_medalaward")
    initial = {}
    if request.GET.get("cadre", "").isdigit():
        initial["cadre"] = f"#{request.GET['cadre']}"
    if request.GET.get("kind") in MedalAward.Kind.values:
        initial["kind"] = request.GET["kind"]
    form = MedalForm(request.POST or None, user=request.user, initial=initial)
    return save_form(
        request,
        form,
        save=lambda data: services.medal_award(recorded_by=request.user, **data),
        success=_("The medal was recorded."),
        next_url="benefits:medal_list",
    ) or form_page(
        request,
        form,
        title=_("Record a medal"),
        back_url=reverse("benefits:medal_list"),
        back_label=_("Medals"),
    )
