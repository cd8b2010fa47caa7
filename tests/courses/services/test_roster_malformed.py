"""Hundreds of generated bad rosters, through the service and the admin view: each is refused
with its problems placed by row and column, never with an exception, and saves nothing."""

import csv
import datetime as dt
import io
from html import escape

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import Enrollment
from courses.services.roster_csv import CONSENT_METHODS, SEX_VALUES, column_key, fold
from courses.services.roster_import import roster_import
from lms.models import AuditLogEntry, ParticipantProfile

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADER = [
    "nombres",
    "apellidos",
    "sexo",
    "anio_nacimiento",
    "cem",
    "telefono",
    "correo",
    "consentimiento_fecha",
    "consentimiento_forma",
]
GOOD_ROW = ["Ana María", "Quispe", "F", "1990", "CEM Villa María", "987 654 321", "", "", ""]
TODAY = dt.date.today()

hostile_name = st.one_of(
    st.tuples(st.text(max_size=8), st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\x85"])).map(
        lambda t: f"{t[0]}{t[1]}x"
    ),
    st.tuples(st.text(max_size=8), st.sampled_from(["\u202e", "\u202d", "\u2066", "\u2067"])).map(
        lambda t: f"Ana{t[1]}{t[0]}"
    ),
    st.lists(
        st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", " "]), min_size=1
    ).map("".join),
    st.integers(min_value=151, max_value=400).map(lambda n: "N" * n),
)
INVALID = {
    "nombres": hostile_name,
    "apellidos": hostile_name,
    "sexo": st.text(min_size=1, max_size=12).filter(
        lambda t: t.strip() and column_key(t) not in SEX_VALUES
    ),
    "anio_nacimiento": st.one_of(
        st.integers(min_value=-(10**20), max_value=TODAY.year - 91).map(str),
        st.integers(min_value=TODAY.year - 14, max_value=10**6).map(str),
        st.text(min_size=1, max_size=8).filter(lambda t: t.strip() and not t.strip().isdigit()),
    ),
    "cem": st.text(min_size=1, max_size=30).filter(
        lambda t: t.strip() and fold(t) not in {"cem villa maria", "villa maria"}
    ),
    "telefono": st.one_of(
        st.text(alphabet="abcxyz#*", min_size=1, max_size=10), st.just("1" * 30), st.just("12")
    ),
    "correo": st.one_of(
        st.integers(min_value=255, max_value=400).map(lambda n: "a" * (n - 7) + "@cem.pe"),
        st.text(alphabet="abc. ", min_size=1, max_size=20).filter(str.strip),
    ),
    "consentimiento_fecha": st.one_of(
        st.dates(max_value=dt.date(TODAY.year - 11, 12, 31)).map(dt.date.isoformat),
        st.dates(min_value=TODAY + dt.timedelta(days=1)).map(lambda d: d.strftime("%d/%m/%Y")),
        st.text(alphabet="0123456789-/x", min_size=1, max_size=12).filter(
            lambda t: not _is_a_recent_date(t)
        ),
    ),
    "consentimiento_forma": st.text(min_size=1, max_size=12).filter(
        lambda t: t.strip() and column_key(t) not in CONSENT_METHODS
    ),
}


def _is_a_recent_date(text: str) -> bool:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            dt.datetime.strptime(" ".join(text.split()), fmt)
            return True
        except ValueError:
            continue
    return not text.strip()


@st.composite
def bad_rosters(draw) -> bytes:
    rows = [list(GOOD_ROW) for _ in range(draw(st.integers(min_value=1, max_value=4)))]
    for number, row in enumerate(rows):
        row[0] = f"{row[0]} {chr(ord('A') + number)}"  # distinct people
    column = draw(st.sampled_from(HEADER))
    rows[draw(st.integers(min_value=0, max_value=len(rows) - 1))][HEADER.index(column)] = draw(
        INVALID[column]
    )
    out = io.StringIO()
    csv.writer(out, delimiter=draw(st.sampled_from([",", ";"]))).writerows([HEADER, *rows])
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    try:
        return text.encode(encoding, errors="surrogatepass" if "utf" in encoding else "strict")
    except UnicodeEncodeError:  # not a Latin-1 spreadsheet's text: save it as UTF-8
        return text.encode("utf-8", errors="surrogatepass")


garbage = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.just(b"nombres,apellidos\r\n" + b'"' * 5000),
    st.just(("nombres,apellidos,sexo,anio_nacimiento,cem\r\n" + "x," * 200_000).encode()),
)


def counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        ParticipantProfile.objects.count(),
        Enrollment.objects.count(),
        AuditLogEntry.objects.count(),
    )


def _assert_placed(problems) -> None:
    assert problems
    for problem in problems:
        assert problem.message.strip() and len(problem.message) < 1000
        assert problem.row is None or problem.row >= 1
        assert isinstance(problem.column, str)


@pytest.fixture
def cohort(cohort_setup):
    return cohort_setup["cohort"]


@FUZZ
@given(data=st.one_of(bad_rosters(), garbage))
def test_the_service_refuses_each_bad_roster_with_its_places(cohort, data):
    before = counts()
    with translation.override("en"):
        result = roster_import(actor=None, cohort=cohort, data=data)
    assert not result.ok
    _assert_placed(result.problems)
    assert counts() == before


@FUZZ
@given(data=bad_rosters())
def test_the_injected_mistake_is_placed_on_its_row_and_column(cohort, data):
    with translation.override("en"):
        result = roster_import(actor=None, cohort=cohort, data=data)
    placed = [p for p in result.problems if p.row is not None and p.row > 1]
    assert placed or any(p.code == "encoding" for p in result.problems), result.problems
    assert all(p.column in HEADER for p in placed)


@settings(FUZZ, max_examples=80)
@given(data=st.one_of(bad_rosters(), garbage))
def test_the_admin_view_reports_each_bad_roster(client, cohort, site_coordinator, data):
    client.force_login(site_coordinator)
    before = counts()
    upload = SimpleUploadedFile("lista.csv", data, "text/csv")
    response = client.post(reverse("cohorts:import_roster", args=[cohort.pk]), {"file": upload})
    assert response.status_code == 200
    result = response.context.get("result")
    if result is None:  # refused by the form (an empty upload)
        assert response.context["form"].errors
    else:
        _assert_placed(result.problems)
        body = response.content.decode()
        assert all(escape(p.message) in body for p in result.problems)
    assert counts() == before
