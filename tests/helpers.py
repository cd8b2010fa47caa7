"""Utilities the tests share. Fixtures live in the conftest.py files; factories in factories.py.

No test module imports another test module: what two of them need is here.
"""

import io
from pathlib import Path

from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]

#: The example instrument written for the platform (not validated), as its `cem-instrument/1` file.
EXAMPLE_INSTRUMENT = ROOT / "assessments/instruments/ejemplo_tolerancia.json"

# --- Languages -------------------------------------------------------------------------------


def en(name: str, *args) -> str:
    """The English URL (/en/…) of a view: pages read on it show the msgids, so assertions on
    text survive the Spanish translation."""
    with translation.override("en"):
        return reverse(name, args=args)


def prefer_english(user):
    """The Wagtail admin speaks the user's preferred language (Spanish by default)."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


# --- Documents -------------------------------------------------------------------------------


def pdf_text(data: bytes) -> tuple[str, PdfReader]:
    """The text of every page with its whitespace normalised, and the parsed document."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), reader


# --- Questionnaire responses -----------------------------------------------------------------


def submit_response(
    *,
    instrument,
    cohort,
    code: str,
    wave: str,
    answers: dict,
    key=None,
    scores: dict | None = None,
    sex: str = "M",
    generation: str = "20-29",
):
    """A submitted response stored directly (the questionnaire screens have their own tests).
    With a scoring `key` the scores are computed from the answers; else `scores` is stored."""
    from assessments.models import Response

    return Response.objects.create(
        research_code=code,
        instrument=instrument,
        cohort=cohort,
        site=cohort.cem.site,
        wave=wave,
        sex=sex,
        generation=generation,
        status=Response.Status.SUBMITTED,
        answers=answers,
        scores=key.scores(answers) if key is not None else (scores or {}),
        scoring_key_version=key.version if key is not None else "",
        submitted_at=timezone.now(),
    )


# A pre/post dataset with known answers (analytics and exports). Raw answers to the five
# tolerance items: (pre, post); None = "prefer not to answer"; a list shorter than five leaves
# the last items unanswered; post None = no exit response.
TOL = ("tol_01", "tol_02", "tol_03", "tol_04", "tol_05")  # tol_03 is reverse-coded
TOLERANCE = {
    # Villa María del Triunfo, cohort "Grupo Norte": 6 complete pairs, 1 without exit
    # questionnaire, 1 whose exit answers are too few to score (3 of 5 < 80 %).
    "norte": [
        ([4, 5, 2, 4, 5], [2, 3, 4, 2, 3]),
        ([5, 4, 1, 5, 4], [3, 3, 3, 3, 2]),
        ([3, 4, 3, 3, 4], [3, 3, 3, 2, 3]),
        ([4, 4, 2, 3, 5], [4, 4, 2, 3, 4]),
        ([2, 3, 4, 2, 2], [2, 2, 4, 1, 2]),
        ([5, 5, 1, 4, None], [2, 3, 5, 2, 2]),
        ([4, 4, 2, 4, 4], None),
        ([3, 3, 3, 3, 3], [2, 2, 2]),
    ],
    # Villa María del Triunfo, cohort "Grupo Sur": 4 pairs, must be suppressed.
    "sur": [
        ([4, 4, 2, 4, 4], [3, 3, 3, 3, 3]),
        ([3, 3, 3, 3, 3], [2, 2, 4, 2, 2]),
        ([5, 5, 1, 5, 5], [4, 4, 2, 4, 4]),
        ([2, 2, 4, 2, 2], [2, 2, 4, 2, 2]),
    ],
    # Arequipa, cohort "Grupo Misti": 5 pairs.
    "misti": [
        ([4, 4, 2, 4, 4], [3, 3, 3, 3, 3]),
        ([5, 5, 1, 5, 5], [4, 4, 2, 4, 4]),
        ([3, 3, 3, 3, 3], [3, 3, 3, 3, 2]),
        ([4, 3, 2, 4, 3], [2, 2, 4, 2, 2]),
        ([2, 2, 4, 2, 2], [2, 2, 4, 2, 3]),
    ],
    # Arequipa, cohort "Grupo Oeste": 3 pairs, suppressed too. With two groups hidden the
    # others stay visible (a lone hidden group would also hide the smallest visible one).
    "oeste": [
        ([4, 4, 2, 4, 4], [3, 3, 3, 3, 3]),
        ([3, 3, 3, 3, 3], [3, 3, 3, 3, 3]),
        ([5, 4, 1, 5, 5], [4, 4, 2, 4, 4]),
    ],
}
COHORTS = {
    "norte": ("Grupo Norte", "villa-maria-del-triunfo"),
    "sur": ("Grupo Sur", "villa-maria-del-triunfo"),
    "misti": ("Grupo Misti", "arequipa"),
    "oeste": ("Grupo Oeste", "arequipa"),
}


def answers_from(tolerance: list, instrument_codes: list[str]) -> dict:
    """Every other item answered 3; the tolerance items as given (None kept as null)."""
    answers = {code: 3 for code in instrument_codes if code not in TOL}
    for code, value in zip(TOL, tolerance, strict=False):
        answers[code] = value
    return answers


def build_dataset(course, tolerance=TOLERANCE, cohorts=COHORTS) -> dict:
    """Import the example instrument, enrol one activist per answer row and store the
    submitted pre/post responses. Returns instrument, key, cohorts and enrollments."""
    from assessments.instruments.files import instrument_import
    from assessments.instruments.scoring import ScoringKey
    from lms.research_codes import research_code_of
    from tests.factories import CEMFactory, CohortFactory, EnrollmentFactory, site

    instrument = instrument_import(EXAMPLE_INSTRUMENT.read_bytes())
    key = ScoringKey.for_instrument(instrument)
    codes = list(instrument.items.values_list("code", flat=True))
    made = {"instrument": instrument, "key": key, "cohorts": {}, "enrollments": {}}
    for name, rows in tolerance.items():
        label, site_slug = cohorts[name]
        cem = CEMFactory(site=site(site_slug), name=f"CEM {label}")
        cohort = CohortFactory(course=course, cem=cem, name=label)
        made["cohorts"][name] = cohort
        made["enrollments"][name] = []
        for i, (pre, post) in enumerate(rows):
            enrollment = EnrollmentFactory(cohort=cohort)
            made["enrollments"][name].append(enrollment)
            code = research_code_of(enrollment.activist.profile)
            sex = "M" if i % 2 == 0 else "F"
            common = {"instrument": instrument, "key": key, "code": code, "cohort": cohort}
            submit_response(**common, wave="pre", answers=answers_from(pre, codes), sex=sex)
            if post is not None:
                submit_response(**common, wave="post", answers=answers_from(post, codes), sex=sex)
    return made


# --- Validation rounds -----------------------------------------------------------------------

VALIDATION_SITES = {"A": "villa-maria-del-triunfo", "B": "arequipa", "C": "iquitos"}


def activist_at(cem, *, sex: str = "F", young: bool = True, first_name=None, last_name=None):
    """An activist registered at `cem`, of the research's younger (25) or older (40) band."""
    import datetime as dt

    from lms.roles import Role
    from tests.factories import person

    user = person(
        Role.ACTIVIST, cem=cem, sex=sex, birth_year=dt.date.today().year - (25 if young else 40)
    )
    if first_name:
        user.first_name, user.last_name = first_name, last_name
        user.save()
    return user


def validation_round(course, places: dict, actor, *, keys: str = "ABC", revision=None):
    """A round in preparation on the course's latest revision at the sites of `keys`."""
    import datetime as dt

    from courses.validation.services.rounds import round_create

    today = timezone.localdate()
    return round_create(
        actor=actor,
        course=course,
        revision=revision or course.latest_revision,
        title="Ronda de prueba",
        sites=[places["sites"][k] for k in keys],
        cems=[places["cems"][k] for k in keys],
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=20),
        consent_version="v1",
        consent_text="Texto del consentimiento.",
    )


def ratings(value, **overrides) -> dict:
    """The four ratings of an item, all `value` unless overridden (None = not given)."""
    return {"clear": value, "relevant": value, "fits": value, "safe": value} | overrides


def give_feedback(participant, answers: dict, *, missing: str = "", key=None):
    """Consent online, then send `answers` ({item code: ratings and comment})."""
    import uuid

    from courses.validation.services.feedback import feedback_submit
    from courses.validation.services.participants import validation_consent_decide

    validation_consent_decide(
        participant=participant, accepted=True, text_version=participant.round.consent_version
    )
    return feedback_submit(
        participant=participant,
        answers=answers,
        missing=missing,
        submission_key=key or uuid.uuid4(),
    )


# --- Browser journeys ------------------------------------------------------------------------

# Activists and trainers often browse on prepaid mobile data: their pages stay under 100 KB.
ACTIVIST_BUDGET = 100 * 1024
TRAINER_BUDGET = 100 * 1024
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 740}


# --- The cascade -----------------------------------------------------------------------------


def replica_input(sessions, *, days_ago: int = 3, **changes):
    """A valid replica session: 7 women and 5 men of 18–29, 4 and 2 of them for the first time."""
    import datetime as dt
    import uuid

    from courses.cascade.bands import COUNT_FIELDS, FIRST_FIELDS
    from courses.cascade.protocol import ReplicaInput

    counts = dict.fromkeys((*COUNT_FIELDS, *FIRST_FIELDS), 0)
    counts |= {"women_18_29": 7, "men_18_29": 5, "first_women_18_29": 4, "first_men_18_29": 2}
    counts |= changes.pop("counts", {})
    values = {
        "uuid": uuid.uuid4(),
        "held_on": timezone.localdate() - dt.timedelta(days=days_ago),
        "duration_minutes": 90,
        "place": "Local comunal de Nueva Esperanza",
        "session_ids": tuple(s.pk for s in sessions[:2]),
        "counts": counts,
    }
    return ReplicaInput(**(values | changes))


def image_bytes(kind: str = "JPEG", size=(800, 600), **save) -> bytes:
    """A small photo made with Pillow, in any format it writes."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (120, 30, 90)).save(out, format=kind, **save)
    return out.getvalue()
