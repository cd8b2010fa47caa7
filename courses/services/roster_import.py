"""Enroll a cohort's roster from a spreadsheet export (CSV): everybody in one go, or nobody.

The whole file is checked first; any problem (a missing column, a bad birth year, an unknown CEM,
the same person twice, someone already enrolled, too many people for the cohort…) is reported
per row and nothing is saved. A good file creates the people who are new (user without a
password, activist role, participant profile) and enrolls everybody through `enrollment_create`,
in one transaction. See docs/roster-csv.md for the columns.
"""

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time

from django.contrib.auth.models import AbstractBaseUser, Group, User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import Cohort, Enrollment
from courses.services.delivery import enrollment_create
from lms.models import CEM, ParticipantProfile
from lms.roles import Role

MAX_ROWS = 1000
MIN_AGE, MAX_AGE = 15, 90

REQUIRED_COLUMNS = ("nombres", "apellidos", "sexo", "anio_nacimiento", "cem")
OPTIONAL_COLUMNS = ("telefono", "correo", "consentimiento_fecha", "consentimiento_forma")

# Other spellings people type for the same columns (after accents and case are folded).
COLUMN_ALIASES = {
    "nombre": "nombres",
    "apellido": "apellidos",
    "sexo_genero": "sexo",
    "ano_nacimiento": "anio_nacimiento",
    "anio_de_nacimiento": "anio_nacimiento",
    "ano_de_nacimiento": "anio_nacimiento",
    "celular": "telefono",
    "email": "correo",
    "e_mail": "correo",
    "correo_electronico": "correo",
    "fecha_consentimiento": "consentimiento_fecha",
    "fecha_de_consentimiento": "consentimiento_fecha",
    "forma_consentimiento": "consentimiento_forma",
    "forma_de_consentimiento": "consentimiento_forma",
}
# A header containing one of these words holds an identity document number.
NATIONAL_ID_WORDS = frozenset({"dni", "documento", "pasaporte", "extranjeria", "ruc"})

SEX_VALUES = {
    "f": ParticipantProfile.Sex.FEMALE,
    "mujer": ParticipantProfile.Sex.FEMALE,
    "femenino": ParticipantProfile.Sex.FEMALE,
    "m": ParticipantProfile.Sex.MALE,
    "hombre": ParticipantProfile.Sex.MALE,
    "varon": ParticipantProfile.Sex.MALE,
    "masculino": ParticipantProfile.Sex.MALE,
    "x": ParticipantProfile.Sex.OTHER,
    "otro": ParticipantProfile.Sex.OTHER,
    "otra": ParticipantProfile.Sex.OTHER,
}
CONSENT_METHODS = {
    "escrito": Enrollment.ConsentMethod.WRITTEN,
    "escrita": Enrollment.ConsentMethod.WRITTEN,
    "por_escrito": Enrollment.ConsentMethod.WRITTEN,
    "en_linea": Enrollment.ConsentMethod.ONLINE,
    "enlinea": Enrollment.ConsentMethod.ONLINE,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
PHONE_RE = re.compile(r"[0-9 +()\-]{6,20}")


@dataclass(frozen=True)
class RosterProblem:
    """One problem of the file. `row` is the spreadsheet row (header = 1), None for the file."""

    row: int | None
    column: str
    message: str
    code: str


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


@dataclass
class _Person:
    row: int
    first_name: str
    last_name: str
    sex: str
    birth_year: int
    cem: CEM
    phone: str
    email: str
    consent_method: str
    consent_given_at: datetime | None
    existing_user: User | None = None

    @property
    def key(self) -> tuple[str, str, int]:
        return person_key(self.first_name, self.last_name, self.birth_year)


def fold(value: str) -> str:
    """Case-, accent- and spacing-insensitive form of a text, for matching."""
    decomposed = unicodedata.normalize("NFKD", value)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def column_key(header: str) -> str:
    """'Año de nacimiento ' → 'ano_de_nacimiento'."""
    return re.sub(r"[^a-z0-9]+", "_", fold(header)).strip("_")


def person_key(first_name: str, last_name: str, birth_year: int | None) -> tuple[str, str, int]:
    return (fold(first_name), fold(last_name), birth_year or 0)


def decode_roster(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), else Windows-1252, the superset of Latin-1 that spreadsheets
    write. None when neither fits or the text shows signs of a wrong conversion."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for encoding in ("utf-8", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\ufffd" in text or "\x00" in text:
            return None
        return text
    return None


def _delimiter(text: str) -> str:
    # Peruvian Excel writes semicolons (the comma is the decimal separator): look at the header.
    header = text.lstrip().split("\n", 1)[0]
    return max((";", ",", "\t"), key=header.count) if any(d in header for d in ";,\t") else ","


def _username_base(first_name: str, last_name: str) -> str:
    def ascii_word(text: str) -> str:
        words = text.split()
        if not words:
            return ""
        bare = unicodedata.normalize("NFKD", words[0]).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]+", "", bare.lower())

    base = ".".join(part for part in (ascii_word(first_name), ascii_word(last_name)) if part)
    return (base or "participante")[:140]


class _Reader:
    """Validates a decoded roster against a cohort, collecting problems."""

    def __init__(self, cohort: Cohort, text: str):
        self.cohort = cohort
        self.text = text
        self.problems: list[RosterProblem] = []
        self.ignored: list[str] = []
        self.headers: dict[str, tuple[int, str]] = {}  # canonical → (index, header as written)
        self.row_count = 0
        self.today = timezone.localdate()
        self.cems = self._cem_lookup()

    def problem(self, row: int | None, column: str, message: str, code: str) -> None:
        self.problems.append(RosterProblem(row=row, column=column, message=message, code=code))

    def _cem_lookup(self) -> dict[str, CEM]:
        lookup: dict[str, CEM] = {}
        for cem in CEM.objects.filter(site_id=self.cohort.cem.site_id):
            name = fold(cem.name)
            lookup[name] = cem
            lookup.setdefault(name.removeprefix("cem "), cem)
        return lookup

    def read(self) -> list[_Person]:
        try:
            records = list(
                csv.reader(io.StringIO(self.text, newline=""), delimiter=_delimiter(self.text))
            )
        except csv.Error as exc:
            self.problem(
                None,
                "",
                _("The file could not be read as CSV (%(error)s).") % {"error": exc},
                "not_csv",
            )
            return []
        rows = [
            (number, cells)
            for number, cells in enumerate(records, start=1)
            if any(cell.strip() for cell in cells)
        ]
        if not rows:
            self.problem(None, "", _("The file is empty."), "empty")
            return []
        (header_row, header), *data = rows
        if not self._read_header(header_row, header):
            return []
        if not data:
            self.problem(None, "", _("The file has no rows below the header."), "empty")
            return []
        if len(data) > MAX_ROWS:
            self.problem(
                None,
                "",
                _("The file has %(count)s rows; import at most %(max)s at a time.")
                % {"count": len(data), "max": MAX_ROWS},
                "too_many_rows",
            )
            return []
        self.row_count = len(data)
        people = [self._read_row(number, cells) for number, cells in data]
        return [person for person in people if person is not None]

    def _read_header(self, row: int, header: list[str]) -> bool:
        for index, written in enumerate(header):
            key = column_key(written)
            if not key:
                continue
            if NATIONAL_ID_WORDS & set(key.split("_")):
                self.problem(
                    row,
                    written.strip(),
                    _(
                        "The platform does not collect national ID numbers (DNI or other "
                        "identity documents). Delete this column and upload the file again."
                    ),
                    "national_id",
                )
                continue
            key = COLUMN_ALIASES.get(key, key)
            if key not in REQUIRED_COLUMNS and key not in OPTIONAL_COLUMNS:
                self.ignored.append(written.strip())
                continue
            if key in self.headers:
                self.problem(
                    row, written.strip(), _("This column appears twice."), "duplicate_column"
                )
                continue
            self.headers[key] = (index, written.strip())
        for key in REQUIRED_COLUMNS:
            if key not in self.headers:
                self.problem(
                    row, key, _("Missing column “%(column)s”.") % {"column": key}, "missing_column"
                )
        return not self.problems

    def _read_row(self, row: int, cells: list[str]) -> _Person | None:
        before = len(self.problems)

        def value(key: str) -> str:
            index = self.headers.get(key, (None, ""))[0]
            if index is None or index >= len(cells):
                return ""
            return " ".join(cells[index].split())

        def column(key: str) -> str:
            return self.headers[key][1]

        def required(key: str) -> str:
            text = value(key)
            if not text:
                self.problem(row, column(key), _("This value is required."), "required")
            return text

        first_name, last_name = required("nombres"), required("apellidos")
        for key, text in (("nombres", first_name), ("apellidos", last_name)):
            if len(text) > 150:
                self.problem(row, column(key), _("Too long (at most 150 characters)."), "too_long")

        sex = None
        if sex_text := required("sexo"):
            sex = SEX_VALUES.get(column_key(sex_text))
            if sex is None:
                self.problem(
                    row,
                    column("sexo"),
                    _("“%(value)s” is not a sex: write F, M or X (or Mujer, Hombre, Otro).")
                    % {"value": sex_text},
                    "bad_sex",
                )

        birth_year = None
        if year_text := required("anio_nacimiento"):
            birth_year = self._birth_year(row, column("anio_nacimiento"), year_text)

        cem = None
        if cem_text := required("cem"):
            cem = self.cems.get(fold(cem_text)) or self.cems.get(
                fold(cem_text).removeprefix("cem ")
            )
            if cem is None:
                self.problem(
                    row,
                    column("cem"),
                    _("Unknown CEM “%(value)s”: it must be one of the CEMs of %(site)s: %(names)s.")
                    % {
                        "value": cem_text,
                        "site": self.cohort.cem.site.name,
                        "names": ", ".join(sorted({c.name for c in self.cems.values()}, key=fold)),
                    },
                    "unknown_cem",
                )

        phone = value("telefono")
        if phone and not PHONE_RE.fullmatch(phone):
            self.problem(
                row,
                column("telefono"),
                _("“%(value)s” is not a phone number.") % {"value": phone},
                "bad_phone",
            )

        email = value("correo")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self.problem(
                    row,
                    column("correo"),
                    _("“%(value)s” is not an e-mail address.") % {"value": email},
                    "bad_email",
                )

        consent_at = None
        if consent_text := value("consentimiento_fecha"):
            consent_at = self._consent_date(row, column("consentimiento_fecha"), consent_text)

        consent_method = Enrollment.ConsentMethod.WRITTEN
        if method_text := value("consentimiento_forma"):
            consent_method = CONSENT_METHODS.get(column_key(method_text))
            if consent_method is None:
                self.problem(
                    row,
                    column("consentimiento_forma"),
                    _("“%(value)s” is not a form of consent: write escrito or en_linea.")
                    % {"value": method_text},
                    "bad_consent_method",
                )

        if len(self.problems) > before:
            return None
        return _Person(
            row=row,
            first_name=first_name,
            last_name=last_name,
            sex=sex,
            birth_year=birth_year,
            cem=cem,
            phone=phone,
            email=email,
            consent_method=consent_method,
            consent_given_at=consent_at,
        )

    def _birth_year(self, row: int, column: str, text: str) -> int | None:
        if not re.fullmatch(r"\d{4}", text):
            self.problem(
                row,
                column,
                _("“%(value)s” is not a year: write four digits, e.g. 1990.") % {"value": text},
                "bad_birth_year",
            )
            return None
        year = int(text)
        if not MIN_AGE <= self.today.year - year <= MAX_AGE:
            self.problem(
                row,
                column,
                _(
                    "Birth year %(year)s is not plausible: participants are %(min)s to "
                    "%(max)s years old."
                )
                % {"year": year, "min": MIN_AGE, "max": MAX_AGE},
                "bad_birth_year",
            )
            return None
        return year

    def _consent_date(self, row: int, column: str, text: str) -> datetime | None:
        for fmt in DATE_FORMATS:
            try:
                day = datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            if day > self.today:
                self.problem(
                    row, column, _("The date of consent is in the future."), "bad_consent_date"
                )
                return None
            return timezone.make_aware(datetime.combine(day, time.min))
        self.problem(
            row,
            column,
            _("“%(value)s” is not a date: write YYYY-MM-DD or DD/MM/YYYY.") % {"value": text},
            "bad_consent_date",
        )
        return None


def _check_against_cohort(reader: _Reader, cohort: Cohort, people: list[_Person]) -> None:
    """Duplicates within the file, people already enrolled, people already registered, places."""
    columns = {key: written for key, (_index, written) in reader.headers.items()}
    name_column = columns["nombres"]

    enrolled = {
        person_key(e.activist.first_name, e.activist.last_name, _birth_year_of(e.activist))
        for e in cohort.enrollments.select_related("activist__profile")
    }
    registered: dict[tuple, list[User]] = {}
    for profile in ParticipantProfile.objects.filter(
        cem__site_id=cohort.cem.site_id
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
        if person.key in enrolled:
            reader.problem(
                person.row,
                name_column,
                _("%(name)s is already enrolled in this cohort.")
                % {"name": f"{person.first_name} {person.last_name}"},
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


def _unique_usernames(people: list[_Person]) -> dict[int, str]:
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


def _create_person(person: _Person, username: str, activists: Group) -> User:
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
    if not data.strip():
        return RosterImportResult(
            problems=[RosterProblem(None, "", _("The file is empty."), "empty")]
        )
    text = decode_roster(data)
    if text is None:
        return RosterImportResult(
            problems=[
                RosterProblem(
                    None,
                    "",
                    _(
                        "Wrong encoding: the file is neither UTF-8 nor Latin-1 text. Save it "
                        "from the spreadsheet as “CSV UTF-8” and upload it again."
                    ),
                    "encoding",
                )
            ]
        )
    reader = _Reader(cohort, text)
    people = reader.read()
    if reader.headers and reader.row_count:
        _check_against_cohort(reader, cohort, people)
    result = RosterImportResult(problems=reader.problems, ignored_columns=reader.ignored)
    if result.problems:
        return result

    usernames = _unique_usernames([p for p in people if p.existing_user is None])
    activists, _created = Group.objects.get_or_create(name=Role.ACTIVIST)
    row = None
    try:
        with transaction.atomic():
            for person in people:
                row = person.row
                user = person.existing_user
                if user is None:
                    user = _create_person(person, usernames[person.row], activists)
                    result.created_people += 1
                else:
                    user.groups.add(activists)
                    result.reused_people += 1
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
