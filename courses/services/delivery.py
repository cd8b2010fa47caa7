"""Cohorts, enrollments and session deliveries: every change is audit-logged."""

from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Cohort, Enrollment, SessionDelivery
from lms.audit import audit_entry, audit_record, audit_save_changes, model_snapshot
from lms.models import AuditLogEntry

CONSENT_TEXT_VERSION = "2026-1"


@transaction.atomic
def enrollment_create(
    *,
    actor: AbstractBaseUser | None,
    cohort: Cohort,
    activist: AbstractBaseUser,
    consent_method: str,
    consent_given_at: datetime | None = None,
    consent_version: str = CONSENT_TEXT_VERSION,
    enrolled_on: date | None = None,
) -> Enrollment:
    """Enroll an activist who has given consent; refuses a full or closed cohort."""
    if cohort.status == Cohort.Status.CLOSED:
        raise ValidationError(_("This cohort is closed and takes no new enrollments."))
    active = cohort.enrollments.exclude(status=Enrollment.Status.WITHDRAWN).count()
    if active >= cohort.capacity:
        raise ValidationError(
            _("This cohort is full (%(capacity)s places).") % {"capacity": cohort.capacity}
        )
    enrollment = Enrollment(
        cohort=cohort,
        activist=activist,
        enrolled_on=enrolled_on or timezone.localdate(),
        consent_version=consent_version,
        consent_given_at=consent_given_at or timezone.now(),
        consent_method=consent_method,
    )
    enrollment.full_clean()
    enrollment.save()
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.CREATE,
        instance=enrollment,
        site=cohort.cem.site_id,
        after=model_snapshot(enrollment),
    )
    return enrollment


@transaction.atomic
def enrollment_set_status(
    *, actor: AbstractBaseUser | None, enrollment: Enrollment, status: str, on: date | None = None
) -> Enrollment:
    """Mark an enrollment completed or withdrawn (or back to enrolled), with its date."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    before = model_snapshot(enrollment)
    on = on or timezone.localdate()
    enrollment.status = status
    enrollment.completed_on = on if status == Enrollment.Status.COMPLETED else None
    enrollment.withdrawn_on = on if status == Enrollment.Status.WITHDRAWN else None
    enrollment.full_clean()
    audit_save_changes(
        actor=actor, instance=enrollment, before=before, site=enrollment.cohort.cem.site_id
    )
    return enrollment


@transaction.atomic
def cohort_schedule_generate(
    *,
    actor: AbstractBaseUser | None,
    cohort: Cohort,
    first_at: datetime,
    interval_days: int = 7,
    place: str = "",
) -> list[SessionDelivery]:
    """One delivery per live session of the course, every `interval_days` from `first_at`.

    Sessions that already have a delivery in this cohort are left as they are, so running it
    again only fills gaps. The dates can be edited afterwards."""
    if interval_days < 1:
        raise ValidationError(_("The interval between sessions must be at least one day."))
    existing = set(cohort.deliveries.values_list("session_id", flat=True))
    sessions = cohort.course.sessions()
    trainers = list(cohort.trainers.all())
    created: list[SessionDelivery] = []
    for position, session in enumerate(sessions):
        if session.pk in existing:
            continue
        delivery = SessionDelivery(
            cohort=cohort,
            session=session,
            scheduled_at=first_at + timedelta(days=interval_days * position),
            place=place,
        )
        delivery.full_clean()
        created.append(delivery)
    SessionDelivery.objects.bulk_create(created)
    created = list(
        cohort.deliveries.filter(session_id__in=[d.session_id for d in created]).order_by(
            "scheduled_at"
        )
    )
    if trainers:
        through = SessionDelivery.facilitators.through
        through.objects.bulk_create(
            [through(sessiondelivery=d, user=t) for d in created for t in trainers]
        )
    AuditLogEntry.objects.bulk_create(
        [
            audit_entry(
                actor=actor,
                action=AuditLogEntry.Action.CREATE,
                instance=delivery,
                site=cohort.cem.site_id,
                after=model_snapshot(delivery),
            )
            for delivery in created
        ]
    )
    return created


@transaction.atomic
def delivery_update(
    *, actor: AbstractBaseUser | None, delivery: SessionDelivery, **changes
) -> SessionDelivery:
    """Change a delivery's date, place, status or notes."""
    delivery = SessionDelivery.objects.select_for_update().get(pk=delivery.pk)
    before = model_snapshot(delivery)
    for field, value in changes.items():
        setattr(delivery, field, value)
    delivery.full_clean()
    audit_save_changes(
        actor=actor, instance=delivery, before=before, site=delivery.cohort.cem.site_id
    )
    return delivery
