"""Roster import from CSV: everything is checked first, then everybody is saved in one go."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from courses.models import Enrollment
from courses.services.roster_csv import decode_roster
from courses.services.roster_import import roster_import
from lms.models import AuditLogEntry, ParticipantProfile
from lms.roles import Role
from tests.factories import CEMFactory, UserFactory, person, site

HEADER = ["nombres", "apellidos", "sexo", "anio_nacimiento", "cem"]
THIS_YEAR = dt.date.today().year


def roster(*rows, header=HEADER, delimiter=",", encoding="utf-8", bom=False) -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def counts() -> tuple[int, int, int]:
    return (User.objects.count(), ParticipantProfile.objects.count(), Enrollment.objects.count())


@pytest.fixture
def cohort(cohort_setup):
    # A second CEM of the same site, and one of another site that must not be accepted.
    CEMFactory(site=site("villa-maria-del-triunfo"), name="CEM José Gálvez")
    CEMFactory(site=site("arequipa"), name="CEM Cerro Colorado")
    return cohort_setup["cohort"]


def run(cohort, data, actor=None):
    with translation.override("en"):
        return roster_import(actor=actor, cohort=cohort, data=data)


def test_a_utf8_file_creates_people_profiles_and_enrollments(cohort, site_coordinator):
    before = counts()
    data = roster(
        ["María Elena", "Quispe Mamani", "F", "1990", "CEM Villa María"],
        ["Juan", "Pérez", "Hombre", "1999", "cem jose galvez"],
        bom=True,
    )
    result = run(cohort, data, actor=site_coordinator)

    assert result.ok, result.problems
    assert (result.created_people, result.reused_people) == (2, 0)
    assert counts() == (before[0] + 2, before[1] + 2, before[2] + 2)
    maria = User.objects.get(username="maria.quispe")
    assert (maria.first_name, maria.last_name) == ("María Elena", "Quispe Mamani")
    assert not maria.has_usable_password()
    assert maria.groups.filter(name=Role.ACTIVIST).exists()
    assert maria.profile.sex == ParticipantProfile.Sex.FEMALE
    assert maria.profile.birth_year == 1990
    assert maria.profile.cem.name == "CEM Villa María"
    assert maria.profile.site.slug == "villa-maria-del-triunfo"
    assert maria.profile.participant_code
    juan = User.objects.get(username="juan.perez")
    assert juan.profile.sex == ParticipantProfile.Sex.MALE
    assert juan.profile.cem.name == "CEM José Gálvez"
    assert juan.profile.generation == ParticipantProfile.Generation.YOUNG
    enrollment = Enrollment.objects.get(cohort=cohort, activist=maria)
    assert enrollment.consent_method == Enrollment.ConsentMethod.WRITTEN
    assert enrollment.enrolled_on == timezone.localdate()
    entry = AuditLogEntry.objects.get(
        content_type__model="enrollment", object_id=str(enrollment.pk), action="create"
    )
    assert entry.actor == site_coordinator


def test_a_latin1_semicolon_file_with_accents_imports(cohort):
    header = [*HEADER, "teléfono", "correo", "consentimiento_fecha", "consentimiento_forma"]
    data = roster(
        ["María", "Ñahui", "Mujer", "1980", "CEM Villa María", "987 654 321", "", "02/03/2026", ""],
        ["José", "Quispe", "M", "1975", "CEM Villa María", "", "jq@example.org", "", "en_linea"],
        header=header,
        delimiter=";",
        encoding="cp1252",
    )
    assert b"\xd1ahui" in data  # really Latin-1, not UTF-8
    result = run(cohort, data)

    assert result.ok, result.problems
    maria = User.objects.get(username="maria.nahui")
    assert (maria.first_name, maria.last_name) == ("María", "Ñahui")
    assert maria.profile.phone == "987 654 321"
    assert maria.profile.generation == ParticipantProfile.Generation.ADULT
    enrollment = maria.enrollments.get()
    assert timezone.localtime(enrollment.consent_given_at).date() == dt.date(2026, 3, 2)
    jose = User.objects.get(username="jose.quispe")
    assert jose.email == "jq@example.org"
    assert jose.enrollments.get().consent_method == Enrollment.ConsentMethod.ONLINE


def test_headers_match_without_case_or_accents(cohort):
    header = ["Nombres", "APELLIDOS", "Sexo", "Año de nacimiento", "CEM", "Nº de fila"]
    result = run(cohort, roster(["Rosa", "Huamán", "f", "2001", "José Gálvez"], header=header))
    assert result.ok, result.problems
    assert result.ignored_columns == ["Nº de fila"]
    assert User.objects.get(username="rosa.huaman").profile.cem.name == "CEM José Gálvez"


def test_usernames_stay_unique(cohort):
    UserFactory(username="maria.quispe")
    data = roster(
        ["María", "Quispe", "F", "1990", "CEM Villa María"],
        ["Maria", "Quispe Ccori", "F", "1991", "CEM Villa María"],
    )
    result = run(cohort, data)
    assert result.ok, result.problems
    usernames = sorted(e.activist.username for e in result.enrollments)
    assert usernames == ["maria.quispe2", "maria.quispe3"]


def test_a_person_already_registered_at_the_cem_is_reused(cohort, cohort_setup):
    existing = person(Role.ACTIVIST, cem=cohort_setup["cem"], birth_year=1988)
    existing.first_name, existing.last_name = "Lucía", "Torres"
    existing.save()
    before = counts()
    result = run(cohort, roster(["LUCIA", "torres", "F", "1988", "CEM Villa María"]))

    assert result.ok, result.problems
    assert (result.created_people, result.reused_people) == (0, 1)
    assert counts() == (before[0], before[1], before[2] + 1)
    assert Enrollment.objects.filter(cohort=cohort, activist=existing).exists()


def test_importing_the_same_file_twice_saves_nothing_the_second_time(cohort):
    data = roster(
        ["Ana", "Flores", "F", "1995", "CEM Villa María"],
        ["Luis", "Rojas", "M", "1983", "CEM Villa María"],
    )
    assert run(cohort, data).ok
    before = counts()
    audit_before = AuditLogEntry.objects.count()

    second = run(cohort, data)

    assert not second.ok
    assert [(p.row, p.code) for p in second.problems] == [
        (2, "already_enrolled"),
        (3, "already_enrolled"),
    ]
    assert "already enrolled in this cohort" in second.problems[0].message
    assert counts() == before
    assert AuditLogEntry.objects.count() == audit_before


@pytest.mark.parametrize(
    ("data", "code", "row", "column", "message"),
    [
        pytest.param(
            roster(["Ana", "Flores", "F", "1995"], header=HEADER[:4]),
            "missing_column",
            1,
            "cem",
            "Missing column “cem”.",
            id="missing-column",
        ),
        pytest.param(
            roster(
                ["Ana", "Flores", "F", "1995", "CEM Villa María"],
                ["Luis", "Rojas", "M", str(THIS_YEAR - 5), "CEM Villa María"],
            ),
            "bad_birth_year",
            3,
            "anio_nacimiento",
            "is not plausible",
            id="implausible-birth-year",
        ),
        pytest.param(
            roster(["Ana", "Flores", "F", "95", "CEM Villa María"]),
            "bad_birth_year",
            2,
            "anio_nacimiento",
            "is not a year",
            id="two-digit-birth-year",
        ),
        pytest.param(
            roster(
                ["Ana", "Flores", "F", "1995", "CEM Villa María"],
                ["Luis", "Rojas", "M", "1983", "CEM Cerro Colorado"],
            ),
            "unknown_cem",
            3,
            "cem",
            "Unknown CEM “CEM Cerro Colorado”",
            id="cem-of-another-site",
        ),
        pytest.param(
            roster(
                ["Ana", "Flores", "F", "1995", "CEM Villa María"],
                ["Luis", "Rojas", "M", "1983", "CEM Villa María"],
                ["ANA", "Flóres", "F", "1995", "CEM José Gálvez"],
            ),
            "duplicate_person",
            4,
            "nombres",
            "already on row 2",
            id="duplicate-person",
        ),
        pytest.param(
            "nombres,apellidos,sexo,anio_nacimiento,cem\r\nAna,Flores,F,1995,CEM\r\n".encode(
                "utf-16"
            ),
            "encoding",
            None,
            "",
            "Wrong encoding",
            id="utf-16-file",
        ),
        pytest.param(
            roster(["Ana", "Fl\x81ores", "F", "1995", "CEM Villa María"], encoding="latin-1"),
            "encoding",
            None,
            "",
            "Wrong encoding",
            id="bytes-neither-utf8-nor-cp1252",
        ),
        pytest.param(
            roster(
                ["Ana", "Flores", "F", "1995", "CEM Villa María", "12345678"],
                header=[*HEADER, "DNI"],
            ),
            "national_id",
            1,
            "DNI",
            "does not collect national ID numbers",
            id="dni-column",
        ),
        pytest.param(b"", "empty", None, "", "The file is empty.", id="empty-file"),
        pytest.param(b"\r\n;;;;\r\n", "empty", None, "", "The file is empty.", id="blank-rows"),
        pytest.param(roster(), "empty", None, "", "no rows below the header", id="header-only"),
        pytest.param(
            roster(["Ana", "Flores", "desconocido", "1995", "CEM Villa María"]),
            "bad_sex",
            2,
            "sexo",
            "is not a sex",
            id="bad-sex",
        ),
        pytest.param(
            roster(
                ["Ana", "Flores", "F", "1995", "CEM Villa María", "2999-01-01"],
                header=[*HEADER, "consentimiento_fecha"],
            ),
            "bad_consent_date",
            2,
            "consentimiento_fecha",
            "in the future",
            id="consent-in-the-future",
        ),
        pytest.param(
            roster(["Ana\x07", "Flores", "F", "1995", "CEM Villa María"]),
            "bad_characters",
            2,
            "nombres",
            "control character",
            id="control-character",
        ),
        pytest.param(
            roster(["Ana", "Flo\u202eserolF", "F", "1995", "CEM Villa María"]),
            "bad_characters",
            2,
            "apellidos",
            "direction override",
            id="bidi-override",
        ),
        pytest.param(
            roster(["\u200b\u200c", "Flores", "F", "1995", "CEM Villa María"]),
            "required",
            2,
            "nombres",
            "This value is required.",
            id="invisible-only-name",
        ),
        pytest.param(
            roster(
                ["Ana", "Flores", "F", "1995", "CEM Villa María", "0001-01-01"],
                header=[*HEADER, "consentimiento_fecha"],
            ),
            "bad_consent_date",
            2,
            "consentimiento_fecha",
            "is not plausible",
            id="consent-in-year-1",
        ),
        pytest.param(
            roster(
                ["Ana", "Flores", "F", "1995", "CEM Villa María", "a" * 250 + "@cem.pe"],
                header=[*HEADER, "correo"],
            ),
            "bad_email",
            2,
            "correo",
            "at most 254 characters",
            id="over-long-e-mail",
        ),
        pytest.param(
            roster(["Ana", "F" * 151, "F", "1995", "CEM Villa María"]),
            "too_long",
            2,
            "apellidos",
            "at most 150 characters",
            id="over-long-surname",
        ),
    ],
)
def test_a_bad_file_is_reported_and_nothing_is_saved(cohort, data, code, row, column, message):
    before = counts()
    audit_before = AuditLogEntry.objects.count()

    result = run(cohort, data)

    assert not result.ok
    problem = next(p for p in result.problems if p.code == code)
    assert (problem.row, problem.column) == (row, column)
    assert message in problem.message
    assert counts() == before
    assert AuditLogEntry.objects.count() == audit_before


def test_one_bad_row_keeps_the_good_rows_out_too(cohort):
    before = counts()
    result = run(
        cohort,
        roster(
            ["Ana", "Flores", "F", "1995", "CEM Villa María"],
            ["Luis", "", "M", "1983", "CEM Villa María"],
        ),
    )
    assert [(p.row, p.column, p.code) for p in result.problems] == [(3, "apellidos", "required")]
    assert counts() == before
    assert not User.objects.filter(first_name="Ana").exists()


def test_more_people_than_free_places_is_refused(cohort):
    cohort.capacity = 4  # three enrolled already
    cohort.save()
    before = counts()
    result = run(
        cohort,
        roster(
            ["Ana", "Flores", "F", "1995", "CEM Villa María"],
            ["Luis", "Rojas", "M", "1983", "CEM Villa María"],
        ),
    )
    assert [p.code for p in result.problems] == ["over_capacity"]
    assert "1 free place (capacity 4)" in result.problems[0].message
    assert counts() == before


def test_decoding_prefers_utf8_and_falls_back_to_windows_1252():
    assert decode_roster("Ñahui".encode()) == "Ñahui"
    assert decode_roster(b"\xef\xbb\xbf" + "Ñahui".encode()) == "Ñahui"
    assert decode_roster("Ñahui".encode("cp1252")) == "Ñahui"
    assert decode_roster("Ñahui".encode("utf-16")) is None
    assert decode_roster("Ã\ufffd".encode()) is None


# --- Through the admin -------------------------------------------------------------------------


def upload(client, cohort, data):
    return client.post(
        reverse("cohorts:import_roster", args=[cohort.pk]),
        {"file": SimpleUploadedFile("grupo.csv", data, content_type="text/csv")},
    )


def english(user):
    """The admin speaks the user's preferred language (Spanish by default); assert on msgids."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def test_the_admin_shows_the_report_per_row_and_saves_nothing(client, cohort, site_coordinator):
    client.force_login(english(site_coordinator))
    before = counts()
    response = upload(
        client,
        cohort,
        roster(
            ["Ana", "Flores", "F", "1995", "CEM Villa María"],
            ["Luis", "Rojas", "M", "18", "CEM Inexistente"],
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved: the file has 2 problems." in html
    assert 'data-code="bad_birth_year"' in html
    assert 'data-code="unknown_cem"' in html
    assert "<td>3</td>" in html
    assert "<td>anio_nacimiento</td>" in html
    assert "Unknown CEM “CEM Inexistente”" in html
    assert counts() == before


def test_the_admin_page_is_in_spanish_by_default(client, cohort, site_coordinator):
    client.force_login(site_coordinator)
    response = client.get(reverse("cohorts:import_roster", args=[cohort.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="es-pe"' in html
    assert "Grupos" in html  # the breadcrumb to the cohorts, from the Spanish catalogue


def test_the_admin_imports_a_good_file_and_lists_the_enrollments(client, cohort, site_coordinator):
    client.force_login(english(site_coordinator))
    data = roster(
        ["María", "Ñahui", "F", "1980", "CEM Villa María"], delimiter=";", encoding="cp1252"
    )
    response = upload(client, cohort, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("enrollments:index") + f"?cohort={cohort.pk}"
    assert Enrollment.objects.filter(cohort=cohort, activist__username="maria.nahui").exists()
    listing = client.get(response["Location"]).content.decode()
    assert "1 person enrolled (1 new, 0 already registered)." in listing
    assert "María Ñahui" in listing


def test_a_coordinator_of_another_site_cannot_import_into_the_cohort(client, cohort):
    other = person(Role.COORDINATOR, site_=site("iquitos"))
    client.force_login(other)
    before = counts()
    response = upload(client, cohort, roster(["Ana", "Flores", "F", "1995", "CEM Villa María"]))
    assert response.status_code == 404
    assert counts() == before
