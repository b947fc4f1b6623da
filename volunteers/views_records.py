"""Pages for service records (recorded on a phone, with photos) and micro-wishes with their actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import require_perm
from core.forms import add_service_errors
from core.images import PhotoUploadForm
from core.pages import add_photos_page, confirm_delete_page, form_page, list_page, save_form
from volunteers import exports, selectors, services, wish_services
from volunteers.forms import (
    ServiceRecordCreateForm,
    ServiceRecordFilterForm,
    ServiceRecordForm,
    WishClaimForm,
    WishFilterForm,
    WishForm,
    WishFulfilForm,
    WishWithdrawForm,
)
from volunteers.models import MicroWish

# Service records --------------------------------------------------------------------------


@login_required
@permission_required("volunteers.view_servicerecord", raise_exception=True)
def record_list(request):
    form = ServiceRecordFilterForm(request.GET, user=request.user)
    return list_page(
        request,
        "volunteers/record_list.html",
        form.filter(selectors.record_list(user=request.user)),
        {"form": form},
        export=exports.records_table,
        filename="service-records",
    )


@login_required
def record_create(request):
    """Record a round of service; ?team= or ?chief_post= chooses whose it is in advance."""
    require_perm(request.user, "volunteers.add_servicerecord")
    initial = {}
    for name in ("team", "chief_post"):
        if request.GET.get(name, "").isdigit():
            initial.update({name: int(request.GET[name]), "subject": name})
    form = ServiceRecordCreateForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )

    def save(data):
        # Together or not at all: a record is never left without the photos sent with it.
        with transaction.atomic():
            record = services.record_create(recorded_by=request.user, **form.record_fields())
            services.record_add_photos(record=record, files=data["photos"], uploaded_by=request.user)
        return record

    return save_form(request, form, save=save, success=_("The service was recorded.")) or render(
        request, "volunteers/record_form.html", {"form": form}
    )


@login_required
@permission_required("volunteers.view_servicerecord", raise_exception=True)
def record_detail(request, pk):
    record = selectors.record_get(user=request.user, pk=pk)
    return render(
        request,
        "volunteers/record_detail.html",
        {"record": record, "photos": record.photos.all(), "photo_form": PhotoUploadForm()},
    )


@login_required
def record_update(request, pk):
    record = selectors.record_get(user=request.user, pk=pk)
    require_perm(request.user, "volunteers.change_servicerecord")
    form = ServiceRecordForm(request.POST or None, instance=record, user=request.user)
    return save_form(
        request,
        form,
        # A fresh copy: the form has already written its values onto `record`.
        save=lambda data: services.record_update(
            record=selectors.record_get(user=request.user, pk=pk), **form.record_fields()
        ),
        success=_("The changes were saved."),
        next_url=record,
    ) or render(request, "volunteers/record_form.html", {"form": form, "record": record})


@login_required
def record_add_photos(request, pk):
    record = selectors.record_get(user=request.user, pk=pk)
    require_perm(request.user, "volunteers.change_servicerecord")
    return add_photos_page(
        request,
        target=record,
        save=lambda files: services.record_add_photos(record=record, files=files, uploaded_by=request.user),
    )


@login_required
def record_delete(request, pk):
    record = selectors.record_get(user=request.user, pk=pk)
    require_perm(request.user, "volunteers.delete_servicerecord")
    if request.method != "POST":
        return confirm_delete_page(
            request,
            question=_("Delete this service record?"),
            summary=f"{record.served_on:%Y-%m-%d} · {record.get_kind_display()} · {record.subject_name}",
            note=_("Its photos are deleted with it."),
            cancel_url=record.get_absolute_url(),
        )
    services.record_delete(record=record)
    messages.success(request, _("The service record was deleted."))
    return redirect("volunteers:record_list")


# Micro-wishes -----------------------------------------------------------------------------


@login_required
@permission_required("volunteers.view_microwish", raise_exception=True)
def wish_list(request):
    form = WishFilterForm(request.GET, user=request.user)
    return list_page(
        request,
        "volunteers/wish_list.html",
        form.filter(selectors.wish_list(user=request.user)),
        {"form": form},
        export=exports.wishes_table,
        filename="micro-wishes",
    )


@login_required
def wish_create(request):
    require_perm(request.user, "volunteers.add_microwish")
    form = WishForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: wish_services.wish_post(posted_by=request.user, **data),
        success=_("The wish was posted."),
    ) or form_page(
        request,
        form,
        title=_("Post a micro-wish"),
        back_url=reverse("volunteers:wish_list"),
        back_label=_("Micro-wishes"),
    )


def _wish_page(request, wish: MicroWish, *, status: int = 200, **forms):
    """The wish with the actions its state and the user's permissions allow, each a POST form."""
    can_claim = request.user.has_perm("volunteers.claim_microwish")
    can_withdraw = request.user.has_perm("volunteers.change_microwish")
    actions = {
        "claim_form": WishClaimForm(user=request.user)
        if can_claim and wish.status == MicroWish.Status.POSTED
        else None,
        "fulfil_form": WishFulfilForm() if can_claim and wish.status == MicroWish.Status.CLAIMED else None,
        "withdraw_form": WishWithdrawForm()
        if can_withdraw and wish.status in (MicroWish.Status.POSTED, MicroWish.Status.CLAIMED)
        else None,
    }
    actions.update(forms)
    return render(request, "volunteers/wish_detail.html", {"wish": wish, **actions}, status=status)


@login_required
@permission_required("volunteers.view_microwish", raise_exception=True)
def wish_detail(request, pk):
    return _wish_page(request, selectors.wish_get(user=request.user, pk=pk))


@login_required
def wish_claim(request, pk):
    wish = selectors.wish_get(user=request.user, pk=pk)
    require_perm(request.user, "volunteers.claim_microwish")
    if request.method != "POST":
        return redirect(wish)
    form = WishClaimForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            wish_services.wish_claim(
                wish=wish,
                claimed_on=form.cleaned_data["claimed_on"],
                claimed_by_user=request.user,
                **form.claimants(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            # Someone may have been first: show the wish as it is now, with the reason beside the form.
            wish = selectors.wish_get(user=request.user, pk=pk)
        else:
            messages.success(request, _("You claimed the wish."))
            return redirect(wish)
    return _wish_page(request, wish, claim_form=form)


@login_required
def wish_fulfil(request, pk):
    wish = selectors.wish_get(user=request.user, pk=pk)
    require_perm(request.user, "volunteers.claim_microwish")
    if request.method != "POST":
        return redirect(wish)
    form = WishFulfilForm(request.POST, request.FILES)
    return save_form(
        request,
        form,
        save=lambda data: wish_services.wish_fulfil(wish=wish, **data),
        success=_("The wish was fulfilled."),
        next_url=wish,
    ) or _wish_page(request, wish, fulfil_form=form)


@login_required
def wish_withdraw(request, pk):
    wish = selectors.wish_get(user=request.user, pk=pk)
    require_perm(request.user, "volunteers.change_microwish")
    if request.method != "POST":
        return redirect(wish)
    form = WishWithdrawForm(request.POST)
    return save_form(
        request,
        form,
        save=lambda data: wish_services.wish_withdraw(wish=wish, **data),
        success=_("The wish was withdrawn."),
        next_url=wish,
    ) or _wish_page(request, wish, withdraw_form=form)
