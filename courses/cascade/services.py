"""Writes of the cascade: community groups, replica sessions received exactly once, and their
verification. Each write is validated whole, atomic and audit-logged.

A replica session comes from the form on screen or from a device's outbox; both reach
:func:`replica_record` with a :class:`~courses.cascade.protocol.ReplicaInput`. Its refusals
carry a ``code`` the device shows: ``not_allowed``, ``future_date``, ``before_start``,
``duration``, ``place``, ``sessions``, ``counts``, ``first_timers``, ``attendees``, ``photo``,
``device_clock``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.cascade import tasks
from courses.cascade.bands import CELLS, MAX_PARTICIPANTS
from courses.cascade.photos import photo_clean
from courses.cascade.protocol import ReplicaInput
from courses.cascade.selectors import (
    co_facilitator_choices,
    course_sessions,
    district_choices,
    reporting_courses,
)
from courses.models import CommunityGroup, CoursePage, District, ReplicaAttendee, ReplicaSession
from lms import access
from lms.audit import audit_record, model_snapshot
from lms.models import CEM, AuditLogEntry

# Phones set their clocks from the network; a few minutes of drift is normal, hours are not.
DEVICE_CLOCK_TOLERANCE = timedelta(minutes=10)


class ReplicaUuidReused(Exception):
    """This UUID was received before with different content: one of the two is wrong."""


@dataclass(frozen=True)
class Recorded:
    replica: ReplicaSession
    replayed: bool  # True: the same replica had already arrived and nothing changed now


# --- Community groups --------------------------------------------------------------------------


@transaction.atomic
def community_group_create(
    *,
    actor: AbstractBaseUser,
    name: str,
    kind: str,
    district: District,
    cem: CEM,
    course: CoursePage,
    start_date: date,
    co_facilitators=(),
    members_consented: bool = False,
) -> CommunityGroup:
    """A group of `actor`'s, who must be certified in `course` or practising it; district,
    CEM and co-facilitators are of her own site."""
    errors: dict[str, str] = {}
    if not reporting_courses(actor).filter(pk=course.pk).exists():
        errors["course"] = _(
            "You can start groups only for a course you are certified in, or one you are taking "
            "that requires supervised practice."
        )
    site_id = access.home_site_id(actor)
    if not district_choices(actor).filter(pk=district.pk).exists():
        errors["district"] = _("Choose a district of your site.")
    if cem.site_id != site_id:
        errors["cem"] = _("Choose a CEM of your site.")
    co_facilitators = list(co_facilitators)
    allowed = set(
        co_facilitator_choices(actor)
        .filter(pk__in=[u.pk for u in co_facilitators])
        .values_list("pk", flat=True)
    )
    if any(u.pk not in allowed for u in co_facilitators):
        errors["co_facilitators"] = _("Co-facilitators are other activists of your site.")
    if start_date > timezone.localdate():
        errors["start_date"] = _("The start date is in the future.")
    name = name.strip()
    if CommunityGroup.objects.filter(activist=actor, name__iexact=name).exists():
        errors["name"] = _("You already have a group with this name.")
    if errors:
        raise ValidationError(errors)
    group = CommunityGroup(
        activist=actor,
        name=name,
        kind=kind,
        district=district,
        cem=cem,
        course=course,
        start_date=start_date,
        members_consented=members_consented,
    )
    group.full_clean(validate_unique=False)
    group.save()
    group.co_facilitators.set(co_facilitators)
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.CREATE,
        instance=group,
        site=cem.site_id,
        after=model_snapshot(group, many_to_many=("co_facilitators",)),
    )
    return group


# --- Replica sessions --------------------------------------------------------------------------


def _snapshot(replica: ReplicaSession, **extra) -> dict:
    """The audit log says whether there is a photo, never where it is stored."""
    return model_snapshot(replica, exclude=("photo",), **extra) | {"photo": bool(replica.photo)}


def _refusals(
    *, actor, group: CommunityGroup, data: ReplicaInput, now: datetime
) -> list[ValidationError]:
    """Every reason to refuse the replica, each with its code, in the order of the form."""
    refusals = []

    def refuse(message: str, code: str) -> None:
        refusals.append(ValidationError(message, code=code))

    if not reporting_courses(actor).filter(pk=group.course_id).exists():
        refuse(
            _("You can report sessions only of a course you are certified in or practising."),
            "not_allowed",
        )
    if data.device_time and data.device_time > now + DEVICE_CLOCK_TOLERANCE:
        refuse(
            _(
                "The device's clock was ahead of the real time when this session was saved. "
                "Correct the phone's date and time, then record it again."
            ),
            "device_clock",
        )
    today = timezone.localdate(now)
    if data.held_on > today:
        refuse(_("The date is in the future: record a session once it was held."), "future_date")
    elif data.held_on < group.start_date:
        refuse(
            _("The date is before the group started (%(date)s).")
            % {"date": group.start_date.isoformat()},
            "before_start",
        )
    if not 15 <= data.duration_minutes <= 600:
        refuse(_("The duration must be between 15 and 600 minutes."), "duration")
    if not data.place.strip():
        refuse(_("Say where the session was held."), "place")
    known = {s.pk for s in course_sessions([group.course_id])[group.course_id]}
    if not data.session_ids:
        refuse(_("Choose the curriculum sessions you used."), "sessions")
    elif set(data.session_ids) - known:
        refuse(_("One of the sessions chosen is not a session of the group's course."), "sessions")
    counts = data.counts
    if any(value < 0 or value > MAX_PARTICIPANTS for value in counts.values()):
        refuse(_("Each count must be between 0 and %(max)s.") % {"max": MAX_PARTICIPANTS}, "counts")
    total = sum(counts[cell.field] for cell in CELLS)
    if not total:
        refuse(_("Count the participants: nobody is counted."), "counts")
    elif total > MAX_PARTICIPANTS:
        refuse(
            _("%(total)s participants is not plausible for one session (at most %(max)s).")
            % {"total": total, "max": MAX_PARTICIPANTS},
            "counts",
        )
    if any(counts[cell.first_field] > counts[cell.field] for cell in CELLS):
        refuse(
            _("Some sex and age group has more first-time participants than participants."),
            "first_timers",
        )
    if data.attendees and not group.members_consented:
        refuse(
            _("This group's members did not agree to be listed by name: record counts only."),
            "attendees",
        )
    elif len(data.attendees) > total:
        refuse(_("The list has more names than participants counted."), "attendees")
    return refusals


@transaction.atomic
def replica_record(
    *,
    actor: AbstractBaseUser,
    group: CommunityGroup,
    data: ReplicaInput,
    now: datetime | None = None,
) -> Recorded:
    """Save a replica session of `actor`'s `group`, or recognise it as already saved (same
    UUID, same content). Raises ReplicaUuidReused, or ValidationError listing every refusal
    (each with its code). Whatever is raised, nothing is saved."""
    now = now or timezone.now()
    # One replica of a group at a time: two copies of one UUID cannot both be new.
    group = CommunityGroup.objects.select_for_update().select_related("cem").get(pk=group.pk)
    digest = data.digest(group_id=group.pk)
    previous = ReplicaSession.objects.filter(uuid=data.uuid).first()
    if previous is not None:
        if previous.content_digest == digest and previous.reported_by_id == actor.pk:
            return Recorded(replica=previous, replayed=True)
        raise ReplicaUuidReused(str(data.uuid))
    refusals = _refusals(actor=actor, group=group, data=data, now=now)
    photo = None
    if data.photo:
        try:
            photo = photo_clean(data.photo)
        except ValidationError as error:
            refusals.append(error)
    if refusals:
        raise ValidationError(refusals)
    replica = ReplicaSession(
        uuid=data.uuid,
        group=group,
        reported_by=actor,
        held_on=data.held_on,
        duration_minutes=data.duration_minutes,
        place=data.place.strip(),
        notes=data.notes.strip(),
        content_digest=digest,
        origin=data.origin,
        device_time=data.device_time,
        **data.counts,
    )
    replica.full_clean(exclude=["group", "reported_by", "photo"], validate_unique=False)
    if photo is not None:
        replica.photo.save(photo.content.name, photo.content, save=False)
    replica.save()
    replica.sessions.set(data.session_ids)
    ReplicaAttendee.objects.bulk_create(
        [ReplicaAttendee(replica=replica, full_name=name) for name in data.attendees]
    )
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.CREATE,
        instance=replica,
        site=group.cem.site_id,
        after=_snapshot(replica, many_to_many=("sessions",)) | {"attendees": len(data.attendees)},
        origin=data.origin,
        device_time=data.device_time,
    )
    return Recorded(replica=replica, replayed=False)


# --- Verification ------------------------------------------------------------------------------


def _review(*, actor, replica: ReplicaSession, status: str, reason: str = "") -> ReplicaSession:
    replica = (
        access.manageable(actor, ReplicaSession)
        .select_for_update(of=("self",))
        .select_related("group__cem")
        .get(pk=replica.pk)
    )
    if replica.group.activist_id == actor.pk or replica.reported_by_id == actor.pk:
        raise ValidationError(_("Someone else must verify the sessions you reported."))
    if replica.status == status and replica.return_reason == reason:
        return replica
    before = _snapshot(replica)
    replica.status, replica.return_reason = status, reason
    replica.reviewed_by, replica.reviewed_at = actor, timezone.now()
    replica.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.UPDATE,
        instance=replica,
        site=replica.group.cem.site_id,
        before=before,
        after=_snapshot(replica),
    )
    return replica


@transaction.atomic
def replica_verify(*, actor: AbstractBaseUser, replica: ReplicaSession) -> ReplicaSession:
    """The CEM staff of the group's site confirm the session took place as reported. Once the
    transaction commits, the facilitators' certificates whose practice this completes are
    issued (a closed cohort's close already issued everyone else)."""
    replica = _review(actor=actor, replica=replica, status=ReplicaSession.Status.VERIFIED)
    group = replica.group
    for person_id in [group.activist_id, *group.co_facilitators.values_list("pk", flat=True)]:
        tasks.issue_after_practice.enqueue_after_commit(person_id)
    return replica


@transaction.atomic
def replica_return(
    *, actor: AbstractBaseUser, replica: ReplicaSession, reason: str
) -> ReplicaSession:
    """Sent back to the activist with a reason; it no longer counts until verified."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the activist should correct.")})
    return _review(
        actor=actor, replica=replica, status=ReplicaSession.Status.RETURNED, reason=reason
    )
