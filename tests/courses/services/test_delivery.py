"""The rules of the sites live in the delivery services: each service refuses what the admin
refuses, whoever calls it, and saves nothing when it does.

* An enrollment's activist belongs to the cohort's site.
* A cohort's trainers belong to its site (the ones it already has may stay).
* A delivery's session belongs to the cohort's course.
* A cohort ends on or after the day it starts.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import Cohort, Enrollment, SessionDelivery
from courses.services.delivery import (
    cohort_create,
    cohort_update,
    delivery_create,
    delivery_update,
    enrollment_create,
)
from lms.models import AuditLogEntry
from lms.roles import Role
from tests.factories import CEMFactory, CoursePageFactory, SessionPageFactory, person, site
from tests.helpers import prefer_english


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English (the Spanish catalogue translates them)."""
    with translation.override("en"):
        yield


@pytest.fixture
def elsewhere(db):
    """An activist and a trainer of Arequipa, while the cohort is at Villa María."""
    cem = CEMFactory(site=site("arequipa"), name="CEM Cerro Colorado")
    return {"activist": person(Role.ACTIVIST, cem=cem), "trainer": person(Role.TRAINER, cem=cem)}


def audit_count() -> int:
    return AuditLogEntry.objects.count()


def refusal(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


# --- Enrollments -------------------------------------------------------------------------------


def test_an_activist_of_another_site_is_not_enrolled(cohort_setup, elsewhere):
    before = audit_count()
    errors = refusal(
        lambda: enrollment_create(
            actor=None,
            cohort=cohort_setup["cohort"],
            activist=elsewhere["activist"],
            consent_method=Enrollment.ConsentMethod.WRITTEN,
        )
    )
    assert errors == {"activist": ["This activist belongs to another site."]}
    assert not Enrollment.objects.filter(activist=elsewhere["activist"]).exists()
    assert audit_count() == before


def test_the_admin_refuses_it_with_the_services_message(
    client, cohort_setup, elsewhere, national_coordinator
):
    """A national coordinator may pick anyone: the service is what refuses."""
    client.force_login(prefer_english(national_coordinator))
    response = client.post(
        reverse("enrollments:add"),
        {
            "cohort": cohort_setup["cohort"].pk,
            "activist": elsewhere["activist"].pk,
            "consent_method": "written",
            "consent_given_at": "2026-03-02 10:00",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["activist"] == ["This activist belongs to another site."]
    assert not Enrollment.objects.filter(activist=elsewhere["activist"]).exists()


def test_an_activist_without_a_site_yet_is_enrolled(cohort_setup):
    newcomer = person(Role.ACTIVIST)
    enrollment = enrollment_create(
        actor=None,
        cohort=cohort_setup["cohort"],
        activist=newcomer,
        consent_method=Enrollment.ConsentMethod.WRITTEN,
    )
    assert enrollment.pk


# --- Cohorts -----------------------------------------------------------------------------------


def cohort_data(course, cem, **changes) -> dict:
    today = timezone.localdate()
    return {
        "course": course,
        "cem": cem,
        "name": "Grupo nuevo",
        "start_date": today,
        "end_date": today + dt.timedelta(days=60),
        **changes,
    }


def test_a_trainer_of_another_site_does_not_train_a_cohort(course, cohort_setup, elsewhere):
    before = audit_count()
    data = cohort_data(course, cohort_setup["cem"], trainers=[elsewhere["trainer"]])
    errors = refusal(lambda: cohort_create(actor=None, **data))
    assert list(errors) == ["trainers"]
    assert elsewhere["trainer"].get_full_name() in errors["trainers"][0]
    assert not Cohort.objects.filter(name="Grupo nuevo").exists()
    assert audit_count() == before


def test_a_cohort_is_created_with_its_trainers_and_audited(course, cohort_setup):
    cohort = cohort_create(
        actor=None, **cohort_data(course, cohort_setup["cem"], trainers=[cohort_setup["trainer"]])
    )
    entry = AuditLogEntry.objects.get(action="create", object_id=str(cohort.pk))
    assert entry.after["trainers"] == [cohort_setup["trainer"].pk]
    assert entry.site_id == cohort_setup["cem"].site_id


def test_a_trainer_the_cohort_already_has_stays_but_no_new_one_from_elsewhere_joins(
    cohort_setup, elsewhere
):
    cohort = cohort_setup["cohort"]
    colleague = person(Role.TRAINER, cem=CEMFactory(site=site("iquitos"), name="CEM Iquitos"))
    cohort.trainers.add(colleague)
    current = [cohort_setup["trainer"], colleague]
    cohort_update(actor=None, cohort=cohort, name="Grupo renombrado", trainers=current)
    assert set(cohort.trainers.all()) == set(current)
    errors = refusal(
        lambda: cohort_update(
            actor=None, cohort=cohort, name="Otro nombre", trainers=[*current, elsewhere["trainer"]]
        )
    )
    assert list(errors) == ["trainers"]
    cohort.refresh_from_db()
    assert cohort.name == "Grupo renombrado"
    assert elsewhere["trainer"] not in cohort.trainers.all()


def test_a_cohort_cannot_end_before_it_starts(course, cohort_setup, client, site_coordinator):
    today = timezone.localdate()
    data = cohort_data(course, cohort_setup["cem"], end_date=today - dt.timedelta(days=1))
    assert list(refusal(lambda: cohort_create(actor=None, **data))) == ["end_date"]
    client.force_login(prefer_english(site_coordinator))
    response = client.post(
        reverse("cohorts:add"),
        {
            "course": course.pk,
            "cem": cohort_setup["cem"].pk,
            "name": "Grupo nuevo",
            "start_date": "2026-03-02",
            "end_date": "2026-03-01",
            "capacity": "30",
            "status": "planned",
        },
    )
    with translation.override("en"):  # the model's message is translated lazily
        errors = [str(message) for message in response.context["form"].errors["end_date"]]
    assert errors == ["The end date is before the start date."]
    assert not Cohort.objects.filter(name="Grupo nuevo").exists()


def test_the_admin_refuses_a_trainer_of_another_site_on_the_field(
    client, course, cohort_setup, elsewhere, national_coordinator
):
    client.force_login(prefer_english(national_coordinator))
    response = client.post(
        reverse("cohorts:add"),
        {
            "course": course.pk,
            "cem": cohort_setup["cem"].pk,
            "name": "Grupo nuevo",
            "trainers": [elsewhere["trainer"].pk],
            "start_date": "2026-03-02",
            "end_date": "2026-06-30",
            "capacity": "30",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["trainers"]
    assert "belong to another site" in message
    assert not Cohort.objects.filter(name="Grupo nuevo").exists()


# --- Session deliveries ------------------------------------------------------------------------


def test_a_delivery_needs_a_session_of_the_cohorts_course(cohort_setup, curriculum_index):
    foreign = SessionPageFactory(parent=CoursePageFactory(parent=curriculum_index))
    before = audit_count()
    errors = refusal(
        lambda: delivery_create(
            actor=None,
            cohort=cohort_setup["cohort"],
            session=foreign,
            scheduled_at=timezone.now(),
        )
    )
    assert list(errors) == ["session"]
    assert "not part of the cohort's course" in errors["session"][0]
    assert not SessionDelivery.objects.exists()
    assert audit_count() == before


def test_a_delivery_is_created_and_changed_with_its_facilitators_audited(cohort_setup):
    trainer = cohort_setup["trainer"]
    delivery = delivery_create(
        actor=trainer,
        cohort=cohort_setup["cohort"],
        session=cohort_setup["sessions"][0],
        scheduled_at=timezone.now(),
        facilitators=[trainer],
    )
    delivery_update(actor=trainer, delivery=delivery, place="Parroquia", facilitators=[])
    created, changed = AuditLogEntry.objects.filter(object_id=str(delivery.pk)).order_by("pk")
    assert created.after["facilitators"] == [trainer.pk]
    assert (changed.before["facilitators"], changed.after["facilitators"]) == ([trainer.pk], [])
    assert changed.after["place"] == "Parroquia"
    # Saving the same values again records nothing.
    delivery_update(actor=trainer, delivery=delivery, place="Parroquia")
    assert AuditLogEntry.objects.filter(object_id=str(delivery.pk)).count() == 2
