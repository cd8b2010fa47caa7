"""Data-rights requests: numbers, acknowledgement and due dates, every step audit-logged;
a corrected name re-issues the certificate; opposition removes her answers from analytics and
exports at once; refusals state their legal ground; scope by site."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.models import ResearchConsent, Response
from certificates.credentials.status_list import revoked_indexes
from certificates.models import Certificate
from lms.datarights.requests import (
    data_rights_rectification_apply,
    data_rights_request_file,
    data_rights_request_refuse,
    data_rights_request_start,
)
from lms.models import AuditLogEntry, DataProtectionSettings, DataRightsRequest
from lms.research_codes import research_code_of
from lms.roles import Role
from tests.factories import person, site
from tests.helpers import pdf_text

Kind, Status = DataRightsRequest.Kind, DataRightsRequest.Status


def entries_about(request):
    return AuditLogEntry.objects.filter(
        content_type__model="datarightsrequest", object_id=str(request.pk)
    ).order_by("pk")


def business_days_after(day: dt.date, n: int) -> dt.date:
    while n:
        day += dt.timedelta(days=1)
        n -= day.weekday() < 5
    return day


def test_a_request_gets_a_number_an_acknowledgement_and_a_due_date(client, holder):
    activist = holder["activist"]
    client.force_login(activist)
    response = client.post(
        reverse("datarights:request_new", args=["rectificacion"]),
        {"field": "phone", "current_value": "+51 912 345 678", "requested_value": "987 000 111"},
    )
    request = DataRightsRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{request.number}/")
    assert re.fullmatch(rf"ARCO-{timezone.localdate().year}-\d{{5}}", request.number)
    assert request.status == Status.RECEIVED and request.site == site("villa-maria-del-triunfo")
    assert request.due_on == business_days_after(timezone.localdate(), 10)
    page = client.get(response["Location"]).content.decode()
    assert request.number in page and "Recibimos tu solicitud" in page
    [entry] = entries_about(request)
    assert entry.action == AuditLogEntry.Action.CREATE and entry.actor == activist
    # The same request sent twice while it is open is the same request.
    again = data_rights_request_file(
        actor=activist,
        person=activist,
        kind=Kind.RECTIFICATION,
        field="phone",
        requested_value="987 000 111",
    )
    assert again.pk == request.pk


def test_due_dates_follow_the_settings(holder):
    settings = DataProtectionSettings.load()
    settings.cancellation_days, settings.business_days = 30, False
    settings.save()
    request = data_rights_request_file(
        actor=holder["activist"], person=holder["activist"], kind=Kind.CANCELLATION
    )
    assert request.due_on == timezone.localdate() + dt.timedelta(days=30)


def test_rectifying_her_name_reissues_her_certificate(holder, django_capture_on_commit_callbacks):
    activist, coordinator, old = holder["activist"], holder["coordinator"], holder["certificate"]
    request = data_rights_request_file(
        actor=activist,
        person=activist,
        kind=Kind.RECTIFICATION,
        field="last_name",
        current_value="Quispe Huamán",
        requested_value="Quispe Huamán de Ccama",
    )
    data_rights_request_start(actor=coordinator, request=request)
    with django_capture_on_commit_callbacks(execute=True):
        data_rights_rectification_apply(
            actor=coordinator, request=request, value="  Quispe Huamán de  Ccama "
        )
    activist.refresh_from_db()
    assert activist.last_name == "Quispe Huamán de Ccama"
    old.refresh_from_db()
    new = old.superseded_by
    assert old.status == Certificate.Status.SUPERSEDED and old.superseded_at
    assert old.full_name == "Rosa Elena Quispe Huamán"  # kept for the audit trail
    assert new.status == Certificate.Status.VALID and new.code != old.code
    assert new.full_name == "Rosa Elena Quispe Huamán de Ccama"
    assert (new.course_title, new.credit_hours) == (old.course_title, old.credit_hours)
    assert new.portable.signed_json and new.portable.status_index != old.portable.status_index
    assert old.portable.status_index in revoked_indexes(old.portable.status_list)
    assert "Rosa Elena Quispe Huamán de Ccama" in pdf_text(new.pdf.read())[0]
    assert "REEMPLAZADO" in pdf_text(old.pdf.read())[0]
    request.refresh_from_db()
    assert (
        request.status == Status.DONE and request.decided_at and request.handled_by == coordinator
    )
    steps = [e.after["status"] for e in entries_about(request)]
    assert steps == ["received", "in_progress", "done"]
    done = entries_about(request).last().after
    assert done["applied"]["certificates.certificates"] == {"certificates_reissued": 1}
    assert AuditLogEntry.objects.filter(
        content_type__model="user", object_id=str(activist.pk), after__last_name=activist.last_name
    ).exists()


def test_the_old_certificate_verifies_as_superseded(client, holder):
    old = holder["certificate"]
    request = data_rights_request_file(
        actor=holder["activist"],
        person=holder["activist"],
        kind=Kind.RECTIFICATION,
        field="first_name",
        requested_value="Rosa Elvira",
    )
    data_rights_rectification_apply(
        actor=holder["coordinator"], request=request, value="Rosa Elvira"
    )
    old.refresh_from_db()
    html = client.get(reverse("certificates:verify", args=[old.code])).content.decode()
    assert "Reemplazado el" in html and old.superseded_by.code in html
    assert "Certificado válido" not in html
    new_html = client.get(reverse("certificates:verify", args=[old.superseded_by.code])).content
    assert "Certificado válido" in new_html.decode()


def test_a_rectification_value_is_validated(holder):
    request = data_rights_request_file(
        actor=holder["activist"],
        person=holder["activist"],
        kind=Kind.RECTIFICATION,
        field="birth_year",
        requested_value="mil novecientos",
    )
    with pytest.raises(ValidationError):
        data_rights_rectification_apply(actor=holder["coordinator"], request=request, value="19")
    request.refresh_from_db()
    assert request.status == Status.RECEIVED  # nothing half-saved


def test_a_refusal_states_its_legal_ground(client, holder):
    request = data_rights_request_file(
        actor=holder["activist"], person=holder["activist"], kind=Kind.CANCELLATION
    )
    with pytest.raises(ValidationError):
        data_rights_request_refuse(
            actor=holder["coordinator"], request=request, ground="", response="No."
        )
    client.force_login(holder["coordinator"])
    url = reverse("datarights:handle", args=[request.number])
    response = client.post(
        url,
        {"action": "refuse", "ground": "legal_duty", "response": "El acta debe conservarse."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.REFUSED and request.refusal_ground == "legal_duty"
    client.force_login(holder["activist"])
    page = client.get(reverse("datarights:request", args=[request.number])).content.decode()
    assert f">{request.get_status_display()}</span>" in page
    assert "obligación legal" in page and "El acta debe conservarse." in page


def test_opposition_removes_her_answers_from_analytics_and_exports_at_once(client, holder):
    activist, instrument = holder["activist"], holder["instrument"]
    ResearchConsent.objects.create(
        enrollment=holder["enrollment"],
        decision=ResearchConsent.Decision.ACCEPTED,
        text_version="2026-1",
        decided_at=timezone.now(),
    )
    client.force_login(activist)
    response = client.post(reverse("datarights:request_new", args=["oposicion"]), {"confirm": "on"})
    request = DataRightsRequest.objects.get()
    assert response.status_code == 302 and request.status == Status.DONE
    response = Response.objects.get(research_code=research_code_of(activist.profile))
    assert response.withdrawn_at is not None
    consent = ResearchConsent.objects.get(enrollment=holder["enrollment"])
    assert consent.decision == ResearchConsent.Decision.WITHDRAWN
    assert AuditLogEntry.objects.filter(
        content_type__model="researchconsent", after__decision="withdrawn"
    ).exists()
    # Analytics and exports leave her out and say how many were left out.
    client.force_login(holder["coordinator"])
    page = client.get(reverse("assessments:analytics"), {"instrument": instrument.pk})
    assert page.context["report"].withdrawn == 1
    assert page.context["report"].n_participants == 0
    html = page.content.decode()
    assert "Menos de 5 participantes retiraron" in html
    csv = client.get(reverse("assessments:export_responses"), {"instrument": instrument.pk})
    assert activist.profile.participant_code not in csv.content.decode()
    assert research_code_of(activist.profile) not in csv.content.decode()
    # Opposing again withdraws nothing more and keeps the time of the first withdrawal.
    again = data_rights_request_file(actor=activist, person=activist, kind=Kind.OPPOSITION)
    assert again.pk != request.pk and again.status == Status.DONE
    assert entries_about(again).last().after["applied"] == {
        "assessments.answers": {"questionnaire_responses_withdrawn": 0}
    }
    assert Response.objects.get(pk=response.pk).withdrawn_at == response.withdrawn_at


def test_coordinators_see_and_handle_only_their_sites_requests(client, holder):
    request = data_rights_request_file(
        actor=holder["activist"], person=holder["activist"], kind=Kind.CANCELLATION
    )
    arequipa = person(Role.COORDINATOR, site_=site("arequipa"))
    client.force_login(arequipa)
    assert request.number not in client.get(reverse("datarights:queue")).content.decode()
    assert client.get(reverse("datarights:handle", args=[request.number])).status_code == 404
    assert (
        client.post(
            reverse("datarights:handle", args=[request.number]), {"action": "start"}
        ).status_code
        == 404
    )
    for user in (holder["coordinator"], person(Role.COORDINATOR)):
        client.force_login(user)
        assert request.number in client.get(reverse("datarights:queue")).content.decode()
    for role in (Role.TRAINER, Role.ACCREDITOR, Role.ACTIVIST):
        client.force_login(person(role, cem=holder["cohort"].cem))
        assert client.get(reverse("datarights:queue")).status_code == 403
    # Her own request is hers to read, nobody else's.
    client.force_login(person(Role.ACTIVIST, cem=holder["cohort"].cem))
    assert client.get(reverse("datarights:request", args=[request.number])).status_code == 404


def test_overdue_requests_are_flagged_on_the_coordinators_dashboard(client, holder):
    late = data_rights_request_file(
        actor=holder["activist"], person=holder["activist"], kind=Kind.CANCELLATION
    )
    DataRightsRequest.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    client.force_login(holder["coordinator"])
    html = client.get(reverse("home:dashboard")).content.decode()
    assert "1 vencida" in html and "1 solicitud espera respuesta" in html
    queue = client.get(reverse("datarights:queue")).content.decode()
    assert "vencida" in queue
    # Answered, it is no longer counted.
    data_rights_request_refuse(
        actor=holder["coordinator"], request=late, ground="identity", response="Acércate al CEM."
    )
    html = client.get(reverse("home:dashboard")).content.decode()
    assert "Ninguna solicitud espera respuesta." in html


def test_a_coordinator_records_a_request_made_in_person(client, holder):
    client.force_login(holder["coordinator"])
    response = client.post(
        reverse("datarights:file_on_behalf"),
        {
            "username": holder["activist"].username,
            "kind": "cancellation",
            "details": "Por teléfono",
        },
    )
    request = DataRightsRequest.objects.get()
    assert response.status_code == 302
    assert request.person == holder["activist"] and request.filed_by == holder["coordinator"]
    # Nobody of another site.
    stranger = person(Role.ACTIVIST, cem=None, site_=site("iquitos"))
    response = client.post(
        reverse("datarights:file_on_behalf"), {"username": stranger.username, "kind": "opposition"}
    )
    assert response.status_code == 200 and DataRightsRequest.objects.count() == 1
