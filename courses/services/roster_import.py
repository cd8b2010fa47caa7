"""Enroll a cohort's roster from a spreadsheet export (CSV): everybody in one go, or nobody.

The whole file is checked first (:mod:`courses.services.roster_csv` reads it row by row; the
checks against the cohort follow here): any problem (a missing column, a bad birth year, an
unknown CEM, the same person twice, someone already enrolled, too many people for the
cohort…) is reported per row and nothing is saved. A good file creates the people who are new
(user without a password, activist role, participant profile) and enrolls everybody through
`enrollment_create`, in one transaction. The columns are described in the README.

The steps every roster shares (:func:`roster_read`, :func:`roster_match_people`,
:func:`roster_people_save`) serve the validation rounds' participant import as well.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, Group, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import Cohort, Enrollment
from courses.services.delivery import enrollment_create
from courses.services.roster_csv import (
    RosterPerson,
    RosterProblem,
    RosterReader,
    decode_roster,
    person_key,
)
from lms.models import CEM, ParticipantProfile
from lms.roles import Role


@dataclass
class RosterImportResult:
    problems: list[RosterProblem] = field(default_factory=list)
    enrollments: list[Enrollment] = field(default_factory=list)
    created_people: int = 0
    reused_people: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _username_base(first_name: str, last_name: str) -> str:
    def ascii_word(text: str) -> str:
        words = text.split()
        if not words:
            return ""
        bare = unicodedata.normalize("NFKD", words[0]).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]+", "", bare.lower())

    base = ".".join(part for part in (ascii_word(first_name), ascii_word(last_name)) if part)
    return (base or "participante")[:140]


def roster_read(
    data: bytes, *, cems: Iterable[CEM], place: str
) -> tuple[RosterReader | None, list[RosterPerson], list[RosterProblem]]:
    """Decode and read a roster file whose people belong to `cems`: (reader, people, problems).
    The reader is None when the file could not even be decoded."""
    if not data.strip():
        return None, [], [RosterProblem(None, "", _("The file is empty."), "empty")]
    text = decode_roster(data)
    if text is None:
        return (
            None,
            [],
            [
                RosterProblem(
                    None,
                    "",
                    _(
                        "Wrong encoding: the file is neither UTF-8 nor Latin-1 text. Save it "
                        "from the spreadsheet as “CSV UTF-8” and upload it again."
                    ),
                    "encoding",
                )
            ],
        )
    reader = RosterReader(text, cems=cems, place=place)
    people = reader.read()
    return reader, people, reader.problems


def roster_match_people(
    reader: RosterReader,
    people: list[RosterPerson],
    *,
    site_ids: Iterable[int],
    present: set[tuple[str, str, int]],
    present_message: str,
) -> int:
    """The checks every roster shares, after reading: the same person twice in the file, people
    `present` already (keys of :func:`person_key`; `present_message` says where, with
    ``%(name)s``), and people registered at the same CEM of `site_ids` with the same names and
    birth year, who are reused (`existing_user`). Returns the number of people the file adds."""
    name_column = reader.headers["nombres"][1]
    registered: dict[tuple, list[User]] = {}
    for profile in ParticipantProfile.objects.filter(
        cem__site_id__in=list(site_ids)
    ).select_related("user"):
        key = (
            *person_key(profile.user.first_name, profile.user.last_name, profile.birth_year),
            profile.cem_id,
        )
        registered.setdefault(key, []).append(profile.user)

    seen: dict[tuple, int] = {}
    new_people = reader.row_count
    for person in people:
        if person.key in seen:
            reader.problem(
                person.row,
                name_column,
                _("The same person (names and birth year) is already on row %(row)s.")
                % {"row": seen[person.key]},
                "duplicate_person",
            )
            new_people -= 1
            continue
        seen[person.key] = person.row
        if person.key in present:
            reader.problem(
                person.row,
                name_column,
                present_message % {"name": f"{person.first_name} {person.last_name}"},
                "already_enrolled",
            )
            new_people -= 1
            continue
        matches = registered.get((*person.key, person.cem.pk), [])
        if len(matches) > 1:
            reader.problem(
                person.row,
                name_column,
                _(
                    "Several people registered at %(cem)s have these names and birth year; "
                    "enroll this person from the enrollments page."
                )
                % {"cem": person.cem.name},
                "ambiguous_person",
            )
        elif matches:
            person.existing_user = matches[0]
    return new_people


def _check_against_cohort(reader: RosterReader, cohort: Cohort, people: list[RosterPerson]) -> None:
    """Duplicates within the file, people already enrolled, people already registered, places."""
    enrolled = {
        person_key(e.activist.first_name, e.activist.last_name, _birth_year_of(e.activist))
        for e in cohort.enrollments.select_related("activist__profile")
    }
    new_people = roster_match_people(
        reader,
        people,
        site_ids=[cohort.cem.site_id],
        present=enrolled,
        present_message=_("%(name)s is already enrolled in this cohort."),
    )
    if cohort.status == Cohort.Status.CLOSED:
        reader.problem(
            None, "", _("This cohort is closed and takes no new enrollments."), "cohort_closed"
        )
    active = cohort.enrollments.exclude(status=Enrollment.Status.WITHDRAWN).count()
    free = max(0, cohort.capacity - active)
    if new_people > free:
        reader.problem(
            None,
            "",
            ngettext(
                "The cohort has %(free)s free place (capacity %(capacity)s) and the file has "
                "%(count)s new people.",
                "The cohort has %(free)s free places (capacity %(capacity)s) and the file has "
                "%(count)s new people.",
                free,
            )
            % {"free": free, "capacity": cohort.capacity, "count": new_people},
            "over_capacity",
        )


def _birth_year_of(user: User) -> int | None:
    try:
        return user.profile.birth_year
    except ParticipantProfile.DoesNotExist:
        return None


def _unique_usernames(people: list[RosterPerson]) -> dict[int, str]:
    """'maria.quispe', then 'maria.quispe2', 'maria.quispe3'… (row → username)."""
    bases = {p.row: _username_base(p.first_name, p.last_name) for p in people}
    taken: set[str] = set()
    for base in set(bases.values()):
        taken.update(
            name.lower()
            for name in User.objects.filter(username__istartswith=base).values_list(
                "username", flat=True
            )
        )
    usernames = {}
    for row, base in bases.items():
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}{n}"
        taken.add(candidate)
        usernames[row] = candidate
    return usernames


def _create_person(person: RosterPerson, username: str, activists: Group) -> User:
    user = User(
        username=username,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    user.groups.add(activists)
    profile = ParticipantProfile(
        user=user,
        sex=person.sex,
        birth_year=person.birth_year,
        cem=person.cem,
        site_id=person.cem.site_id,
        phone=person.phone,
    )
    profile.full_clean()
    profile.save()
    return user


def roster_people_save(people: list[RosterPerson]) -> list[tuple[User, bool]]:
    """Create the people who are new (no password, activist role, a participant profile) and
    give the reused ones the activist role: (user, created) for each, in order. Call it inside
    the caller's transaction, after every check has passed."""
    usernames = _unique_usernames([p for p in people if p.existing_user is None])
    activists, _created = Group.objects.get_or_create(name=Role.ACTIVIST)
    saved = []
    for person in people:
        if person.existing_user is None:
            saved.append((_create_person(person, usernames[person.row], activists), True))
        else:
            person.existing_user.groups.add(activists)
            saved.append((person.existing_user, False))
    return saved


@transaction.atomic
def roster_import(
    *, actor: AbstractBaseUser | None, cohort: Cohort, data: bytes
) -> RosterImportResult:
    """Check a roster CSV and, only if every row is right, create and enroll everybody.

    Returns the problems (nothing saved) or the enrollments. People already registered at the
    same CEM with the same names and birth year are reused, not duplicated; importing the same
    file twice reports everybody as already enrolled."""
    # One import at a time per cohort: a double submission sees the first one's enrollments.
    cohort = Cohort.objects.select_for_update().select_related("cem__site").get(pk=cohort.pk)
    reader, people, problems = roster_read(
        data, cems=CEM.objects.filter(site_id=cohort.cem.site_id), place=cohort.cem.site.name
    )
    if reader is None:
        return RosterImportResult(problems=problems)
    if reader.headers and reader.row_count:
        _check_against_cohort(reader, cohort, people)
    result = RosterImportResult(problems=reader.problems, ignored_columns=reader.ignored)
    if result.problems:
        return result

    row = None
    try:
        with transaction.atomic():
            people_users = roster_people_save(people)
            result.created_people = sum(1 for _user, created in people_users if created)
            result.reused_people = len(people_users) - result.created_people
            for person, (user, _created) in zip(people, people_users, strict=True):
                row = person.row
                result.enrollments.append(
                    enrollment_create(
                        actor=actor,
                        cohort=cohort,
                        activist=user,
                        consent_method=person.consent_method,
                        consent_given_at=person.consent_given_at,
                    )
                )
    except ValidationError as exc:
        # Checked above, so only a concurrent change gets here: report it, keep nothing.
        return RosterImportResult(
            problems=[RosterProblem(row, "", " ".join(exc.messages), "refused")],
            ignored_columns=reader.ignored,
        )
    return result
