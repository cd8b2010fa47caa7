"""The per-role dashboard at /panel/: sections per role, scope, privacy and query counts."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.analytics.cache import responses_changed
from assessments.analytics.selectors import Grouping, analytics_report_for
from assessments.instruments.files import instrument_import
from assessments.instruments.scoring import ScoringKey
from assessments.models import Response
from assessments.questionnaires.services import research_consent_decide
from certificates.issuance.selectors import cohort_eligibility
from certificates.issuance.services import certificate_revoke, certificates_issue, cohort_close
from certificates.models import Certificate
from courses.models import Cohort, CoursePage, Enrollment
from lms.research_codes import research_code_of
from lms.roles import Role
from tests.factories import (
    CEMFactory,
    CohortFactory,
    EnrollmentFactory,
    SessionDeliveryFactory,
    SessionPageFactory,
    UserFactory,
    hold_sessions,
    person,
    site,
)
from tests.helpers import EXAMPLE_INSTRUMENT, submit_response

VMT, AQP = "villa-maria-del-triunfo", "arequipa"
SECTIONS = ("dash-activist", "dash-trainer", "dash-coordinator", "dash-accreditor")


# ----------------------------------------------------------------------------- data


@pytest.fixture
def world(course):
    """A four-session course with a questionnaire, a CEM at Villa María del Triunfo and one at
    Arequipa, and one person of each role. Cohorts are added with :func:`grow`."""
    instrument = instrument_import(EXAMPLE_INSTRUMENT.read_bytes())
    course.pre_instrument = course.post_instrument = instrument
    course.save()
    vmt = CEMFactory(site=site(VMT), name="CEM Villa María")
    aqp = CEMFactory(site=site(AQP), name="CEM Arequipa")
    return SimpleNamespace(
        course=course,
        sessions=[SessionPageFactory(parent=course, number=n) for n in range(1, 5)],
        instrument=instrument,
        key=ScoringKey.for_instrument(instrument),
        codes=list(instrument.items.values_list("code", flat=True)),
        vmt=vmt,
        aqp=aqp,
        trainer=person(Role.TRAINER, cem=vmt),
        aqp_trainer=person(Role.TRAINER, cem=aqp),
        coordinator=person(Role.COORDINATOR, site_=site(VMT)),
        national=person(Role.COORDINATOR),
        accreditor=person(Role.ACCREDITOR),
        serial=0,
    )


def _name(world, enrollment) -> None:
    """Unique, recognisable names, so that a page showing someone is unambiguous."""
    world.serial += 1
    User.objects.filter(pk=enrollment.activist_id).update(
        first_name=f"Nombre{world.serial:03d}", last_name=f"Apellido{world.serial:03d}"
    )
    enrollment.activist.refresh_from_db()


def submit(world, enrollment, wave: str, value: int) -> Response:
    return submit_response(
        instrument=world.instrument,
        key=world.key,
        cohort=enrollment.cohort,
        code=research_code_of(enrollment.activist.profile),
        wave=wave,
        answers=dict.fromkeys(world.codes, value),
    )


def running_cohort(world, size: int, *, cem=None, trainer=None, name=None) -> Cohort:
    """Two sessions held (the first activist absent twice: flagged; the others present, then
    late), one earlier today or before still to record, one next week. Every activist sent
    the entry questionnaire, all but the first the exit one."""
    cohort = CohortFactory(
        course=world.course,
        cem=cem or world.vmt,
        trainers=[trainer or world.trainer],
        **({"name": name} if name else {}),
    )
    enrollments = [EnrollmentFactory(cohort=cohort) for _ in range(size)]
    for enrollment in enrollments:
        _name(world, enrollment)
    hold_sessions(
        cohort,
        world.sessions[:2],
        {e: ["A", "A"] if i == 0 else ["P", "L"] for i, e in enumerate(enrollments)},
        days_ago_start=20,
    )
    SessionDeliveryFactory(
        cohort=cohort,
        session=world.sessions[2],
        scheduled_at=timezone.now() - dt.timedelta(minutes=5),
        place="Parroquia",
    )
    SessionDeliveryFactory(
        cohort=cohort,
        session=world.sessions[3],
        scheduled_at=timezone.now() + dt.timedelta(days=7),
        place="Casa comunal Nueva Esperanza",
    )
    for i, enrollment in enumerate(enrollments):
        submit(world, enrollment, "pre", 3 + i % 2)
        if i:
            submit(world, enrollment, "post", 2)
    cohort.test_enrollments = enrollments
    return cohort


def closed_cohort(world, size: int, *, cem=None, also=()) -> Cohort:
    """Every session held months ago with everybody present, closed: certificates issued
    (their PDFs wait for a worker that never runs in a test transaction)."""
    cohort = CohortFactory(
        course=world.course,
        cem=cem or world.vmt,
        trainers=[world.trainer],
        start_date=timezone.localdate() - dt.timedelta(days=150),
        end_date=timezone.localdate() - dt.timedelta(days=90),
    )
    enrollments = [EnrollmentFactory(cohort=cohort, activist=a) for a in also]
    enrollments += [EnrollmentFactory(cohort=cohort) for _ in range(size)]
    for enrollment in enrollments[len(also) :]:
        _name(world, enrollment)
    hold_sessions(cohort, world.sessions, {e: ["P"] * 4 for e in enrollments}, days_ago_start=130)
    cohort_close(actor=world.national, cohort=cohort)
    cohort.refresh_from_db()
    return cohort


def small_world(world) -> dict:
    """1 running cohort × 3 activists, 1 closed cohort × 3, 1 planned cohort."""
    first = running_cohort(world, 3, name="Grupo Norte")
    closed_cohort(world, 3)
    CohortFactory(course=world.course, cem=world.vmt, status=Cohort.Status.PLANNED)
    return {"first": first, "activist": first.test_enrollments[1].activist}


def grow(world, made: dict) -> None:
    """To 3 running cohorts × 12 activists and more: the small world's people are unchanged
    but the activist also has an old completed course."""
    for enrollment in [EnrollmentFactory(cohort=made["first"]) for _ in range(9)]:
        _name(world, enrollment)
    running_cohort(world, 12)
    running_cohort(world, 12)
    running_cohort(world, 12, cem=world.aqp, trainer=world.aqp_trainer)
    closed_cohort(world, 12, also=[made["activist"]])
    closed_cohort(world, 5, cem=world.aqp)
    CohortFactory(course=world.course, cem=world.aqp, status=Cohort.Status.PLANNED)


def url() -> str:
    return reverse("home:dashboard")


def page(client, user):
    client.force_login(user)
    response = client.get(url())
    assert response.status_code == 200
    return response


# ----------------------------------------------------------------------------- access


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


def test_logging_in_lands_on_the_dashboard(client, world):
    response = client.post(
        reverse("login"), {"username": world.trainer.username, "password": "demo12345"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/panel/" == url()


def test_the_home_page_links_to_the_dashboard_once_logged_in(client, home_page, world):
    assert url() not in client.get("/").content.decode()
    client.force_login(world.trainer)
    assert f'href="{url()}"' in client.get("/").content.decode()


def test_a_user_without_a_role_is_told_so(client, db):
    html = page(client, UserFactory()).content.decode()
    assert not any(f'id="{section}"' in html for section in SECTIONS)
    assert 'id="main"' in html


# ----------------------------------------------------------------------------- activist


def test_the_activist_sees_their_course_progress_next_session_and_certificates(client, world):
    made = small_world(world)
    grow(world, made)  # the old closed course brings a certificate
    activist = made["activist"]
    response = page(client, activist)
    html = response.content.decode()
    section = response.context["dashboard"].activist
    assert response.context["dashboard"].sections == 1

    current = next(c for c in section.courses if c.cohort == made["first"])
    # 2 held (present, late), 1 waiting to be recorded, 1 next week: 2 of 4, 80 % needs 4.
    assert (current.attendance.attended, current.attendance.scheduled) == (2, 4)
    assert current.needed == 2 and current.reachable
    assert current.next_delivery.session == world.sessions[3]
    assert world.sessions[3].get_url() in html
    assert "Casa comunal Nueva Esperanza" in html
    assert [q.wave for q in current.questionnaires] == ["pre", "post"]
    assert 'class="questionnaires"' in html
    assert reverse("courses:enrollment_detail", args=[current.enrollment.pk]) in html

    old = next(c for c in section.courses if c.cohort != made["first"])
    assert old.enrollment.status == Enrollment.Status.COMPLETED
    assert old.questionnaires == []  # closed months ago: nothing can be due
    [certificate] = section.certificates
    assert reverse("certificates:download", args=[certificate.code]) in html
    assert reverse("certificates:verify", args=[certificate.code]) in html

    for section_id in SECTIONS[1:]:
        assert f'id="{section_id}"' not in html


def test_the_activist_never_sees_anybody_elses_name(client, world):
    made = small_world(world)
    activist = made["activist"]
    others = User.objects.exclude(pk=activist.pk)
    for other in others:  # tokens no page text can contain by chance
        other.first_name, other.last_name = f"Otra{other.pk:05d}", f"Persona{other.pk:05d}x"
        other.save(update_fields=["first_name", "last_name"])
    html = page(client, activist).content.decode()
    assert activist.get_full_name() in html  # "signed in as"
    assert others.count() > 5
    for other in others:
        assert other.first_name not in html and other.last_name not in html


# ----------------------------------------------------------------------------- trainer


def test_the_trainer_sees_sessions_to_record_and_attendance_flags(client, world):
    made = small_world(world)
    other = running_cohort(world, 4, cem=world.aqp, trainer=world.aqp_trainer, name="Grupo Misti")
    response = page(client, world.trainer)
    html = response.content.decode()
    section = response.context["dashboard"].trainer

    first = made["first"]
    assert [c.cohort for c in section.cohorts] == [first]  # the closed one is not open
    [to_record] = section.to_log
    assert to_record.cohort == first and to_record.session == world.sessions[2]
    assert reverse("courses:attendance_sheet", args=[first.pk, to_record.pk]) in html

    [flag] = section.cohorts[0].flagged
    absent = first.test_enrollments[0]
    assert flag.enrollment == absent and flag.absence_streak == 2
    assert absent.activist.get_full_name() in html
    assert first.test_enrollments[1].activist.last_name not in html  # only flags are named

    assert other.name not in html
    assert other.test_enrollments[0].activist.last_name not in html
    assert 'id="dash-coordinator"' not in html and 'id="dash-activist"' not in html


def test_a_session_of_tomorrow_is_not_yet_to_record(client, world):
    cohort = CohortFactory(course=world.course, cem=world.vmt, trainers=[world.trainer])
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    SessionDeliveryFactory(cohort=cohort, session=world.sessions[0], scheduled_at=tomorrow)
    assert page(client, world.trainer).context["dashboard"].trainer.to_log == []


# ----------------------------------------------------------------------------- coordinator


def test_the_site_coordinator_sees_their_site_only(client, world):
    made = small_world(world)
    misti = running_cohort(world, 6, cem=world.aqp, trainer=world.aqp_trainer, name="Grupo Misti")
    closed_cohort(world, 2, cem=world.aqp)
    response = page(client, world.coordinator)
    html = response.content.decode()
    section = response.context["dashboard"].coordinator

    assert section.site == site(VMT)
    assert section.status_counts == {"running": 1, "planned": 1, "closed": 1}
    [row] = section.running
    assert row.cohort == made["first"]
    # 3 sessions to date (2 held, 1 not recorded) × 3 activists; 0 + 2 + 2 attended.
    assert (row.sessions_to_date, row.unlogged, row.attended, row.expected) == (3, 1, 4, 9)
    assert round(row.attendance_rate) == 44
    assert (row.entry_submitted, row.exit_submitted, row.enrolled) == (3, 2, 3)
    assert reverse("courses:cohort_detail", args=[made["first"].pk]) in html
    assert "Grupo Norte" in html
    assert misti.name not in html
    assert "Arequipa" not in html
    for enrollment in made["first"].test_enrollments:  # figures, never names
        assert enrollment.activist.last_name not in html

    # The closed cohort's certificates wait for their PDFs; nobody is left to issue.
    [pending] = section.certificates_pending
    assert (pending.to_issue, pending.pdf_pending) == (0, 3)
    assert reverse("certificates:cohort", args=[pending.cohort.pk]) in html

    [headline] = section.headlines
    assert headline.instrument == world.instrument and headline.suppressed  # 2 pairs < 5
    assert reverse("assessments:analytics") in html
    assert 'id="dash-trainer"' not in html and 'id="dash-activist"' not in html


def test_national_coordinators_and_superusers_see_every_site(client, world):
    small_world(world)
    misti = running_cohort(world, 6, cem=world.aqp, trainer=world.aqp_trainer, name="Grupo Misti")
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for user in (world.national, superuser):
        response = page(client, user)
        section = response.context["dashboard"].coordinator
        assert section.site is None
        assert {r.cohort.name for r in section.running} == {"Grupo Norte", "Grupo Misti"}
        assert misti.name in response.content.decode()
        # 2 + 5 complete pairs in scope: the headline is the analytics page's overall row.
        [headline] = section.headlines
        report = analytics_report_for(
            user, instrument=world.instrument, subscale=None, grouping=Grouping.SITE
        )
        assert not headline.suppressed
        assert headline.change.n_pairs == report.overall.result.change.n_pairs == 7
        assert headline.change.mean_diff == pytest.approx(report.overall.result.change.mean_diff)
    assert response.context["dashboard"].activist is None  # the superuser has no role


def test_certificates_pending_agree_with_the_cohort_certificates_page(client, world):
    """Required session, required entry questionnaire, a refusal, a withdrawal, a revoked
    certificate and a missing PDF: the dashboard counts what cohort_eligibility decides."""
    course = world.course
    course.require_pre_questionnaire = True
    course.required_sessions.set([world.sessions[1]])
    course.save()
    course = CoursePage.objects.get(pk=course.pk)  # the stored relation, not the in-memory one
    cohort = CohortFactory(course=course, cem=world.vmt, trainers=[world.trainer])
    e = [EnrollmentFactory(cohort=cohort) for _ in range(7)]
    hold_sessions(
        cohort,
        world.sessions,
        {
            e[0]: ["P", "P", "P", "P"],  # eligible, gets a certificate
            e[1]: ["P", "P", "P", "P"],  # eligible, revoked: not pending (re-issue is deliberate)
            e[2]: ["P", "A", "P", "P"],  # 75 % and missed the required session
            e[3]: ["P", "E", "P", "P"],  # excused does not count for this course
            e[4]: ["P", "L", "P", "P"],  # eligible, no entry questionnaire, but refused
            e[5]: ["P", "P", "P", "P"],  # no entry questionnaire: not eligible
            e[6]: ["P", "P", "P", "P"],  # eligible, no certificate yet
        },
    )
    for enrollment in (e[0], e[1], e[2], e[3], e[6]):
        submit(world, enrollment, "pre", 3)
    research_consent_decide(enrollment=e[4], accepted=False)
    certificates_issue(actor=world.national, cohort=cohort, enrollment_ids=[e[0].pk, e[1].pk])
    certificate_revoke(
        actor=world.national,
        certificate=Certificate.objects.get(enrollment=e[1]),
        reason="Error en el nombre",
    )
    withdrawn = EnrollmentFactory(cohort=cohort, status=Enrollment.Status.WITHDRAWN)

    rows = cohort_eligibility(cohort)
    expected = sum(1 for r in rows if r.eligible and not r.certificate)
    assert {r.enrollment for r in rows if r.eligible} == {e[0], e[1], e[4], e[6]}
    assert withdrawn not in {r.enrollment for r in rows if r.eligible}

    [pending] = (
        page(client, world.coordinator).context["dashboard"].coordinator.certificates_pending
    )
    assert pending.cohort == cohort
    assert pending.to_issue == expected == 2
    assert pending.pdf_pending == sum(1 for r in rows if r.pending_pdf) == 1


# ----------------------------------------------------------------------------- accreditor


def test_the_accreditor_sees_completion_per_course_and_the_evidence_links(client, world):
    made = small_world(world)
    withdrawn = made["first"].test_enrollments[2]
    Enrollment.objects.filter(pk=withdrawn.pk).update(status=Enrollment.Status.WITHDRAWN)
    closed = Cohort.objects.get(status=Cohort.Status.CLOSED)
    certificate_revoke(
        actor=world.national,
        certificate=Certificate.objects.filter(enrollment__cohort=closed).first(),
        reason="Duplicado",
    )
    response = page(client, world.accreditor)
    html = response.content.decode()
    [row] = response.context["dashboard"].accreditor.courses
    assert row.title == world.course.title
    assert (row.cohorts, row.closed) == (3, 1)
    assert (row.enrolled, row.completed, row.withdrawn) == (6, 3, 1)
    assert (row.valid, row.revoked) == (2, 1)
    assert f'href="{reverse("accreditation:index")}"' in html
    assert f'href="{reverse("audit_log")}"' in html
    assert withdrawn.activist.last_name not in html
    for section_id in SECTIONS[:3]:
        assert f'id="{section_id}"' not in html


# ----------------------------------------------------------------------------- several roles


def test_a_coordinator_who_also_trains_sees_both_sections(client, world):
    made = small_world(world)
    both = person(Role.COORDINATOR, site_=site(VMT))
    both.groups.add(*world.trainer.groups.all())
    made["first"].trainers.add(both)
    dashboard = page(client, both).context["dashboard"]
    assert dashboard.trainer and dashboard.coordinator
    assert not (dashboard.activist or dashboard.accreditor)
    assert [c.cohort for c in dashboard.trainer.cohorts] == [made["first"]]


# ----------------------------------------------------------------------------- queries


def _queries(client, user) -> int:
    client.force_login(user)
    client.get(url())  # first use creates the attendance rules row and fills caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url())
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "role", ["activist", "trainer", "coordinator", "national", "superuser", "accreditor"]
)
def test_queries_do_not_grow_with_the_data(client, world, role, django_assert_num_queries):
    made = small_world(world)
    user = {
        "activist": made["activist"],
        "trainer": world.trainer,
        "coordinator": world.coordinator,
        "national": world.national,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "accreditor": world.accreditor,
    }[role]
    small = _queries(client, user)
    grow(world, made)
    assert Enrollment.objects.count() > 60
    with django_assert_num_queries(small):
        response = client.get(url())
    assert response.status_code == 200
    print(f"{role}: {small} queries")


# The analysis reads every response's answers; nothing else on the dashboard does.
ANSWERS = '"assessments_response"."answers"'


def test_the_pre_post_headline_is_cached_until_a_response_is_submitted(
    client, world, django_capture_on_commit_callbacks
):
    made = small_world(world)

    def visit() -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as ctx:
            response = page(client, world.coordinator)
        [headline] = response.context["dashboard"].coordinator.headlines
        return headline.n_participants, [q["sql"] for q in ctx.captured_queries]

    first, _sql = visit()
    again, sql = visit()
    assert again == first == 3
    assert not any(ANSWERS in q for q in sql)  # the analysis is not redone
    newcomer = EnrollmentFactory(cohort=made["first"])
    submit(world, newcomer, "pre", 4)
    with django_capture_on_commit_callbacks(execute=True):
        responses_changed()  # what submitting, withdrawing or deleting a response does
    after, sql = visit()
    assert after == 4 and any(ANSWERS in q for q in sql)
