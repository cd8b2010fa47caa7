"""What the training cascade holds about a person (the community groups she runs or co-runs,
the replica sessions she reported or that were held with her groups, their photos) and how it
is erased. See :mod:`lms.datarights.registry`.

Erasure keeps the sessions and their counts (the programme's reach is reported from them)
under her pseudonymised account, deletes their evidence photos (files in the media storage: a
photo may show her and her community) and takes her identifiers out of every free text: group
names, places, notes, reasons for returning a session and named attendance lists.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.cascade.models import CommunityGroup, ReplicaAttendee, ReplicaSession
from lms.datarights.registry import Erasure, PersonalData, register
from lms.datarights.subject import Subject


def _her_groups(subject: Subject):
    user = subject.user
    return CommunityGroup.objects.filter(Q(activist=user) | Q(co_facilitators=user)).distinct()


def _groups(subject: Subject) -> list[dict]:
    groups = _her_groups(subject).select_related("district", "cem", "course").order_by("pk")
    return [
        {
            "name": g.name,
            "role": _("Runs it") if g.activist_id == subject.user.pk else _("Co-facilitator"),
            "kind": g.get_kind_display(),
            "district": str(g.district),
            "cem": g.cem.name,
            "course": g.course.title,
            "start_date": g.start_date,
            "members_consented": g.members_consented,
        }
        for g in groups
    ]


def _group_objects(subject: Subject):
    return [(CommunityGroup, _her_groups(subject).values_list("pk", flat=True))]


def _unique_name(group: CommunityGroup, name: str) -> str:
    """Scrubbing may make two of her groups' names equal; they must stay distinct."""
    taken = CommunityGroup.objects.filter(activist_id=group.activist_id, name=name)
    return f"{name} ({group.pk})" if taken.exclude(pk=group.pk).exists() else name


def _groups_erase(erasure: Erasure) -> dict[str, int]:
    subject = erasure.subject
    renamed = 0
    for group in CommunityGroup.objects.filter(activist=subject.user):
        name = subject.scrub(group.name)
        if name != group.name:
            CommunityGroup.objects.filter(pk=group.pk).update(name=_unique_name(group, name))
            renamed += 1
    return {"community_group_names": renamed}


register(
    PersonalData(
        key="courses.cascade_groups",
        title=_("Your community groups"),
        order=240,
        fields={
            "name": _("Group"),
            "role": _("Your part"),
            "kind": _("Kind of group"),
            "district": _("District"),
            "cem": _("CEM"),
            "course": _("Course whose sessions it uses"),
            "start_date": _("Start date"),
            "members_consented": _("The members agreed to be listed by name"),
        },
        collect=_groups,
        objects=_group_objects,
        erase=_groups_erase,
    )
)


def _her_replicas(subject: Subject):
    user = subject.user
    return ReplicaSession.objects.filter(
        Q(reported_by=user) | Q(group__activist=user) | Q(group__co_facilitators=user)
    ).distinct()


def _replicas(subject: Subject) -> list[dict]:
    replicas = (
        _her_replicas(subject)
        .select_related("group", "reported_by", "reviewed_by")
        .prefetch_related("sessions", "attendees")
        .order_by("held_on", "pk")
    )
    return [
        {
            "group": r.group.name,
            "held_on": r.held_on,
            "duration_minutes": r.duration_minutes,
            "place": r.place,
            "sessions": [s.title for s in r.sessions.all()],
            "participants": r.participants,
            "first_timers": r.first_timers,
            "named_attendees": len(r.attendees.all()),
            "notes": r.notes,
            "photo": bool(r.photo),
            "status": r.get_status_display(),
            "reported_by": _person(r.reported_by),
            "reviewed_by": _person(r.reviewed_by),
            "reviewed_at": r.reviewed_at,
            "return_reason": r.return_reason,
            "received_at": r.received_at,
        }
        for r in replicas
    ]


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _replica_objects(subject: Subject):
    return [(ReplicaSession, _her_replicas(subject).values_list("pk", flat=True))]


def _replicas_erase(erasure: Erasure) -> dict[str, int]:
    """Sessions and counts stay; photos go, files included; her identifiers leave the texts
    and every named attendance list (hers or anybody's)."""
    subject = erasure.subject
    photos = 0
    for replica in _her_replicas(subject).exclude(photo=""):
        replica.photo.delete(save=False)  # the file, from the media storage
        ReplicaSession.objects.filter(pk=replica.pk).update(photo="")
        photos += 1
    texts = subject.scrub_rows(_her_replicas(subject), ("place", "notes", "return_reason"))
    candidates = Q(pk__in=[])
    for value in subject.identifiers():
        candidates |= Q(full_name__icontains=value)
    named = subject.scrub_rows(ReplicaAttendee.objects.filter(candidates), ("full_name",))
    return {"replica_photos": photos, "replica_texts": texts, "named_attendees": named}


register(
    PersonalData(
        key="courses.cascade_replicas",
        title=_("Replica sessions"),
        order=250,
        fields={
            "group": _("Community group"),
            "held_on": _("Date"),
            "duration_minutes": _("Duration (minutes)"),
            "place": _("Place"),
            "sessions": _("Curriculum sessions used"),
            "participants": _("Participants"),
            "first_timers": _("Taking part for the first time"),
            "named_attendees": _("Names on the attendance list"),
            "notes": _("Notes"),
            "photo": _("Evidence photo"),
            "status": _("Status"),
            "reported_by": _("Reported by"),
            "reviewed_by": _("Reviewed by"),
            "reviewed_at": _("Reviewed at"),
            "return_reason": _("Reason for returning it"),
            "received_at": _("Received at"),
        },
        collect=_replicas,
        objects=_replica_objects,
        erase=_replicas_erase,
        note=_(
            "The names on an attendance list are those of your group's members, kept only when "
            "they agreed: they are counted here, not copied."
        ),
    )
)
