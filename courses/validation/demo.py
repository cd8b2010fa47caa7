"""Demo validation round: the demo course validated with activists at the three sites, closed,
with individual feedback (online and from paper), one workshop per site, three findings with
decisions, and a later revision of a session that answers one of them. Idempotent.

Everything goes through the services, as people would do it on the screens; the answers are
simulated per person from a fixed seed, so that the demo shows the same figures every time."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from courses.models import Cohort, CoursePage, SessionPage
from courses.validation.models import (
    RATING_CODES,
    ValidationFinding,
    ValidationItem,
    ValidationRound,
)
from courses.validation.services.feedback import feedback_submit, paper_feedback_enter
from courses.validation.services.findings import finding_revision_cite, finding_save
from courses.validation.services.participants import participants_add, validation_consent_decide
from courses.validation.services.rounds import (
    default_consent_text,
    round_close,
    round_concept_add,
    round_create,
    round_open,
)
from courses.validation.services.workshops import (
    ItemAssessment,
    WorkshopRecord,
    workshop_record,
)
from lms.models import CEM, Site

DEMO_TITLE = "Validación del esquema del curso con activistas (2026)"
PER_SITE = 14
# Who records the workshop and types in the paper forms at each site.
SITE_TEAM = {
    "villa-maria-del-triunfo": "facilitador",
    "arequipa": "coordinadora-arequipa",
    "iquitos": "facilitadora-iquitos",
}
# How each site tends to rate (added to a person's own tendency), and items rated lower.
SITE_LEAN = {"villa-maria-del-triunfo": 0.3, "arequipa": 0.0, "iquitos": -0.2}
HARDER = {"s07": {"fits": -1.2, "clear": -0.6}, "c02": {"safe": -1.8, "fits": -0.8}}
COMMENTS = {
    "s07": [
        "Los ejemplos de consentimiento no se parecen a cómo hablan los chicos del barrio.",
        "Faltan ejemplos con el celular y las redes sociales.",
        "La idea de que el consentimiento se puede retirar es muy importante.",
    ],
    "s06": ["Hay que cuidar a las compañeras que vivieron violencia: es fuerte."],
    "c02": [
        "En la plaza nos pueden reconocer, no me sentiría segura.",
        "Mejor hacerlo en el local comunal, no en la calle.",
    ],
    "s09": ["Muy bueno que se hable de los papás que cuidan."],
}
MISSING = [
    "Violencia por redes sociales y celulares.",
    "Cómo acompañar a una vecina que cuenta lo que vive.",
    "Más dinámicas para grupos donde no todos leen.",
]


@transaction.atomic
def seed_validation(*, course: CoursePage) -> ValidationRound | None:
    """The demo round, created once."""
    if ValidationRound.objects.filter(course=course, title=DEMO_TITLE).exists():
        return None
    coordinator = User.objects.get(username="coordinadora")
    today = timezone.localdate()
    sites = list(Site.objects.order_by("name"))
    round_ = round_create(
        actor=coordinator,
        course=course,
        revision=course.latest_revision,
        title=DEMO_TITLE,
        purpose=(
            "Queremos saber si las sesiones y algunas ideas del nuevo curso se entienden, sirven "
            "en sus comunidades y se pueden facilitar con seguridad."
        ),
        sites=sites,
        cems=CEM.objects.filter(site__in=sites),
        starts_on=today - dt.timedelta(days=60),
        ends_on=today - dt.timedelta(days=30),
        consent_version="2026-1",
        consent_text=default_consent_text(),
    )
    round_concept_add(
        actor=coordinator,
        round=round_,
        kind=ValidationItem.Kind.KEY_MESSAGE,
        title="Los hombres también pueden cuidar y pedir ayuda",
        description="Mensaje central de la campaña que acompaña al curso.",
    )
    round_concept_add(
        actor=coordinator,
        round=round_,
        kind=ValidationItem.Kind.ACTIVITY,
        title="Sociodrama en un espacio público del barrio",
        description=(
            "Representar en la plaza una situación de acoso y detenerla entre todas y todos."
        ),
    )
    people = _people(sites)
    participants = participants_add(actor=coordinator, round=round_, people=people)
    round_open(actor=coordinator, round=round_)
    items = list(round_.items.all())
    for index, participant in enumerate(participants):
        _feedback(participant, index, items)
    for site in sites:
        _workshop(round_, site, items)
    round_close(actor=coordinator, round=round_)
    _findings(round_, coordinator, items)
    return round_


def _people(sites) -> list[User]:
    """Activists of the demo cohorts, both sexes and generations, at every site."""
    people = []
    for site in sites:
        cohorts = Cohort.objects.filter(cem__site=site).order_by("start_date")
        activists = list(
            User.objects.filter(enrollments__cohort__in=cohorts, profile__isnull=False)
            .select_related("profile")
            .distinct()
            .order_by("username")
        )
        men = [u for u in activists if u.profile.sex == "M"][: PER_SITE // 3]
        women = [u for u in activists if u.profile.sex == "F"][: PER_SITE - len(men)]
        people += men + women
    return people


def _feedback(participant, index: int, items) -> None:
    rng = random.Random(f"validation-{participant.person.username}")
    site = participant.site.slug
    paper = index % 4 == 0
    if rng.random() < 0.06:  # a few prefer not to take part: recorded, nothing else happens
        validation_consent_decide(
            participant=participant,
            accepted=False,
            text_version=participant.round.consent_version,
        )
        return
    if rng.random() < 0.08:
        return  # agreed to be invited, never answered
    tendency = rng.gauss(3.9 + SITE_LEAN[site], 0.5)
    answers = {}
    for item in items:
        ratings = {}
        for rating in RATING_CODES:
            if rng.random() < 0.04:
                continue  # left blank
            value = tendency + HARDER.get(item.code, {}).get(rating, 0) + rng.gauss(0, 0.7)
            ratings[rating] = min(5, max(1, round(value)))
        if item.code in COMMENTS and rng.random() < 0.5:
            ratings["comment"] = rng.choice(COMMENTS[item.code])
        answers[item.code] = ratings
    missing = rng.choice(MISSING) if rng.random() < 0.4 else ""
    if paper:
        team = User.objects.get(username=SITE_TEAM[site])
        paper_feedback_enter(
            actor=team,
            participant=participant,
            consent_signed=True,
            answers=answers,
            missing=missing,
            submission_key=uuid.uuid4(),
        )
        return
    validation_consent_decide(
        participant=participant, accepted=True, text_version=participant.round.consent_version
    )
    feedback_submit(
        participant=participant, answers=answers, missing=missing, submission_key=uuid.uuid4()
    )


def _workshop(round_, site, items) -> None:
    rng = random.Random(f"workshop-{site.slug}")
    verdicts = {}
    for item in items:
        verdict = "accept"
        if item.code == "s07":
            verdict = "adapt"
        elif item.code == "c02":
            verdict = "reject" if site.slug != "villa-maria-del-triunfo" else "adapt"
        verdicts[item.code] = ItemAssessment(
            verdict=verdict,
            notes="El grupo pidió ejemplos con celulares y redes." if item.code == "s07" else "",
            quotes=(
                "Así no hablamos acá.\nEl consentimiento también es en el chat."
                if item.code == "s07"
                else "En la plaza nos conocen a todos."
                if item.code == "c02"
                else ""
            ),
        )
    workshop_record(
        actor=User.objects.get(username=SITE_TEAM[site.slug]),
        round=round_,
        record=WorkshopRecord(
            site=site,
            cem=round_.cems.filter(site=site).order_by("name").first(),
            held_on=round_.starts_on + dt.timedelta(days=7 + rng.randint(0, 10)),
            place="Local comunal",
            notes="Participación activa; se leyó cada sesión en voz alta.",
            headcount={
                ("F", "20-29"): rng.randint(3, 6),
                ("F", "35-50"): rng.randint(4, 7),
                ("M", "20-29"): rng.randint(2, 4),
                ("M", "35-50"): rng.randint(2, 4),
            },
            assessments=verdicts,
        ),
        client_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-workshop-{round_.pk}-{site.slug}"),
    )


def _findings(round_, coordinator, items) -> None:
    by_code = {item.code: item for item in items}
    workshops = list(round_.workshops.all())
    consent = finding_save(
        actor=coordinator,
        round=round_,
        title=(
            "Los ejemplos de la sesión de consentimiento no reflejan cómo hablan las y los jóvenes"
        ),
        items=[by_code["s07"]],
        workshops=workshops,
        evidence=(
            "La sesión 7 tiene la valoración más baja en «se parece a cómo hablamos y vivimos» en "
            "las tres sedes; los tres talleres pidieron adaptarla; comentarios sobre el celular."
        ),
        tags=[ValidationFinding.Tag.UNCLEAR, ValidationFinding.Tag.CULTURALLY_INAPPROPRIATE],
        decision=ValidationFinding.Decision.ADAPT,
        decision_reason=(
            "Se reescriben los mensajes clave con situaciones de chat y redes sociales."
        ),
    )
    finding_save(
        actor=coordinator,
        round=round_,
        title="Falta un tema sobre violencia en entornos digitales",
        items=[by_code["s07"], by_code["s08"]],
        evidence="Es lo que más se menciona en «¿qué falta?» y en los comentarios de la sesión 7.",
        tags=[ValidationFinding.Tag.MISSING_TOPIC],
        decision=ValidationFinding.Decision.ADOPT,
        decision_reason="Se añadirá una actividad sobre violencia digital en la próxima versión.",
    )
    finding_save(
        actor=coordinator,
        round=round_,
        title="El sociodrama en la plaza expone a las participantes",
        items=[by_code["c02"]],
        workshops=workshops,
        evidence=(
            "Valoración baja en seguridad; dos talleres lo rechazaron; «en la plaza nos conocen»."
        ),
        tags=[ValidationFinding.Tag.RISK],
        decision=ValidationFinding.Decision.REJECT,
        decision_reason="No se incluye: el sociodrama se hace solo en espacios cerrados y seguros.",
    )
    session = SessionPage.objects.child_of(round_.course).get(number=7).specific
    session = session.get_latest_revision_as_object()
    session.key_messages = (
        (session.key_messages or "")
        + "<ul><li>El consentimiento también vale en el chat: pedir una foto o reenviarla sin "
        "permiso es violencia.</li><li>«No me contestó» no es un sí.</li></ul>"
    )
    revision = session.save_revision(user=coordinator, log_action=True)
    revision.publish(user=coordinator)
    finding_revision_cite(actor=coordinator, finding=consent, revision=revision)
