"""Who each kind of object is for: the table of :mod:`lms.access`.

Each kind is one entry of :data:`KINDS`, keyed by model label (never imported): its lookups to
a site, to the people who train it, to the person it belongs to, and the audiences that read it,
manage it, and read it only as figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Flag, auto

# --- Audiences: who a kind of object is for ----------------------------------------------------


class Audience(Flag):
    """Who reads or manages a kind of object; combine with ``|``. Superusers are in every
    audience but NOBODY: nobody changes the audit log or someone's answers."""

    NOBODY = 0
    OWNER = auto()  # the person the record belongs to, whatever her roles
    TRAINERS = auto()  # trainers among the object's own trainers
    SITE_TRAINERS = auto()  # trainers whose own site is the object's site
    COORDINATORS = auto()  # of the object's site; national coordinators of every site
    ACCREDITORS = auto()  # every site, reading only


OWNER, TRAINERS, SITE_TRAINERS = Audience.OWNER, Audience.TRAINERS, Audience.SITE_TRAINERS
COORDINATORS, ACCREDITORS, NOBODY = Audience.COORDINATORS, Audience.ACCREDITORS, Audience.NOBODY
TEAM = COORDINATORS | SITE_TRAINERS  # a site's team: its coordinators and trainers


@dataclass(frozen=True)
class Kind:
    """How one kind of object relates to sites and people, and who reads or manages it.

    ``site`` is the lookup from the model to :class:`lms.models.Site` ("pk" for sites),
    ``owner`` to the user the record belongs to, ``trainers`` to the users who train it;
    ``figures`` reads them only as figures (dashboards, de-identified exports), never one by one."""

    site: str
    read: Audience
    manage: Audience = NOBODY
    owner: str | None = None
    trainers: str | None = None
    figures: Audience = NOBODY


KINDS: dict[str, Kind] = {
    "lms.Site": Kind(
        site="pk", read=COORDINATORS, manage=COORDINATORS, figures=COORDINATORS | ACCREDITORS
    ),
    "lms.CEM": Kind(site="site", read=COORDINATORS, manage=COORDINATORS),
    "lms.ParticipantProfile": Kind(site="site", read=COORDINATORS, manage=COORDINATORS),
    "auth.User": Kind(site="profile__site", read=COORDINATORS, manage=COORDINATORS),
    "lms.AuditLogEntry": Kind(site="site", read=COORDINATORS | ACCREDITORS),
    "courses.Cohort": Kind(
        site="cem__site",
        trainers="trainers",
        read=COORDINATORS | ACCREDITORS | TRAINERS,
        manage=COORDINATORS | TRAINERS,
    ),
    "courses.Enrollment": Kind(
        site="cohort__cem__site",
        owner="activist",
        trainers="cohort__trainers",
        read=OWNER | COORDINATORS | ACCREDITORS | TRAINERS,
        manage=COORDINATORS,
    ),
    # An activist reads the sessions of her cohorts; their trainers run them.
    "courses.SessionDelivery": Kind(
        site="cohort__cem__site",
        owner="cohort__enrollments__activist",
        trainers="cohort__trainers",
        read=OWNER | COORDINATORS | ACCREDITORS | TRAINERS,
        manage=COORDINATORS | TRAINERS,
    ),
    "certificates.Certificate": Kind(
        site="enrollment__cohort__cem__site",
        owner="enrollment__activist",
        trainers="enrollment__cohort__trainers",
        read=OWNER | COORDINATORS | ACCREDITORS | TRAINERS,
        manage=COORDINATORS,
        figures=COORDINATORS | ACCREDITORS,
    ),
    # The cascade: an activist's groups and replica sessions; the site's staff verify them.
    "courses.District": Kind(site="site", read=COORDINATORS, manage=COORDINATORS),
    "courses.CommunityGroup": Kind(
        site="cem__site",
        owner="activist",
        read=OWNER | SITE_TRAINERS | COORDINATORS,
        manage=OWNER,
        figures=COORDINATORS | ACCREDITORS,
    ),
    "courses.ReplicaSession": Kind(
        site="group__cem__site",
        owner="group__activist",
        read=OWNER | SITE_TRAINERS | COORDINATORS,
        manage=SITE_TRAINERS | COORDINATORS,
        figures=COORDINATORS | ACCREDITORS,
    ),
    # Questionnaire answers are read only as aggregates (the analytics), and never by
    # accreditors; each activist reaches her own through her enrollment.
    "assessments.Response": Kind(site="site", read=COORDINATORS),
    # Curriculum validation: a round spans sites; their trainers run workshops and paper forms.
    "courses.ValidationRound": Kind(site="sites", read=TEAM | ACCREDITORS, manage=COORDINATORS),
    "courses.ValidationParticipant": Kind(
        site="site", owner="person", read=OWNER | TEAM, manage=TEAM
    ),
    "courses.ValidationFeedback": Kind(
        site="site", read=COORDINATORS, figures=COORDINATORS | ACCREDITORS
    ),
    "courses.ValidationWorkshop": Kind(
        site="site", read=TEAM, manage=TEAM, figures=TEAM | ACCREDITORS
    ),
    "courses.ValidationFinding": Kind(
        site="round__sites", read=COORDINATORS | ACCREDITORS, manage=COORDINATORS
    ),
    # A person's data-rights requests: hers to read, her site's coordinators' to handle.
    "lms.DataRightsRequest": Kind(
        site="site", owner="person", read=OWNER | COORDINATORS, manage=COORDINATORS
    ),
    # The download of everything held about her is for her alone (see :func:`owned`).
    "lms.PersonalDataExport": Kind(site="person__profile__site", owner="person", read=OWNER),
}
