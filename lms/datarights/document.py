"""The readable PDF of a person's data: every section of her download, on A4 pages.

Works from plain, frozen values (:class:`PersonalDataContent`, built by
:mod:`lms.datarights.portability`) and never touches the database::

    filename, content_type, data = PersonalDataPdfRenderer().render(content)

The texts come already translated into the language she asked in. A section with a few short
fields is a table with a header row repeated on each page; one with many fields lists each
record as label and value pairs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, LongTable, Paragraph, Spacer, Table, TableStyle

from certificates.pdf.document import CONTENT_WIDTH, GRID, DocumentInfo, DocumentPdfRenderer
from certificates.pdf.filenames import safe_filename

#: Sections with at most this many fields are drawn as one table.
TABLE_FIELDS = 5


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    fields: tuple[tuple[str, str], ...]  # (key, label)
    records: tuple[dict, ...]
    note: str = ""


@dataclass(frozen=True)
class PersonalDataContent:
    """Everything the document shows, resolved to plain values and translated texts."""

    title: str
    person: str  # how she is named at the top (her name, or her user name)
    produced_at: dt.datetime  # aware
    facts: tuple[tuple[str, str], ...]  # controller, rights contact, ...
    intro: str
    sections: tuple[Section, ...]
    empty: str  # "nothing held" for an empty section
    yes: str
    no: str
    page: str  # "Page %(n)s"
    language: str = "es"


def personal_data_filename(produced_on: dt.date, extension: str) -> str:
    """``mis-datos-2026-03-15.pdf``: never her name, which a shared folder would show."""
    return safe_filename("mis-datos", produced_on.isoformat(), extension=extension)


def display_value(value: object, content: PersonalDataContent) -> str:
    """A record's value as text: dates and times as ISO, booleans as yes/no, lists joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return content.yes if value else content.no
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(display_value(v, content) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {display_value(v, content)}" for k, v in value.items()) or "—"
    return str(value)


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


class PersonalDataPdfRenderer(DocumentPdfRenderer):
    """*Mis datos* as an A4 record of the PDF toolkit, in the language she reads the site in."""

    def filename(self, content: PersonalDataContent) -> str:
        return personal_data_filename(content.produced_at.date(), "pdf")

    def info(self, content: PersonalDataContent) -> DocumentInfo:
        author = content.facts[0][1] if content.facts else ""
        return DocumentInfo(title=content.title, author=author, subject=content.title)

    def running_header(self, content: PersonalDataContent) -> tuple[str, str]:
        return content.title, f"{content.produced_at:%Y-%m-%d %H:%M}"

    def running_footer(self, content: PersonalDataContent) -> str:
        return ""

    def page_label(self, content: PersonalDataContent, page: int) -> str:
        return content.page % {"n": page}

    def story(self, content: PersonalDataContent) -> list:
        s = self.styles
        story = [
            Paragraph(_text(content.title), s["title"]),
            Paragraph(_text(content.person), s["subtitle"]),
            Spacer(1, 4),
            self._pairs(content.facts, s["label"], s["body"], label_width=42 * mm),
            Spacer(1, 4),
            Paragraph(_text(content.intro), s["note"]),
        ]
        for section in content.sections:
            story.append(Paragraph(_text(section.title), s["h2"]))
            if section.note:
                story.append(Paragraph(_text(section.note), s["note"]))
            if not section.records:
                story.append(Paragraph(_text(content.empty), s["body"]))
            elif len(section.fields) <= TABLE_FIELDS:
                story.append(self._grid(section, content))
            else:
                for record in section.records:
                    rows = [
                        (label, display_value(record.get(key), content))
                        for key, label in section.fields
                    ]
                    story.append(
                        KeepTogether([self._pairs(rows, s["head"], s["cell"]), Spacer(1, 5)])
                    )
        return story

    def _pairs(self, rows, label_style, value_style, label_width: float = 45 * mm) -> Table:
        data = [
            [Paragraph(_text(label), label_style), Paragraph(_text(value), value_style)]
            for label, value in rows
        ]
        table = Table(data, colWidths=[label_width, CONTENT_WIDTH - label_width])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                    ("LINEBELOW", (0, -1), (-1, -1), 0.3, GRID),
                ]
            )
        )
        return table

    def _grid(self, section: Section, content: PersonalDataContent) -> LongTable:
        header = [_text(label) for _key, label in section.fields]
        rows = [
            [_text(display_value(r.get(key), content)) for key, _ in section.fields]
            for r in section.records
        ]
        return self.grid(header, rows, (1,) * len(section.fields))
