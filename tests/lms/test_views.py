"""The read-only audit log viewer: scoping by site, filters, pagination, changed fields."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from courses.models import SessionDelivery
from courses.services.attendance import attendance_sheet_save
from lms.audit import audit_entry, model_snapshot
from lms.models import AuditLogEntry
from lms.roles import Role
from tests.factories import (
    CEMFactory,
    CohortFactory,
    EnrollmentFactory,
    SessionDeliveryFactory,
    person,
    site,
)
from tests.helpers import en


def log(*, actor, instance, site_id, when=None, action="create", before=None, after=None):
    entry = audit_entry(
        actor=actor,
        action=action,
        instance=instance,
        site=site_id,
        before=before,
        after=after if after is not None else model_snapshot(instance),
    )
    if when is not None:
        entry.created_at = when
    entry.save()
    return entry


@pytest.fixture
def two_sites(cohort_setup, course):
    """Villa María (cohort_setup) and an Arequipa cohort, each with one logged enrollment."""
    vmt = cohort_setup["cem"].site
    arequipa_cem = CEMFactory(site=site("arequipa"), name="CEM Arequipa")
    arequipa_trainer = person(Role.TRAINER, cem=arequipa_cem)
    arequipa = CohortFactory(course=course, cem=arequipa_cem, trainers=[arequipa_trainer])
    arequipa_enrollment = EnrollmentFactory(cohort=arequipa)
    vmt_entry = log(
        actor=cohort_setup["trainer"], instance=cohort_setup["enrollments"][0], site_id=vmt.pk
    )
    arequipa_entry = log(
        actor=arequipa_trainer, instance=arequipa_enrollment, site_id=arequipa_cem.site_id
    )
    return {"vmt": vmt_entry, "arequipa": arequipa_entry, "arequipa_trainer": arequipa_trainer}


def entries_of(response) -> list[int]:
    return [row["entry"].pk for row in response.context["rows"]]


def test_a_site_coordinator_sees_only_their_sites_entries(client, two_sites):
    client.force_login(person(Role.COORDINATOR, site_=site("villa-maria-del-triunfo")))
    response = client.get(en("audit_log"))
    assert entries_of(response) == [two_sites["vmt"].pk]
    body = response.content.decode()
    assert two_sites["vmt"].object_repr in body
    assert two_sites["arequipa"].object_repr not in body
    assert "Audit log" in body  # the nav link


@pytest.mark.parametrize("role", [Role.ACCREDITOR, Role.COORDINATOR])
def test_accreditors_and_national_coordinators_see_every_site(client, two_sites, role):
    client.force_login(person(role))
    response = client.get(en("audit_log"))
    assert set(entries_of(response)) == {two_sites["vmt"].pk, two_sites["arequipa"].pk}


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ACTIVIST])
def test_trainers_and_activists_are_refused(client, two_sites, role):
    client.force_login(person(role))
    assert client.get(en("audit_log")).status_code == 403


def test_filter_by_actor_kind_and_dates(client, cohort_setup, two_sites):
    vmt = cohort_setup["cem"].site_id
    delivery = SessionDeliveryFactory(
        cohort=cohort_setup["cohort"], session=cohort_setup["sessions"][0]
    )
    coordinator = person(Role.COORDINATOR)
    old = log(
        actor=coordinator,
        instance=delivery,
        site_id=vmt,
        when=timezone.now() - dt.timedelta(days=40),
    )
    client.force_login(coordinator)
    url = en("audit_log")

    by_actor = client.get(url, {"actor": two_sites["arequipa_trainer"].username.upper()})
    assert entries_of(by_actor) == [two_sites["arequipa"].pk]

    kinds = dict(by_actor.context["form"].fields["kind"].choices)
    assert {"courses.enrollment", "courses.sessiondelivery", "courses.attendancerecord"} <= set(
        kinds
    )
    by_kind = client.get(url, {"kind": "courses.sessiondelivery"})
    assert entries_of(by_kind) == [old.pk]

    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    recent = client.get(url, {"date_from": since})
    assert set(entries_of(recent)) == {two_sites["vmt"].pk, two_sites["arequipa"].pk}
    until = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert entries_of(client.get(url, {"date_to": until})) == [old.pk]
    assert entries_of(client.get(url, {"date_from": since, "date_to": until})) == []


def test_other_kinds_present_in_the_log_are_offered(client, cohort_setup):
    log(actor=None, instance=cohort_setup["cohort"], site_id=cohort_setup["cem"].site_id)
    client.force_login(person(Role.ACCREDITOR))
    response = client.get(en("audit_log"))
    kinds = dict(response.context["form"].fields["kind"].choices)
    assert "courses.cohort" in kinds
    assert '<option value="courses.cohort">Cohort</option>' in response.content.decode()
    assert entries_of(client.get(en("audit_log"), {"kind": "courses.cohort"})) != []
    assert "System" in response.content.decode()  # no actor


def test_changed_fields_are_shown(client, cohort_setup):
    trainer, enrollments = cohort_setup["trainer"], cohort_setup["enrollments"]
    delivery = SessionDeliveryFactory(
        cohort=cohort_setup["cohort"], session=cohort_setup["sessions"][0]
    )
    attendance_sheet_save(actor=trainer, delivery=delivery, marks={enrollments[0].pk: "P"})
    attendance_sheet_save(actor=trainer, delivery=delivery, marks={enrollments[0].pk: "L"})
    client.force_login(person(Role.ACCREDITOR))
    response = client.get(en("audit_log"), {"kind": "courses.attendancerecord"})
    update = next(r for r in response.context["rows"] if r["entry"].action == "update")
    with translation.override("en"):
        assert [(str(label), *values) for label, *values in update["changes"]] == [
            ("Status", "P", "L")
        ]
    body = response.content.decode()
    assert '<th scope="row">Status</th><td>P</td><td>L</td>' in body
    assert SessionDelivery.objects.get(pk=delivery.pk).status == "held"


def test_fifty_entries_per_page_and_filters_kept_across_pages(client, cohort_setup):
    enrollment = cohort_setup["enrollments"][0]
    AuditLogEntry.objects.bulk_create(
        [
            audit_entry(
                actor=cohort_setup["trainer"],
                action="update",
                instance=enrollment,
                site=cohort_setup["cem"].site_id,
                before={"status": "enrolled"},
                after={"status": "completed"},
            )
            for _ in range(60)
        ]
    )
    client.force_login(person(Role.ACCREDITOR))
    first = client.get(en("audit_log"), {"kind": "courses.enrollment"})
    assert len(first.context["rows"]) == 50
    assert "kind=courses.enrollment&amp;pagina=2" in first.content.decode()
    second = client.get(en("audit_log"), {"kind": "courses.enrollment", "pagina": 2})
    assert len(second.context["rows"]) == 10


def test_the_log_is_read_only(client, two_sites):
    client.force_login(person(Role.ACCREDITOR))
    assert client.post(en("audit_log"), {"actor": "x"}).status_code == 405
    assert AuditLogEntry.objects.count() == 2
