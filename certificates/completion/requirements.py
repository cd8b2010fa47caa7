"""The requirements of the certificate. Each one reads its facts for many cohorts at once
(:meth:`Requirement.load`, a fixed number of queries), judges one enrollment from them
(:meth:`Requirement.check`) and states itself in sentences (:meth:`Requirement.sentences`).

The rule, and the order in which reasons are given, is :data:`REQUIREMENTS`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import ResearchConsent, Response, Wave
from certificates.completion.base import Check, Requirement
from certificates.completion.practice import SupervisedPractice
from courses.models import AttendanceRecord, CoursePage, Enrollment, SessionDelivery
from courses.selectors.delivery import AttendanceSummary
from lms.research_codes import research_codes_of_people

# --- Still enrolled ----------------------------------------------------------------------------


class StillEnrolled(Requirement):
    code = "enrolled"

    def check(self, enrollment, inputs, loaded) -> Check:
        withdrawn = enrollment.status == Enrollment.Status.WITHDRAWN
        return Check(
            requirement=self.code,
            met=not withdrawn,
            reasons=(_("Withdrew from the cohort."),) if withdrawn else (),
        )

    def sentences(self, course, loaded) -> list[str]:
        return [_("Stay enrolled in the cohort (whoever withdraws does not complete it).")]


# --- Minimum attendance ------------------------------------------------------------------------


def status_labels(codes: str) -> list[str]:
    return [str(AttendanceRecord.Status(code).label) for code in codes]


@dataclass(frozen=True, kw_only=True)
class AttendanceCheck(Check):
    attendance: AttendanceSummary
    required_percent: int
    counted: frozenset[str]
    deliveries: tuple[SessionDelivery, ...]  # the cohort's scheduled and held ones, in order

    @property
    def needed(self) -> int:
        """Sessions still to attend to reach the minimum (0 once reached)."""
        return self.attendance.needed_for(self.required_percent)

    @property
    def reachable(self) -> bool:
        """Whether the sessions still to come are enough to reach the minimum."""
        return self.needed <= self.attendance.remaining

    @property
    def attended_sessions(self) -> list[int]:
        """Numbers of the sessions whose mark counts toward completion."""
        statuses = self.attendance.statuses
        return [d.session.number for d in self.deliveries if statuses.get(d.pk) in self.counted]

    @property
    def progress(self) -> tuple[str, ...]:
        summary, minimum = self.attendance, self.required_percent
        if not summary.scheduled:
            return ()
        values = {
            "attended": summary.attended,
            "counter": summary.scheduled,
            "needed": self.needed,
            "min": minimum,
        }
        if not self.needed:
            sentence = ngettext(
                "You have attended %(attended)s of %(counter)s session: you have reached the "
                "%(min)s %% you need.",
                "You have attended %(attended)s of %(counter)s sessions: you have reached the "
                "%(min)s %% you need.",
                summary.scheduled,
            )
        elif self.reachable:
            sentence = ngettext(
                "You have attended %(attended)s of %(counter)s session; you need to attend "
                "%(needed)s more to reach %(min)s %%.",
                "You have attended %(attended)s of %(counter)s sessions; you need to attend "
                "%(needed)s more to reach %(min)s %%.",
                summary.scheduled,
            )
        else:
            sentence = ngettext(
                "You have attended %(attended)s of %(counter)s session. Even attending every "
                "remaining session you would not reach %(min)s %%: talk to your facilitator.",
                "You have attended %(attended)s of %(counter)s sessions. Even attending every "
                "remaining session you would not reach %(min)s %%: talk to your facilitator.",
                summary.scheduled,
            )
        return (sentence % values,)


class MinimumAttendance(Requirement):
    """A share of *all* the cohort's scheduled sessions (not cancelled, future ones included),
    counting only the statuses the course counts."""

    code = "attendance"

    def check(self, enrollment, inputs, loaded) -> AttendanceCheck:
        course = inputs.course_of(enrollment)
        summary = inputs.attendance[enrollment.pk]
        minimum = course.min_attendance_percent
        met = bool(summary.scheduled) and summary.attended * 100 >= minimum * summary.scheduled
        reason = _(
            "Attended %(attended)s of %(scheduled)s sessions (%(percent).0f%%); "
            "%(required)s%% is required."
        ) % {
            "attended": summary.attended,
            "scheduled": summary.scheduled,
            "percent": summary.percent,
            "required": minimum,
        }
        return AttendanceCheck(
            requirement=self.code,
            met=met,
            reasons=() if met else (reason,),
            attendance=summary,
            required_percent=minimum,
            counted=frozenset(course.counted_statuses),
            deliveries=tuple(inputs.deliveries.get(enrollment.cohort_id, ())),
        )

    def sentences(self, course, loaded) -> list[str]:
        return [
            _(
                "Attend at least %(percent)s%% of all scheduled sessions of the cohort (not "
                "cancelled), future ones included."
            )
            % {"percent": course.min_attendance_percent},
            _("Statuses that count: %(statuses)s.")
            % {"statuses": ", ".join(status_labels(course.counted_statuses))},
        ]


# --- Sessions that must be attended ------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RequiredSessionsCheck(Check):
    required: tuple[str, ...]  # titles of the course's required sessions scheduled here
    missed: tuple[str, ...]  # those whose mark does not count (yet)


class RequiredSessions(Requirement):
    """Sessions the course names must be attended, where the cohort schedules them."""

    code = "required_sessions"

    def load(self, inputs) -> dict[int, list[tuple[int, str]]]:
        """Course id → [(session id, title)] in session order."""
        through = CoursePage.required_sessions.through
        required: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for course_id, session_id, title in (
            through.objects.filter(coursepage_id__in=list(inputs.courses))
            .order_by("sessionpage__number", "sessionpage__path")
            .values_list("coursepage_id", "sessionpage_id", "sessionpage__title")
        ):
            required[course_id].append((session_id, title))
        return required

    def check(self, enrollment, inputs, loaded) -> RequiredSessionsCheck:
        course = inputs.course_of(enrollment)
        counted = frozenset(course.counted_statuses)
        statuses = inputs.attendance[enrollment.pk].statuses
        delivery_of = {d.session_id: d.pk for d in inputs.deliveries.get(enrollment.cohort_id, ())}
        required = [(delivery_of[s], title) for s, title in loaded[course.pk] if s in delivery_of]
        missed = tuple(title for d, title in required if statuses.get(d) not in counted)
        return RequiredSessionsCheck(
            requirement=self.code,
            met=not missed,
            reasons=tuple(_("Must attend the session “%(title)s”.") % {"title": t} for t in missed),
            required=tuple(title for _delivery, title in required),
            missed=missed,
        )

    def sentences(self, course, loaded) -> list[str]:
        titles = [title for _session, title in loaded[course.pk]]
        if not titles:
            return []
        sentence = _("Sessions that must be attended: %(sessions)s.")
        return [sentence % {"sessions": "; ".join(titles)}]


# --- Questionnaires ----------------------------------------------------------------------------


def questionnaire_sentences(course: CoursePage) -> list[str]:
    sentences = []
    if course.require_pre_questionnaire:
        sentences.append(_("The entry questionnaire must be submitted."))
    if course.require_post_questionnaire:
        sentences.append(_("The exit questionnaire must be submitted."))
    return sentences


def refused(consent: ResearchConsent | None) -> bool:
    return bool(consent and consent.decision == ResearchConsent.Decision.REFUSED)


@dataclass(frozen=True, kw_only=True)
class QuestionnairesCheck(Check):
    """Only whether each wave was submitted: never the answers or the scores."""

    course: CoursePage
    entry_submitted: bool
    exit_submitted: bool
    consent: ResearchConsent | None  # the activist's decision about taking part

    @property
    def declined(self) -> bool:
        return refused(self.consent)

    @property
    def progress(self) -> tuple[str, ...]:
        return tuple(questionnaire_sentences(self.course))


@dataclass(frozen=True)
class _Questionnaires:
    codes: dict[int, str]  # activist id → research code
    submitted: set[tuple[int, str, str]]  # (cohort id, research code, wave)
    consents: dict[int, ResearchConsent]  # enrollment id → decision


class Questionnaires(Requirement):
    """The entry and exit questionnaires the course requires, submitted. Taking part is
    voluntary: a recorded refusal meets the requirement."""

    code = "questionnaires"

    def load(self, inputs) -> _Questionnaires:
        ids = [e.pk for e in inputs.enrollments]
        consents = ResearchConsent.objects.filter(enrollment_id__in=ids)
        return _Questionnaires(
            codes=research_codes_of_people({e.activist_id for e in inputs.enrollments}),
            submitted=set(
                Response.objects.filter(
                    cohort_id__in=list(inputs.cohorts), status=Response.Status.SUBMITTED
                ).values_list("cohort_id", "research_code", "wave")
            ),
            consents={consent.enrollment_id: consent for consent in consents},
        )

    def check(self, enrollment, inputs, loaded: _Questionnaires) -> QuestionnairesCheck:
        course = inputs.course_of(enrollment)
        code = loaded.codes.get(enrollment.activist_id)
        entry = (enrollment.cohort_id, code, Wave.PRE) in loaded.submitted
        exit_ = (enrollment.cohort_id, code, Wave.POST) in loaded.submitted
        consent = loaded.consents.get(enrollment.pk)
        reasons = []
        if not refused(consent):
            if course.require_pre_questionnaire and not entry:
                reasons.append(_("The entry questionnaire has not been submitted."))
            if course.require_post_questionnaire and not exit_:
                reasons.append(_("The exit questionnaire has not been submitted."))
        return QuestionnairesCheck(
            requirement=self.code,
            met=not reasons,
            reasons=tuple(reasons),
            course=course,
            entry_submitted=entry,
            exit_submitted=exit_,
            consent=consent,
        )

    def sentences(self, course, loaded) -> list[str]:
        sentences = questionnaire_sentences(course)
        if sentences:
            sentences.append(
                _("Whoever declined to answer the questionnaires is not held to this.")
            )
        return sentences


#: The certificate's requirements, in the order their reasons are given.
REQUIREMENTS: tuple[Requirement, ...] = (
    StillEnrolled(),
    MinimumAttendance(),
    RequiredSessions(),
    Questionnaires(),
    SupervisedPractice(),
)
