"""Cohorts, enrollments and session deliveries: every change is audit-logged, and the rules of
the sites are checked here, whoever calls (the admin, the roster import, the demo).

* An enrollment's activist belongs to the cohort's site (or to none yet).
* A cohort's trainers belong to its site (or to none); trainers it already has stay.
* A delivery's session is a session of the cohort's course.
"""

from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Cohort, CoursePage, Enrollment, SessionDelivery, SessionPage
from lms.access import home_site_id
from lms.audit import audit_entry, audit_record, audit_save_changes, model_snapshot
from lms.models import CEM, AuditLogEntry

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
    """Enroll an activist who has given consent; refuses a full or closed cohort, and an
    activist of another site."""
    # Locked so that two enrollments at once neither overfill it nor share a roster number.
    cohort = Cohort.objects.select_for_update().select_related("cem").get(pk=cohort.pk)
    site_id = home_site_id(activist)
    if site_id is not None and site_id != cohort.cem.site_id:
        raise ValidationError({"activist": _("This activist belongs to another site.")})
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


def _person_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


def _check_trainers(cem: CEM, trainers, *, kept: set[int] = frozenset()) -> None:
    """Trainers belong to the cohort's site; those in `kept` (already its trainers) stay."""
    elsewhere = [
        t for t in trainers if t.pk not in kept and home_site_id(t) not in (None, cem.site_id)
    ]
    if elsewhere:
        raise ValidationError(
            {
                "trainers": _("%(names)s belong to another site.")
                % {"names": ", ".join(_person_name(t) for t in elsewhere)}
            }
        )


COHORT_AUDIT = {"many_to_many": ("trainers",)}
DELIVERY_AUDIT = {"many_to_many": ("facilitators",)}


@transaction.atomic
def cohort_create(
    *,
    actor: AbstractBaseUser | None,
    course: CoursePage,
    cem: CEM,
    name: str,
    start_date: date,
    end_date: date,
    trainers=(),
    capacity: int = 40,
    status: str = Cohort.Status.PLANNED,
) -> Cohort:
    """A cohort of a course at a CEM, with its trainers (of the CEM's site)."""
    trainers = list(trainers)
    _check_trainers(cem, trainers)
    cohort = Cohort(
        course=course,
        cem=cem,
        name=name,
        start_date=start_date,
        end_date=end_date,
        capacity=capacity,
        status=status,
    )
    cohort.full_clean()
    cohort.save()
    cohort.trainers.set(trainers)
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.CREATE,
        instance=cohort,
        site=cem.site_id,
        after=model_snapshot(cohort, **COHORT_AUDIT),
    )
    return cohort


@transaction.atomic
def cohort_update(*, actor: AbstractBaseUser | None, cohort: Cohort, **changes) -> Cohort:
    """Change a cohort's fields and trainers; a trainer it already has may be of any site."""
    cohort = Cohort.objects.select_for_update().select_related("cem").get(pk=cohort.pk)
    before = model_snapshot(cohort, **COHORT_AUDIT)
    trainers = changes.pop("trainers", None)
    for field, value in changes.items():
        setattr(cohort, field, value)
    if trainers is not None:
        trainers = list(trainers)
        _check_trainers(cohort.cem, trainers, kept=set(before["trainers"]))
    cohort.full_clean()
    cohort.save()
    if trainers is not None:
        cohort.trainers.set(trainers)
    after = model_snapshot(cohort, **COHORT_AUDIT)
    if after != before:
        audit_record(
            actor=actor,
            action=AuditLogEntry.Action.UPDATE,
            instance=cohort,
            site=cohort.cem.site_id,
            before=before,
            after=after,
        )
    return cohort


@transaction.atomic
def delivery_create(
    *,
    actor: AbstractBaseUser | None,
    cohort: Cohort,
    session: SessionPage,
    scheduled_at: datetime,
    place: str = "",
    facilitators=(),
    status: str = SessionDelivery.Status.SCHEDULED,
    notes: str = "",
) -> SessionDelivery:
    """One delivery of a session of the cohort's course."""
    if not cohort.course.sessions().filter(pk=session.pk).exists():
        raise ValidationError(
            {
                "session": _("This session is not part of the cohort's course (%(course)s).")
                % {"course": cohort.course.title}
            }
        )
    delivery = SessionDelivery(
        cohort=cohort,
        session=session,
        scheduled_at=scheduled_at,
        place=place,
        status=status,
        notes=notes,
    )
    delivery.full_clean()
    delivery.save()
    delivery.facilitators.set(facilitators)
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.CREATE,
        instance=delivery,
        site=cohort.cem.site_id,
        after=model_snapshot(delivery, **DELIVERY_AUDIT),
    )
    return delivery


@transaction.atomic
def delivery_update(
    *, actor: AbstractBaseUser | None, delivery: SessionDelivery, **changes
) -> SessionDelivery:
    """Change a delivery's date, place, facilitators, status or notes."""
    delivery = (
        SessionDelivery.objects.select_for_update()
        .select_related("cohort__cem")
        .get(pk=delivery.pk)
    )
    before = model_snapshot(delivery, **DELIVERY_AUDIT)
    facilitators = changes.pop("facilitators", None)
    for field, value in changes.items():
        setattr(delivery, field, value)
    delivery.full_clean()
    delivery.save()
    if facilitators is not None:
        delivery.facilitators.set(facilitators)
    after = model_snapshot(delivery, **DELIVERY_AUDIT)
    if after != before:
        audit_record(
            actor=actor,
            action=AuditLogEntry.Action.UPDATE,
            instance=delivery,
            site=delivery.cohort.cem.site_id,
            before=before,
            after=after,
        )
    return delivery
