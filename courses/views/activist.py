"""Screens for activists: their own courses and attendance, and telling ahead of an absence.

Everything is looked up through the signed-in activist's own enrollments, so another person's
enrollment or session answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.questionnaires.due import questionnaires_for_many
from certificates.completion.rule import COMPLETION
from courses.forms import AbsenceForm
from courses.models import AttendanceRecord, Enrollment, SessionDelivery
from courses.services import attendance as attendance_service
from lms import access


def _enrollment_cards(enrollments: list[Enrollment]) -> list[dict]:
    """What each enrollment looks like to its activist: schedule, own marks, progress to the
    certificate (the completion rule) and questionnaires, read in a fixed number of queries
    however many courses there are."""
    now = timezone.now()
    schedules: dict[int, list[SessionDelivery]] = {e.cohort_id: [] for e in enrollments}
    for delivery in (
        SessionDelivery.objects.filter(cohort_id__in=list(schedules))
        .select_related("session")
        .order_by("scheduled_at", "pk")
    ):
        schedules[delivery.cohort_id].append(delivery)
    scheduled = {
        cohort_id: [d for d in deliveries if d.status != SessionDelivery.Status.CANCELLED]
        for cohort_id, deliveries in schedules.items()
    }
    completions = COMPLETION.of_enrollments(enrollments, deliveries=scheduled)
    questionnaires = questionnaires_for_many(enrollments, scheduled)
    cards = []
    for enrollment in enrollments:
        cohort, completion = enrollment.cohort, completions[enrollment.pk]
        summary = completion.attendance
        upcoming = [
            d
            for d in schedules[cohort.pk]
            if d.status == SessionDelivery.Status.SCHEDULED and d.scheduled_at >= now
        ]
        upcoming_ids = {delivery.pk for delivery in upcoming}
        past = [
            {
                "delivery": delivery,
                "status": summary.statuses.get(delivery.pk, ""),
                "status_label": (
                    AttendanceRecord.Status(summary.statuses[delivery.pk]).label
                    if delivery.pk in summary.statuses
                    else ""
                ),
            }
            for delivery in schedules[cohort.pk]
            if delivery.pk not in upcoming_ids
        ]
        cards.append(
            {
                "enrollment": enrollment,
                "questionnaires": questionnaires[enrollment.pk],
                "cohort": cohort,
                "course": cohort.course,
                "active": enrollment.status == Enrollment.Status.ENROLLED,
                "summary": summary,
                "completion": completion,
                "past": past,
                # Before a session only the activist's own announcement can be stored.
                "upcoming": [
                    {"delivery": delivery, "announced": delivery.pk in summary.statuses}
                    for delivery in upcoming
                ],
            }
        )
    return cards


def _own_enrollments(user):
    return (
        access.owned(user, Enrollment)
        .select_related(
            "cohort__cem__site",
            "activist__profile",
            "cohort__course__pre_instrument",
            "cohort__course__post_instrument",
        )
        .prefetch_related("cohort__trainers")
        .order_by("-cohort__start_date")
    )


@login_required
@require_GET
@access.role_required(access.FOLLOWS_COURSES)
def my_courses(request: HttpRequest) -> HttpResponse:
    enrollments = list(_own_enrollments(request.user))
    return TemplateResponse(
        request, "courses/activist/my_courses.html", {"cards": _enrollment_cards(enrollments)}
    )


@login_required
@require_GET
@access.role_required(access.FOLLOWS_COURSES)
def enrollment_detail(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = get_object_or_404(_own_enrollments(request.user), pk=enrollment_id)
    return TemplateResponse(
        request,
        "courses/activist/enrollment_detail.html",
        {"card": _enrollment_cards([enrollment])[0]},
    )


@login_required
@require_POST
@access.role_required(access.FOLLOWS_COURSES)
def absence_announce(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """“I will not be able to attend”: stored as Excused, announced by the activist."""
    delivery = get_object_or_404(
        access.owned(
            request.user, SessionDelivery.objects.select_related("session", "cohort__cem")
        ),
        pk=delivery_id,
    )
    form = AbsenceForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        try:
            attendance_service.absence_announce(
                activist=request.user, delivery=delivery, note=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Your facilitators know you will not attend “%(session)s” on %(date)s.")
                % {
                    "session": delivery.session.title,
                    "date": date_format(timezone.localtime(delivery.scheduled_at), "DATE_FORMAT"),
                },
            )
    return redirect(reverse("courses:my_courses") + f"#cohort-{delivery.cohort_id}")
