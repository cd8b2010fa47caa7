"""Supervised practice: a course may require each activist to run, with a community group of
the training cascade, a number of replica sessions (or hours of them) that the CEM staff of her
site verified, within a number of days of the cohort's last session.

A replica counts for an enrollment when the activist facilitates or co-facilitates its group,
the group uses the cohort's course, the session was verified and it was held between the
cohort's start and the deadline. Courses that require no practice cost no query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certificates.completion.base import Check, Requirement
from courses.models import CommunityGroup, CoursePage, Enrollment, ReplicaSession

COUNTED = (ReplicaSession.Status.VERIFIED, ReplicaSession.Status.PENDING)


@dataclass(frozen=True)
class _Replica:
    course_id: int
    held_on: date
    minutes: int
    verified: bool


@dataclass(frozen=True)
class _Practice:
    # person id → replicas of her groups and of those she co-facilitates
    replicas: dict[int, list[_Replica]]
    deadlines: dict[int, date]  # cohort id → last day that counts


@dataclass(frozen=True, kw_only=True)
class PracticeCheck(Check):
    required: int  # 0: the course requires no practice
    unit: str  # CoursePage.PracticeUnit
    done: int = 0  # verified sessions, or whole hours of them
    pending: int = 0  # sessions waiting for verification
    deadline: date | None = None

    @property
    def progress(self) -> tuple[str, ...]:
        if not self.required:
            return ()
        values = {
            "done": self.done,
            "required": self.required,
            "deadline": formats.date_format(self.deadline, "DATE_FORMAT"),
        }
        if self.unit == CoursePage.PracticeUnit.HOURS:
            line = _(
                "Supervised practice: %(done)s of %(required)s hours of verified replica "
                "sessions, by %(deadline)s."
            )
        else:
            line = _(
                "Supervised practice: %(done)s of %(required)s verified replica sessions, "
                "by %(deadline)s."
            )
        lines = [line % values]
        if self.pending:
            lines.append(
                ngettext(
                    "%(count)s more waits for verification by the CEM.",
                    "%(count)s more wait for verification by the CEM.",
                    self.pending,
                )
                % {"count": self.pending}
            )
        return tuple(lines)


def _deadline(cohort, deliveries, course: CoursePage) -> date:
    last = max(
        (timezone.localdate(d.scheduled_at) for d in deliveries),
        default=cohort.end_date,
    )
    return last + timedelta(days=course.practice_days)


class SupervisedPractice(Requirement):
    code = "practice"

    def load(self, inputs) -> _Practice:
        courses = {pk for pk, course in inputs.courses.items() if course.requires_practice}
        enrollments = [e for e in inputs.enrollments if inputs.course_of(e).pk in courses]
        if not enrollments:
            return _Practice(replicas={}, deadlines={})
        deadlines = {
            cohort.pk: _deadline(cohort, inputs.deliveries.get(cohort.pk, ()), cohort.course)
            for cohort in inputs.cohorts.values()
            if cohort.course_id in courses
        }
        people = {e.activist_id for e in enrollments}
        earliest = min(inputs.cohorts[e.cohort_id].start_date for e in enrollments)
        co_facilitating = CommunityGroup.co_facilitators.through.objects.filter(
            user_id__in=people, communitygroup__course_id__in=courses
        ).values_list("communitygroup_id", "user_id")
        shared: dict[int, set[int]] = defaultdict(set)
        for group_id, person_id in co_facilitating:
            shared[group_id].add(person_id)
        replicas: dict[int, list[_Replica]] = defaultdict(list)
        for (
            group_id,
            owner_id,
            course_id,
            held_on,
            minutes,
            status,
        ) in ReplicaSession.objects.filter(
            Q(group__activist_id__in=people) | Q(group_id__in=list(shared)),
            group__course_id__in=courses,
            status__in=COUNTED,
            held_on__gte=earliest,
        ).values_list(
            "group_id",
            "group__activist_id",
            "group__course_id",
            "held_on",
            "duration_minutes",
            "status",
        ):
            replica = _Replica(
                course_id, held_on, minutes, status == ReplicaSession.Status.VERIFIED
            )
            for person_id in {owner_id} | shared.get(group_id, set()):
                replicas[person_id].append(replica)
        return _Practice(replicas=replicas, deadlines=deadlines)

    def check(self, enrollment: Enrollment, inputs, loaded: _Practice) -> PracticeCheck:
        course = inputs.course_of(enrollment)
        if not course.requires_practice:
            return PracticeCheck(requirement=self.code, met=True, required=0, unit="")
        cohort = inputs.cohorts[enrollment.cohort_id]
        deadline = loaded.deadlines[cohort.pk]
        counted = [
            r
            for r in loaded.replicas.get(enrollment.activist_id, ())
            if r.course_id == course.pk and cohort.start_date <= r.held_on <= deadline
        ]
        verified = [r for r in counted if r.verified]
        if course.practice_unit == CoursePage.PracticeUnit.HOURS:
            done = sum(r.minutes for r in verified) // 60
            met = sum(r.minutes for r in verified) >= course.practice_amount * 60
            reason = _(
                "Has %(done)s of the %(required)s hours of verified replica sessions required "
                "(until %(deadline)s)."
            )
        else:
            done = len(verified)
            met = done >= course.practice_amount
            reason = _(
                "Has run %(done)s of the %(required)s verified replica sessions required "
                "(until %(deadline)s)."
            )
        values = {
            "done": done,
            "required": course.practice_amount,
            "deadline": formats.date_format(deadline, "DATE_FORMAT"),
        }
        return PracticeCheck(
            requirement=self.code,
            met=met,
            reasons=() if met else (reason % values,),
            required=course.practice_amount,
            unit=course.practice_unit,
            done=done,
            pending=len(counted) - len(verified),
            deadline=deadline,
        )

    def sentences(self, course: CoursePage, loaded) -> list[str]:
        if not course.requires_practice:
            return []
        values = {"count": course.practice_amount, "days": course.practice_days}
        if course.practice_unit == CoursePage.PracticeUnit.HOURS:
            sentence = ngettext(
                "Supervised practice: %(count)s hour of replica sessions with a community "
                "group, verified by the CEM, within %(days)s days of the cohort's last session.",
                "Supervised practice: %(count)s hours of replica sessions with a community "
                "group, verified by the CEM, within %(days)s days of the cohort's last session.",
                course.practice_amount,
            )
        else:
            sentence = ngettext(
                "Supervised practice: %(count)s replica session with a community group, "
                "verified by the CEM, within %(days)s days of the cohort's last session.",
                "Supervised practice: %(count)s replica sessions with a community group, "
                "verified by the CEM, within %(days)s days of the cohort's last session.",
                course.practice_amount,
            )
        return [sentence % values]
