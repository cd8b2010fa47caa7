"""The coordinators' admin for cohorts, enrollments and session deliveries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import AttendanceRecord, Cohort, Enrollment, SessionDelivery
from lms.models import AuditLogEntry
from lms.roles import Role
from tests.factories import (
    AttendanceRecordFactory,
    CEMFactory,
    CohortFactory,
    EnrollmentFactory,
    SessionDeliveryFactory,
    UserFactory,
    person,
    site,
)
from tests.helpers import prefer_english


@pytest.fixture
def vmt(cohort_setup):
    return cohort_setup


@pytest.fixture
def arequipa(course):
    cem = CEMFactory(site=site("arequipa"), name="CEM Cerro Colorado")
    cohort = CohortFactory(course=course, cem=cem, name="Grupo Arequipa")
    enrollment = EnrollmentFactory(cohort=cohort)
    return {"cem": cem, "cohort": cohort, "enrollment": enrollment}


def names_in(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def audit_entries(instance, action):
    return AuditLogEntry.objects.filter(
        content_type__model=instance._meta.model_name, object_id=str(instance.pk), action=action
    )


# --- Who gets in -------------------------------------------------------------------------------


def test_a_site_coordinator_lists_only_their_sites_cohorts(client, vmt, arequipa, site_coordinator):
    client.force_login(prefer_english(site_coordinator))
    html = names_in(client.get(reverse("cohorts:index")))
    assert vmt["cohort"].name in html
    assert "Grupo Arequipa" not in html


def test_a_national_coordinator_lists_every_cohort_and_filters_by_site(
    client, vmt, arequipa, national_coordinator
):
    client.force_login(prefer_english(national_coordinator))
    html = names_in(client.get(reverse("cohorts:index")))
    assert vmt["cohort"].name in html
    assert "Grupo Arequipa" in html

    filtered = names_in(client.get(reverse("cohorts:index"), {"site": site("arequipa").pk}))
    assert "Grupo Arequipa" in filtered
    assert vmt["cohort"].name not in filtered

    searched = names_in(client.get(reverse("cohorts:index"), {"q": "Arequipa"}))
    assert "Grupo Arequipa" in searched
    assert vmt["cohort"].name not in searched


def test_cohorts_filter_by_status(client, vmt, arequipa, national_coordinator):
    Cohort.objects.filter(pk=arequipa["cohort"].pk).update(status=Cohort.Status.CLOSED)
    client.force_login(prefer_english(national_coordinator))
    html = names_in(client.get(reverse("cohorts:index"), {"status": "closed"}))
    assert "Grupo Arequipa" in html
    assert vmt["cohort"].name not in html


def test_another_sites_objects_answer_404(client, vmt, arequipa, session_page, site_coordinator):
    delivery = SessionDeliveryFactory(cohort=arequipa["cohort"], session=session_page)
    client.force_login(prefer_english(site_coordinator))
    for url in [
        reverse("cohorts:edit", args=[arequipa["cohort"].pk]),
        reverse("cohorts:delete", args=[arequipa["cohort"].pk]),
        reverse("cohorts:history", args=[arequipa["cohort"].pk]),
        reverse("cohorts:generate_schedule", args=[arequipa["cohort"].pk]),
        reverse("cohorts:import_roster", args=[arequipa["cohort"].pk]),
        reverse("enrollments:edit", args=[arequipa["enrollment"].pk]),
        reverse("session_deliveries:edit", args=[delivery.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    # And their own site's cohort opens.
    assert client.get(reverse("cohorts:edit", args=[vmt["cohort"].pk])).status_code == 200


def test_a_post_to_another_sites_cohort_changes_nothing(client, vmt, arequipa, site_coordinator):
    client.force_login(prefer_english(site_coordinator))
    cohort = arequipa["cohort"]
    response = client.post(reverse("cohorts:edit", args=[cohort.pk]), {"name": "Hackeado"})
    assert response.status_code == 404
    cohort.refresh_from_db()
    assert cohort.name == "Grupo Arequipa"


@pytest.mark.parametrize("role", [Role.ACCREDITOR, Role.TRAINER, Role.ACTIVIST])
def test_accreditors_trainers_and_activists_cannot_reach_the_admin(client, vmt, role):
    user = person(role, cem=vmt["cem"])
    assert not user.has_perm("wagtailadmin.access_admin")
    client.force_login(prefer_english(user))
    cohort = vmt["cohort"]
    for url in [
        reverse("wagtailadmin_home"),
        reverse("cohorts:index"),
        reverse("cohorts:edit", args=[cohort.pk]),
        reverse("enrollments:add"),
        reverse("session_deliveries:index"),
        reverse("cohorts:generate_schedule", args=[cohort.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    before = Cohort.objects.count()
    client.post(reverse("cohorts:add"), {"name": "No"})
    assert Cohort.objects.count() == before


def test_the_delivery_menu_shows_for_coordinators(client, vmt, site_coordinator):
    client.force_login(prefer_english(site_coordinator))
    html = names_in(client.get(reverse("wagtailadmin_home")))
    for label in ["Delivery", "Cohorts", "Enrollments", "Session deliveries", "CEMs"]:
        assert label in html


# --- Cohorts -----------------------------------------------------------------------------------


def cohort_form(course, cem, **changes):
    data = {
        "course": course.pk,
        "cem": cem.pk,
        "name": "Grupo nuevo",
        "start_date": "2026-03-02",
        "end_date": "2026-06-30",
        "capacity": "30",
        "status": "planned",
    }
    data.update(changes)
    return data


def test_a_site_coordinator_creates_a_cohort_only_at_their_site(
    client, course, vmt, arequipa, site_coordinator
):
    client.force_login(prefer_english(site_coordinator))
    form = names_in(client.get(reverse("cohorts:add")))
    assert vmt["cem"].name in form
    assert "CEM Cerro Colorado" not in form

    refused = client.post(reverse("cohorts:add"), cohort_form(course, arequipa["cem"]))
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert not Cohort.objects.filter(name="Grupo nuevo").exists()

    response = client.post(
        reverse("cohorts:add"),
        cohort_form(course, vmt["cem"], trainers=[vmt["trainer"].pk]),
    )
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Grupo nuevo")
    assert cohort.cem == vmt["cem"]
    assert list(cohort.trainers.all()) == [vmt["trainer"]]
    entry = audit_entries(cohort, "create").get()
    assert (entry.actor, entry.site_id) == (site_coordinator, vmt["cem"].site_id)
    assert entry.after["trainers"] == [vmt["trainer"].pk]


def test_trainer_choices_are_the_sites_trainers(client, vmt, site_coordinator):
    elsewhere = person(Role.TRAINER, cem=CEMFactory(site=site("iquitos")))
    elsewhere.first_name, elsewhere.last_name = "Trainer", "De Iquitos"
    elsewhere.save()
    client.force_login(prefer_english(site_coordinator))
    html = names_in(client.get(reverse("cohorts:edit", args=[vmt["cohort"].pk])))
    assert vmt["trainer"].get_full_name() in html
    assert "De Iquitos" not in html


def test_the_cohort_page_links_to_its_actions(client, vmt, site_coordinator):
    client.force_login(prefer_english(site_coordinator))
    cohort = vmt["cohort"]
    html = names_in(client.get(reverse("cohorts:edit", args=[cohort.pk])))
    assert reverse("cohorts:generate_schedule", args=[cohort.pk]) in html
    assert reverse("cohorts:import_roster", args=[cohort.pk]) in html
    listing = names_in(client.get(reverse("cohorts:index")))
    assert reverse("cohorts:generate_schedule", args=[cohort.pk]) in listing


def test_a_cohort_with_enrollments_is_not_deleted(client, vmt):
    admin = UserFactory(is_superuser=True)
    client.force_login(prefer_english(admin))
    cohort = vmt["cohort"]
    response = client.post(reverse("cohorts:delete", args=[cohort.pk]))
    assert response.status_code == 302
    assert Cohort.objects.filter(pk=cohort.pk).exists()


# --- Schedule generation -----------------------------------------------------------------------


def test_generating_the_schedule_creates_one_delivery_per_session(client, vmt, site_coordinator):
    client.force_login(prefer_english(site_coordinator))
    cohort = vmt["cohort"]
    url = reverse("cohorts:generate_schedule", args=[cohort.pk])
    assert "4" in names_in(client.get(url))

    response = client.post(
        url,
        {"first_at": "2026-03-02 18:00", "interval_days": "14", "place": "Local comunal"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("session_deliveries:index") + f"?cohort={cohort.pk}"
    deliveries = list(cohort.deliveries.order_by("scheduled_at"))
    assert len(deliveries) == 4
    first = timezone.localtime(deliveries[0].scheduled_at)
    assert (first.date(), first.hour) == (dt.date(2026, 3, 2), 18)
    assert deliveries[1].scheduled_at - deliveries[0].scheduled_at == dt.timedelta(days=14)
    assert {d.place for d in deliveries} == {"Local comunal"}
    assert list(deliveries[0].facilitators.all()) == [vmt["trainer"]]
    assert (
        AuditLogEntry.objects.filter(
            content_type__model="sessiondelivery", action="create", actor=site_coordinator
        ).count()
        == 4
    )
    listing = names_in(client.get(response["Location"]))
    assert "4 session deliveries created." in listing

    again = client.post(url, {"first_at": "2026-03-02 18:00", "interval_days": "7"})
    assert again.status_code == 302
    assert cohort.deliveries.count() == 4
    assert "nothing was created" in names_in(client.get(again["Location"]))


def test_the_schedule_needs_a_positive_interval(client, vmt, site_coordinator):
    client.force_login(prefer_english(site_coordinator))
    cohort = vmt["cohort"]
    response = client.post(
        reverse("cohorts:generate_schedule", args=[cohort.pk]),
        {"first_at": "2026-03-02 18:00", "interval_days": "0"},
    )
    assert response.status_code == 200
    assert cohort.deliveries.count() == 0


# --- Enrollments -------------------------------------------------------------------------------


def test_creating_an_enrollment_in_the_admin_is_audited(client, vmt, arequipa, site_coordinator):
    activist = person(Role.ACTIVIST, cem=vmt["cem"])
    outsider = person(Role.ACTIVIST, cem=arequipa["cem"])
    client.force_login(prefer_english(site_coordinator))
    form = names_in(client.get(reverse("enrollments:add") + f"?cohort={vmt['cohort'].pk}"))
    assert activist.get_full_name() in form
    assert outsider.get_full_name() not in form
    assert "Grupo Arequipa" not in form

    response = client.post(
        reverse("enrollments:add"),
        {
            "cohort": vmt["cohort"].pk,
            "activist": activist.pk,
            "consent_method": "written",
            "consent_given_at": "2026-03-01 10:00",
            "enrolled_on": "",
        },
    )

    assert response.status_code == 302
    enrollment = Enrollment.objects.get(cohort=vmt["cohort"], activist=activist)
    assert enrollment.consent_method == Enrollment.ConsentMethod.WRITTEN
    assert enrollment.enrolled_on == timezone.localdate()
    entry = audit_entries(enrollment, "create").get()
    assert entry.actor == site_coordinator
    assert entry.after["activist_id"] == activist.pk
    assert entry.site_id == vmt["cem"].site_id


def test_a_full_cohort_refuses_an_enrollment_with_a_message(client, vmt, site_coordinator):
    Cohort.objects.filter(pk=vmt["cohort"].pk).update(capacity=3)
    activist = person(Role.ACTIVIST, cem=vmt["cem"])
    client.force_login(prefer_english(site_coordinator))
    response = client.post(
        reverse("enrollments:add"),
        {
            "cohort": vmt["cohort"].pk,
            "activist": activist.pk,
            "consent_method": "written",
            "consent_given_at": "2026-03-01 10:00",
        },
    )
    assert response.status_code == 200
    assert "This cohort is full (3 places)." in response.content.decode()
    assert not Enrollment.objects.filter(activist=activist).exists()


def test_changing_an_enrollment_status_in_the_admin_is_audited(client, vmt, site_coordinator):
    enrollment = vmt["enrollments"][0]
    client.force_login(prefer_english(site_coordinator))
    response = client.post(
        reverse("enrollments:edit", args=[enrollment.pk]),
        {"status": "withdrawn", "status_on": "2026-04-10"},
    )
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.WITHDRAWN
    assert enrollment.withdrawn_on == dt.date(2026, 4, 10)
    entry = audit_entries(enrollment, "update").get()
    assert entry.actor == site_coordinator
    assert (entry.before["status"], entry.after["status"]) == ("enrolled", "withdrawn")


def test_enrollments_list_is_scoped_and_filters_by_cohort(client, vmt, arequipa, site_coordinator):
    client.force_login(prefer_english(site_coordinator))
    html = names_in(client.get(reverse("enrollments:index")))
    for enrollment in vmt["enrollments"]:
        assert enrollment.activist.get_full_name() in html
        assert enrollment.activist.profile.participant_code in html
    assert arequipa["enrollment"].activist.get_full_name() not in html


def test_an_enrollment_with_attendance_is_not_deleted(client, vmt, session_page):
    admin = UserFactory(is_superuser=True)
    enrollment = vmt["enrollments"][0]
    delivery = SessionDeliveryFactory(cohort=vmt["cohort"], session=vmt["sessions"][0])
    AttendanceRecordFactory(delivery=delivery, enrollment=enrollment)
    client.force_login(prefer_english(admin))
    response = client.post(reverse("enrollments:delete", args=[enrollment.pk]))
    assert response.status_code == 302
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()
    page = names_in(client.get(response["Location"]))
    assert "Mark it as withdrawn instead." in page


def test_deleting_an_enrollment_without_attendance_is_audited(client, vmt):
    admin = UserFactory(is_superuser=True)
    enrollment = vmt["enrollments"][0]
    pk = enrollment.pk
    client.force_login(prefer_english(admin))
    response = client.post(reverse("enrollments:delete", args=[pk]))
    assert response.status_code == 302
    assert not Enrollment.objects.filter(pk=pk).exists()
    entry = AuditLogEntry.objects.get(
        content_type__model="enrollment", object_id=str(pk), action="delete"
    )
    assert entry.actor == admin
    assert entry.before["status"] == "enrolled"
    assert entry.after is None


# --- Session deliveries ------------------------------------------------------------------------


def test_creating_and_editing_a_delivery_in_the_admin_is_audited(client, vmt, site_coordinator):
    client.force_login(prefer_english(site_coordinator))
    session = vmt["sessions"][1]
    response = client.post(
        reverse("session_deliveries:add"),
        {
            "cohort": vmt["cohort"].pk,
            "session": session.pk,
            "scheduled_at": "2026-03-09 18:00",
            "place": "Local comunal",
            "facilitators": [vmt["trainer"].pk],
            "status": "scheduled",
            "notes": "",
        },
    )
    assert response.status_code == 302
    delivery = SessionDelivery.objects.get(cohort=vmt["cohort"], session=session)
    created = audit_entries(delivery, "create").get()
    assert created.actor == site_coordinator
    assert created.after["place"] == "Local comunal"
    assert created.after["facilitators"] == [vmt["trainer"].pk]

    response = client.post(
        reverse("session_deliveries:edit", args=[delivery.pk]),
        {
            "scheduled_at": "2026-03-10 18:30",
            "place": "Parroquia",
            "status": "scheduled",
            "notes": "Cambio de local",
        },
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.place == "Parroquia"
    assert not delivery.facilitators.exists()
    changed = audit_entries(delivery, "update").get()
    assert changed.actor == site_coordinator
    assert (changed.before["place"], changed.after["place"]) == ("Local comunal", "Parroquia")
    assert (changed.before["facilitators"], changed.after["facilitators"]) == (
        [vmt["trainer"].pk],
        [],
    )


def test_a_delivery_needs_a_session_of_the_cohorts_course(
    client, vmt, curriculum_index, site_coordinator
):
    from tests.factories import CoursePageFactory, SessionPageFactory

    other_course = CoursePageFactory(parent=curriculum_index)
    foreign_session = SessionPageFactory(parent=other_course)
    client.force_login(prefer_english(site_coordinator))
    response = client.post(
        reverse("session_deliveries:add"),
        {
            "cohort": vmt["cohort"].pk,
            "session": foreign_session.pk,
            "scheduled_at": "2026-03-09 18:00",
            "status": "scheduled",
        },
    )
    assert response.status_code == 200
    assert "not part of the cohort" in response.content.decode()
    assert not SessionDelivery.objects.exists()


def test_a_delivery_with_attendance_is_not_deleted(client, vmt):
    admin = UserFactory(is_superuser=True)
    delivery = SessionDeliveryFactory(cohort=vmt["cohort"], session=vmt["sessions"][0])
    AttendanceRecordFactory(delivery=delivery, enrollment=vmt["enrollments"][0])
    client.force_login(prefer_english(admin))

    assert client.get(reverse("session_deliveries:delete", args=[delivery.pk])).status_code == 302
    response = client.post(reverse("session_deliveries:delete", args=[delivery.pk]))

    assert response.status_code == 302
    assert SessionDelivery.objects.filter(pk=delivery.pk).exists()
    assert AttendanceRecord.objects.filter(delivery=delivery).count() == 1
    page = names_in(client.get(response["Location"]))
    assert "cannot be deleted" in page
    assert not audit_entries(delivery, "delete").exists()


def test_coordinators_cannot_delete_at_all(client, vmt, site_coordinator):
    delivery = SessionDeliveryFactory(cohort=vmt["cohort"], session=vmt["sessions"][0])
    client.force_login(prefer_english(site_coordinator))
    response = client.post(reverse("session_deliveries:delete", args=[delivery.pk]))
    assert response.status_code == 302  # permission denied: back to the dashboard
    assert SessionDelivery.objects.filter(pk=delivery.pk).exists()


def test_editing_a_cohort_keeps_a_trainer_who_is_not_a_trainer_of_the_site(client, vmt):
    """A coordinator who also trains (as in the Arequipa demo cohort) stays a trainer when a
    colleague saves the cohort; the form never drops someone silently."""
    cohort = vmt["cohort"]
    coordinator_trainer = person(Role.COORDINATOR, site_=vmt["cem"].site)
    cohort.trainers.add(coordinator_trainer)
    editor = prefer_english(person(Role.COORDINATOR, site_=vmt["cem"].site))
    client.force_login(editor)
    response = client.post(
        reverse("cohorts:edit", args=[cohort.pk]),
        {
            "course": cohort.course.pk,
            "cem": cohort.cem.pk,
            "name": "Grupo renombrado",
            "trainers": [t.pk for t in cohort.trainers.all()],
            "start_date": cohort.start_date.isoformat(),
            "end_date": cohort.end_date.isoformat(),
            "capacity": cohort.capacity,
            "status": cohort.status,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cohort.refresh_from_db()
    assert cohort.name == "Grupo renombrado"
    assert set(cohort.trainers.all()) == {vmt["trainer"], coordinator_trainer}
