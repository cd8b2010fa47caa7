"""Screens for activists: their own courses and attendance, and telling ahead of an absence.

Everything is looked up through the signed-in activist's own enrollments, so another person's
enrollment or session answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.due import questionnaires_for
from courses.forms import AbsenceForm
from courses.models import AttendanceRecord, Enrollment, SessionDelivery
from courses.selectors.delivery import (
    activist_enrollments,
    attendance_summaries,
    upcoming_deliveries,
)
from courses.services import attendance as attendance_service
from lms.roles import Role, has_role


def _require_activist(user) -> None:
    if not (user.is_superuser or has_role(user, Role.ACTIVIST)):
        raise PermissionDenied


def _enrollment_card(enrollment: Enrollment) -> dict:
    """What one enrollment looks like to its activist: schedule, own marks, progress."""
    cohort = enrollment.cohort
    deliveries = list(cohort.deliveries.select_related("session").order_by("scheduled_at"))
    [summary] = attendance_summaries(cohort, enrollments=[enrollment], deliveries=deliveries)
    upcoming = list(upcoming_deliveries(cohort))
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
        for delivery in deliveries
        if delivery.pk not in upcoming_ids
    ]
    min_percent = cohort.course.min_attendance_percent
    needed = summary.needed_for(min_percent)
    return {
        "enrollment": enrollment,
        "questionnaires": questionnaires_for(enrollment),
        "cohort": cohort,
        "course": cohort.course,
        "active": enrollment.status == Enrollment.Status.ENROLLED,
        "summary": summary,
        "min_percent": min_percent,
        "needed": needed,
        "reachable": needed <= summary.remaining,
        "past": past,
        # Before a session only the activist's own announcement can be stored.
        "upcoming": [
            {"delivery": delivery, "announced": delivery.pk in summary.statuses}
            for delivery in upcoming
        ],
    }


@login_required
@require_GET
def my_courses(request: HttpRequest) -> HttpResponse:
    _require_activist(request.user)
    enrollments = activist_enrollments(request.user).prefetch_related("cohort__trainers")
    return TemplateResponse(
        request,
        "courses/activist/my_courses.html",
        {"cards": [_enrollment_card(enrollment) for enrollment in enrollments]},
    )


@login_required
@require_GET
def enrollment_detail(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    _require_activist(request.user)
    enrollment = get_object_or_404(
        activist_enrollments(request.user).prefetch_related("cohort__trainers"), pk=enrollment_id
    )
    return TemplateResponse(
        request, "courses/activist/enrollment_detail.html", {"card": _enrollment_card(enrollment)}
    )


@login_required
@require_POST
def absence_announce(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """“I will not be able to attend”: stored as Excused, announced by the activist."""
    _require_activist(request.user)
    delivery = get_object_or_404(
        SessionDelivery.objects.select_related("session", "cohort__cem"),
        pk=delivery_id,
        cohort__enrollments__activist=request.user,
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
