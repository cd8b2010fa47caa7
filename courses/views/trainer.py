"""Screens for the people who run sessions: their groups, the attendance sheet and the printable
sign-in sheet.

A role that never runs (or reads) cohorts gets 403 whatever the id; a cohort or delivery outside
the user's scope gets 404, so an id reveals nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from courses.forms import AttendanceSheetForm
from courses.models import AttendanceRecord, Cohort, Enrollment, SessionDelivery
from courses.offline.paper import sheet_code
from courses.selectors.delivery import (
    attendance_summaries,
    managed_delivery_or_404,
    trainer_cohorts,
)
from courses.services.attendance import SheetConflict, attendance_sheet_save, sheet_refusal
from lms import access
from lms.models import AuditLogEntry

BLANK_ROWS = 8  # walk-ins on the printed sheet


def _active_enrollments(cohort: Cohort) -> list[Enrollment]:
    return list(
        cohort.enrollments.exclude(status=Enrollment.Status.WITHDRAWN)
        .select_related("activist__profile")
        .order_by("activist__last_name", "activist__first_name", "pk")
    )


def _takes_attendance(delivery: SessionDelivery) -> bool:
    """attendance_sheet_save's own rule, to offer the sheet only when it can be saved."""
    return sheet_refusal(delivery) is None


def _offline_copy(request: HttpRequest) -> bool:
    """The device is storing this page to show it later without connection."""
    return request.headers.get("X-Offline-Copy") == "1"


@login_required
@require_GET
@access.role_required(access.RUNS_SESSIONS)
def my_cohorts(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "courses/trainer/my_cohorts.html",
        {"cohorts": trainer_cohorts(request.user).prefetch_related("trainers")},
    )


@login_required
@require_GET
@access.role_required(access.READS_ROSTERS)
def cohort_detail(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = access.read_or_404(
        request.user,
        Cohort.objects.select_related("course", "cem__site").prefetch_related("trainers"),
        pk=cohort_id,
    )
    can_manage = access.may_manage(request.user, cohort)
    deliveries = list(cohort.deliveries.select_related("session").order_by("scheduled_at"))
    summaries = attendance_summaries(cohort, deliveries=deliveries)
    min_percent = cohort.course.min_attendance_percent
    recorded = {delivery.pk: 0 for delivery in deliveries}
    for summary in summaries:
        for delivery_id in summary.statuses:
            recorded[delivery_id] += 1
    roster = [
        {
            "summary": summary,
            "withdrawn": summary.enrollment.status == Enrollment.Status.WITHDRAWN,
            "needed": summary.needed_for(min_percent),
        }
        for summary in summaries
    ]
    schedule = [
        {
            "delivery": delivery,
            "takes_attendance": _takes_attendance(delivery),
            "recorded": recorded[delivery.pk],
        }
        for delivery in deliveries
    ]
    return TemplateResponse(
        request,
        "courses/trainer/cohort_detail.html",
        {
            "cohort": cohort,
            "can_manage": can_manage,
            "roster": roster,
            "flagged": [row for row in roster if row["summary"].flagged],
            "active_count": sum(1 for row in roster if not row["withdrawn"]),
            "schedule": schedule,
            "min_percent": min_percent,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@access.role_required(access.RUNS_SESSIONS)
def attendance_sheet(request: HttpRequest, cohort_id: int, delivery_id: int) -> HttpResponse:
    """The whole roster on one screen; one POST saves it through attendance_sheet_save.

    With JavaScript the same screen saves through the device's outbox (courses.offline),
    which also serves it from the device's copy when there is no connection."""
    cohort, delivery = managed_delivery_or_404(
        request.user, cohort_id=cohort_id, delivery_id=delivery_id
    )
    records = {record.enrollment_id: record for record in delivery.attendance.all()}
    from_paper = request.GET.get("papel") == "1"
    form = AttendanceSheetForm(
        request.POST if request.method == "POST" else None,
        enrollments=_active_enrollments(cohort),
        records=records,
        initial={"from_paper": from_paper},
    )
    if request.method == "POST":
        if form.is_valid():
            paper = form.cleaned_data["from_paper"]
            try:
                result = attendance_sheet_save(
                    actor=request.user,
                    delivery=delivery,
                    marks=form.marks(),
                    notes=form.notes(),
                    seen_at=form.cleaned_data["seen_at"],
                    origin=AuditLogEntry.Origin.PAPER if paper else "",
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            except SheetConflict as conflict:
                # The sheet stays as the trainer wrote it, read again from now: saving it once
                # more replaces the marks listed, knowingly.
                for disputed in conflict.conflicts:
                    messages.error(request, conflict_message(disputed))
            else:
                sheet_saved_message(request, delivery=delivery, result=result)
                return redirect(reverse("courses:cohort_detail", args=[cohort.pk]) + "#schedule")
        else:
            for message in form.non_field_errors():
                messages.error(request, message)
    refusal = sheet_refusal(delivery)
    offline_copy = _offline_copy(request)
    return TemplateResponse(
        request,
        "courses/trainer/attendance_sheet.html",
        {
            "cohort": cohort,
            "delivery": delivery,
            "form": form,
            "rows": form.rows(),
            "statuses": AttendanceRecord.Status.choices,
            "takes_attendance": refusal is None,
            "refusal": refusal.messages[0] if refusal else "",
            # A device copy of a session still to come opens its sheet on the day.
            "opens_later": offline_copy
            and refusal is not None
            and refusal.code == "future_session",
            "offline_copy": offline_copy,
            "paper": from_paper or form["from_paper"].value(),
            "sheet_code": sheet_code(delivery.pk),
            "seen_at": timezone.now(),
            "announced": [row for row in form.rows() if row.announced],
        },
    )


def conflict_message(disputed) -> str:
    record = disputed.record
    return _(
        "%(who)s changed the mark of %(name)s to “%(theirs)s” on %(when)s, after this sheet was "
        "opened. Check it: saving again keeps what the sheet shows."
    ) % {
        "who": record.recorded_by.get_full_name() or record.recorded_by.username,
        "name": record.enrollment.activist.get_full_name() or record.enrollment.activist.username,
        "theirs": record.get_status_display(),
        "when": formats.date_format(timezone.localtime(record.recorded_at), "DATETIME_FORMAT"),
    }


def sheet_saved_message(request: HttpRequest, *, delivery: SessionDelivery, result) -> None:
    """What the trainer reads on the next page after a sheet is saved (screen or outbox)."""
    if result.saved_anything:
        messages.success(
            request,
            _(
                "Attendance saved for “%(session)s”: %(created)s new, "
                "%(changed)s changed, %(unchanged)s unchanged."
            )
            % {
                "session": delivery.session.title,
                "created": result.created,
                "changed": result.changed,
                "unchanged": result.unchanged,
            },
        )
    else:
        messages.info(request, _("No changes: this attendance sheet was already saved."))


@login_required
@require_GET
@access.role_required(access.RUNS_SESSIONS)
def sign_in_sheet(request: HttpRequest, cohort_id: int, delivery_id: int) -> HttpResponse:
    """A printable sheet for sessions without connectivity; marks are typed in later."""
    cohort, delivery = managed_delivery_or_404(
        request.user, cohort_id=cohort_id, delivery_id=delivery_id
    )
    announced = set(
        delivery.attendance.filter(reported_by_activist=True).values_list(
            "enrollment_id", flat=True
        )
    )
    facilitators = list(delivery.facilitators.all()) or list(cohort.trainers.all())
    return TemplateResponse(
        request,
        "courses/trainer/sign_in_sheet.html",
        {
            "cohort": cohort,
            "delivery": delivery,
            "enrollments": _active_enrollments(cohort),
            "announced": announced,
            "facilitators": facilitators,
            "statuses": AttendanceRecord.Status.choices,
            "blank_rows": range(BLANK_ROWS),
            "sheet_code": sheet_code(delivery.pk),
        },
    )
