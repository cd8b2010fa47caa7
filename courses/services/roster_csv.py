"""Reading a roster CSV: its encoding and separator, the columns, and every row checked on its
own (the checks against the cohort or validation round come after, in
:mod:`courses.services.roster_import`).

Nothing here writes: the reader collects every problem with its spreadsheet row and column.
The columns are described in the README ("Importing a cohort's roster").
"""

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Enrollment
from lms.models import CEM, ParticipantProfile
from lms.text_safety import Problem, is_blank, text_problem

MAX_ROWS = 1000
MIN_AGE, MAX_AGE = 15, 90
#: A consent older than this many years is a typing mistake (a year 1, 1926 for 2026).
CONSENT_YEARS_BACK = 10
MAX_NAME = User._meta.get_field("first_name").max_length
MAX_EMAIL = User._meta.get_field("email").max_length

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
CHARACTER_PROBLEMS = {
    Problem.CONTROL: lambda: _(
        "This value holds a control character (an invisible code); retype it."
    ),
    Problem.BIDI: lambda: _(
        "This value holds a Unicode direction override, which makes it read differently from "
        "what it is; retype it."
    ),
    Problem.NOT_TEXT: lambda: _("This value holds characters that are not text; retype it."),
}
PHONE_RE = re.compile(r"[0-9 +()\-]{6,20}")


@dataclass(frozen=True)
class RosterProblem:
    """One problem of the file. `row` is the spreadsheet row (header = 1), None for the file."""

    row: int | None
    column: str
    message: str
    code: str


@dataclass
class RosterPerson:
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


def quoted(value: str) -> str:
    """A value from the file as a message may repeat it: printable and short."""
    value = "".join(c if c.isprintable() else "?" for c in value)
    return value if len(value) <= 40 else value[:39] + "…"


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


class RosterReader:
    """Validates a decoded roster whose people belong to `cems` (the CEMs of a cohort's site,
    or of a validation round), collecting problems. `place` names them in messages."""

    def __init__(self, text: str, *, cems: Iterable[CEM], place: str):
        self.place = place
        self.text = text
        self.problems: list[RosterProblem] = []
        self.ignored: list[str] = []
        self.headers: dict[str, tuple[int, str]] = {}  # canonical → (index, header as written)
        self.row_count = 0
        self.today = timezone.localdate()
        self.cems = self._cem_lookup(cems)

    def problem(self, row: int | None, column: str, message: str, code: str) -> None:
        self.problems.append(RosterProblem(row=row, column=column, message=message, code=code))

    @staticmethod
    def _cem_lookup(cems: Iterable[CEM]) -> dict[str, CEM]:
        lookup: dict[str, CEM] = {}
        for cem in cems:
            name = fold(cem.name)
            lookup[name] = cem
            lookup.setdefault(name.removeprefix("cem "), cem)
        return lookup

    def read(self) -> list[RosterPerson]:
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

    def _read_row(self, row: int, cells: list[str]) -> RosterPerson | None:
        before = len(self.problems)
        refused: set[str] = set()

        def column(key: str) -> str:
            return self.headers[key][1]

        def value(key: str) -> str:
            index = self.headers.get(key, (None, ""))[0]
            if index is None or index >= len(cells):
                return ""
            cell = cells[index]
            problem = text_problem(cell, multiline=True)  # line breaks become spaces
            if problem is not None:
                refused.add(key)
                self.problem(row, column(key), CHARACTER_PROBLEMS[problem](), "bad_characters")
                return ""
            text = " ".join(cell.split())
            return "" if is_blank(text) else text

        def required(key: str) -> str:
            text = value(key)
            if not text and key not in refused:
                self.problem(row, column(key), _("This value is required."), "required")
            return text

        first_name, last_name = required("nombres"), required("apellidos")
        for key, text in (("nombres", first_name), ("apellidos", last_name)):
            if len(text) > MAX_NAME:
                self.problem(
                    row,
                    column(key),
                    _("Too long (at most %(max)s characters).") % {"max": MAX_NAME},
                    "too_long",
                )

        sex = None
        if sex_text := required("sexo"):
            sex = SEX_VALUES.get(column_key(sex_text))
            if sex is None:
                self.problem(
                    row,
                    column("sexo"),
                    _("“%(value)s” is not a sex: write F, M or X (or Mujer, Hombre, Otro).")
                    % {"value": quoted(sex_text)},
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
                        "value": quoted(cem_text),
                        "site": self.place,
                        "names": ", ".join(sorted({c.name for c in self.cems.values()}, key=fold)),
                    },
                    "unknown_cem",
                )

        phone = value("telefono")
        if phone and not PHONE_RE.fullmatch(phone):
            self.problem(
                row,
                column("telefono"),
                _("“%(value)s” is not a phone number.") % {"value": quoted(phone)},
                "bad_phone",
            )

        email = value("correo")
        if len(email) > MAX_EMAIL:
            self.problem(
                row,
                column("correo"),
                _("Too long for an e-mail address (at most %(max)s characters).")
                % {"max": MAX_EMAIL},
                "bad_email",
            )
        elif email:
            try:
                validate_email(email)
            except ValidationError:
                self.problem(
                    row,
                    column("correo"),
                    _("“%(value)s” is not an e-mail address.") % {"value": quoted(email)},
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
                    % {"value": quoted(method_text)},
                    "bad_consent_method",
                )

        if len(self.problems) > before:
            return None
        return RosterPerson(
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
                _("“%(value)s” is not a year: write four digits, e.g. 1990.")
                % {"value": quoted(text)},
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
            earliest = date(self.today.year - CONSENT_YEARS_BACK, 1, 1)
            if day < earliest:
                self.problem(
                    row,
                    column,
                    _("The date of consent %(day)s is not plausible: it must be after %(start)s.")
                    % {"day": day.isoformat(), "start": earliest.isoformat()},
                    "bad_consent_date",
                )
                return None
            return timezone.make_aware(datetime.combine(day, time.min))
        self.problem(
            row,
            column,
            _("“%(value)s” is not a date: write YYYY-MM-DD or DD/MM/YYYY.")
            % {"value": quoted(text)},
            "bad_consent_date",
        )
        return None
