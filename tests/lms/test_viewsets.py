"""The coordinators' admin for sites, CEMs, participant profiles and the read-only audit log."""

import pytest
from django.urls import NoReverseMatch, reverse
from wagtail.admin.viewsets import viewsets

from lms.audit import audit_record, model_snapshot
from lms.models import CEM, AuditLogEntry, ParticipantProfile
from lms.roles import Role
from tests.factories import CEMFactory, UserFactory, person, site
from tests.helpers import prefer_english


@pytest.fixture
def cems(db):
    return {
        "vmt": CEMFactory(site=site("villa-maria-del-triunfo"), name="CEM Villa María"),
        "arequipa": CEMFactory(site=site("arequipa"), name="CEM Cerro Colorado"),
    }


@pytest.fixture
def site_coordinator(site_coordinator):
    return prefer_english(site_coordinator)


@pytest.fixture
def national_coordinator(national_coordinator):
    return prefer_english(national_coordinator)


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- Sites and CEMs ----------------------------------------------------------------------------


def test_a_site_coordinator_sees_only_their_site(client, cems, site_coordinator):
    client.force_login(site_coordinator)
    sites = html_of(client.get(reverse("programme_sites:index")))
    assert "Villa María del Triunfo" in sites
    assert "Arequipa" not in sites
    listing = html_of(client.get(reverse("cems:index")))
    assert "CEM Villa María" in listing
    assert "CEM Cerro Colorado" not in listing
    assert client.get(reverse("cems:edit", args=[cems["arequipa"].pk])).status_code == 404


def test_sites_are_read_only_for_coordinators(client, cems, site_coordinator):
    client.force_login(site_coordinator)
    vmt = site("villa-maria-del-triunfo")
    response = client.post(reverse("programme_sites:edit", args=[vmt.pk]), {"name": "Otro"})
    assert response.status_code == 302  # no change permission: back to the dashboard
    vmt.refresh_from_db()
    assert vmt.name == "Villa María del Triunfo"


def test_a_national_coordinator_sees_and_filters_every_cem(client, cems, national_coordinator):
    client.force_login(national_coordinator)
    listing = html_of(client.get(reverse("cems:index")))
    assert "CEM Villa María" in listing
    assert "CEM Cerro Colorado" in listing
    filtered = html_of(client.get(reverse("cems:index"), {"site": site("arequipa").pk}))
    assert "CEM Cerro Colorado" in filtered
    assert "CEM Villa María" not in filtered
    searched = html_of(client.get(reverse("cems:index"), {"q": "cerro"}))
    assert "CEM Cerro Colorado" in searched
    assert "CEM Villa María" not in searched


def test_a_site_coordinator_adds_cems_only_to_their_site(client, cems, site_coordinator):
    client.force_login(site_coordinator)
    refused = client.post(reverse("cems:add"), {"site": site("iquitos").pk, "name": "CEM Belén"})
    assert "Select a valid choice" in html_of(refused)
    assert not CEM.objects.filter(name="CEM Belén").exists()

    vmt = site("villa-maria-del-triunfo")
    response = client.post(reverse("cems:add"), {"site": vmt.pk, "name": "CEM José Gálvez"})
    assert response.status_code == 302
    assert CEM.objects.get(name="CEM José Gálvez").site == vmt


# --- Participant profiles ----------------------------------------------------------------------


def test_the_profile_list_shows_code_site_cem_generation_and_sex(client, cems, site_coordinator):
    activist = person(Role.ACTIVIST, cem=cems["vmt"], birth_year=1975)
    outsider = person(Role.ACTIVIST, cem=cems["arequipa"])
    client.force_login(site_coordinator)

    html = html_of(client.get(reverse("participant_profiles:index")))

    assert activist.profile.participant_code in html
    assert activist.get_full_name() in html
    assert "CEM Villa María" in html
    assert "35-50 years" in html
    assert "Female" in html
    assert outsider.profile.participant_code not in html
    response = client.get(reverse("participant_profiles:edit", args=[outsider.profile.pk]))
    assert response.status_code == 404


def test_a_coordinator_assigns_a_trainer_to_a_cem_and_it_is_audited(client, cems, site_coordinator):
    trainer = person(Role.TRAINER, site_=site("villa-maria-del-triunfo"))
    trainer.profile.cem = None
    trainer.profile.save()
    client.force_login(site_coordinator)

    response = client.post(
        reverse("participant_profiles:edit", args=[trainer.profile.pk]),
        {
            "site": site("villa-maria-del-triunfo").pk,
            "cem": cems["vmt"].pk,
            "sex": "M",
            "birth_year": "1985",
            "phone": "",
        },
    )

    assert response.status_code == 302
    trainer.profile.refresh_from_db()
    assert trainer.profile.cem == cems["vmt"]
    entry = AuditLogEntry.objects.get(
        content_type__model="participantprofile",
        object_id=str(trainer.profile.pk),
        action="update",
    )
    assert entry.actor == site_coordinator
    assert (entry.before["cem_id"], entry.after["cem_id"]) == (None, cems["vmt"].pk)


def test_a_site_coordinator_cannot_grant_national_scope_or_another_site(
    client, cems, site_coordinator
):
    client.force_login(site_coordinator)
    profile = site_coordinator.profile
    url = reverse("participant_profiles:edit", args=[profile.pk])
    data = {"cem": "", "sex": "F", "birth_year": "1980", "phone": ""}

    empty_site = client.post(url, {**data, "site": ""})
    other_site = client.post(url, {**data, "site": site("arequipa").pk})

    assert empty_site.status_code == other_site.status_code == 200
    assert "This field is required." in empty_site.content.decode()
    assert "Select a valid choice" in other_site.content.decode()
    profile.refresh_from_db()
    assert profile.site == site("villa-maria-del-triunfo")


def test_the_cem_must_belong_to_the_site(client, cems, national_coordinator):
    person_ = UserFactory()
    client.force_login(national_coordinator)
    response = client.post(
        reverse("participant_profiles:add"),
        {
            "user": person_.pk,
            "site": site("villa-maria-del-triunfo").pk,
            "cem": cems["arequipa"].pk,
            "sex": "F",
            "birth_year": "1990",
        },
    )
    assert "The CEM does not belong to the chosen site." in html_of(response)
    assert not ParticipantProfile.objects.filter(user=person_).exists()

    response = client.post(
        reverse("participant_profiles:add"),
        {
            "user": person_.pk,
            "site": site("arequipa").pk,
            "cem": cems["arequipa"].pk,
            "sex": "F",
            "birth_year": "1990",
        },
    )
    assert response.status_code == 302
    profile = ParticipantProfile.objects.get(user=person_)
    assert profile.cem == cems["arequipa"]
    assert AuditLogEntry.objects.filter(
        content_type__model="participantprofile", object_id=str(profile.pk), action="create"
    ).exists()


@pytest.mark.parametrize("role", [Role.ACCREDITOR, Role.TRAINER])
def test_accreditors_and_trainers_have_no_admin(client, cems, role):
    user = person(role, cem=cems["vmt"])
    client.force_login(user)
    for url in [
        reverse("cems:index"),
        reverse("cems:add"),
        reverse("participant_profiles:index"),
        reverse("audit_log:index"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("wagtailadmin_login"))


# --- Audit log ---------------------------------------------------------------------------------


def test_the_audit_log_is_a_scoped_listing_with_no_way_to_change_it(client, cems, site_coordinator):
    mine, theirs = cems["vmt"], cems["arequipa"]
    audit_record(
        actor=None,
        action=AuditLogEntry.Action.UPDATE,
        instance=mine,
        site=mine.site,
        before={"name": "Antes"},
        after=model_snapshot(mine),
    )
    audit_record(actor=None, action="create", instance=theirs, site=theirs.site)
    client.force_login(site_coordinator)

    html = html_of(client.get(reverse("audit_log:index")))

    assert "CEM Villa María" in html
    assert "name: Antes → CEM Villa María" in html
    assert "CEM Cerro Colorado" not in html
    for view in ["add", "edit", "delete", "copy", "history"]:
        with pytest.raises(NoReverseMatch):
            reverse(f"audit_log:{view}", args=[] if view == "add" else [1])


def test_no_admin_viewset_can_write_the_audit_log():
    reverse("wagtailadmin_home")  # loads the admin URLs, which registers the viewsets
    audit_viewsets = [vs for vs in viewsets.viewsets if getattr(vs, "model", None) is AuditLogEntry]
    assert audit_viewsets
    for viewset in audit_viewsets:
        names = {pattern.name for pattern in viewset.get_urlpatterns()}
        assert names <= {"index", "index_results"}


def test_a_site_coordinator_cannot_put_a_national_coordinator_under_their_site(
    client, cems, site_coordinator
):
    national = UserFactory(roles=[Role.COORDINATOR], first_name="Nacional", last_name="Sinperfil")
    UserFactory(first_name="Nueva", last_name="Facilitadora")
    client.force_login(site_coordinator)

    form = html_of(client.get(reverse("participant_profiles:add")))
    assert "Nueva Facilitadora" in form
    assert "Sinperfil" not in form

    response = client.post(
        reverse("participant_profiles:add"),
        {"user": national.pk, "site": site("villa-maria-del-triunfo").pk, "sex": "F"},
    )
    assert "Select a valid choice" in html_of(response)
    assert not ParticipantProfile.objects.filter(user=national).exists()
