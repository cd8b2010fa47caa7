"""Forms of the validation screens: they read the request; the services validate and save.

Answer values are deliberately not checked here: the feedback and workshop services check the
whole set, so a tampered request gets their messages and nothing is partially stored."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from courses.validation.models import (
    RATINGS,
    SCALE,
    ValidationFinding,
    ValidationItem,
    ValidationRound,
    WorkshopAssessment,
)
from courses.validation.services.workshops import GENERATIONS, SEXES, ItemAssessment
from lms.models import ParticipantProfile

_INTEGER = re.compile(r"[0-9]{1,4}")


def _date_input() -> forms.DateInput:
    # The browser's date picker reads and writes ISO dates, whatever the language of the page.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(forms.Form):
    """A round's definition; on creation also the course revision and the sessions."""

    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(
        label=_("What we ask participants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to participants above the sessions and concepts to rate."),
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    cems = forms.ModelMultipleChoiceField(
        label=_("CEMs taking part"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=_date_input())
    ends_on = forms.DateField(label=_("Ends on"), widget=_date_input())
    consent_version = forms.CharField(label=_("Consent text version"), max_length=20)
    consent_text = forms.CharField(
        label=_("Consent text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("A changed text needs a new version: consent is recorded against it."),
    )

    def __init__(self, *args, sites, cems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = sites
        self.fields["cems"].queryset = cems
        self.fields["cems"].label_from_instance = lambda cem: f"{cem.name} ({cem.site.name})"


class RoundCreateForm(RoundForm):
    revision = forms.TypedChoiceField(label=_("Revision of the course to validate"), coerce=int)
    sessions = forms.ModelMultipleChoiceField(
        label=_("Sessions to validate"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["title", "revision", "sessions"]

    def __init__(self, *args, course: CoursePage, revisions, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        live = course.live_revision_id
        self.fields["revision"].choices = [
            (r.pk, revision_label(r, live_id=live)) for r in revisions
        ]
        self.fields["sessions"].queryset = sessions
        self.fields["sessions"].label_from_instance = lambda s: (
            f"{s.number}. {s.title}" + ("" if s.live else f" ({_('draft')})")
        )


def revision_label(revision, *, live_id: int | None) -> str:
    when = revision.created_at.strftime("%Y-%m-%d %H:%M")
    who = (revision.user.get_full_name() or revision.user.get_username()) if revision.user else ""
    state = _("published") if revision.pk == live_id else _("draft")
    return f"#{revision.pk} · {when} · {who} · {state}".replace(" ·  · ", " · ")


class ConceptForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[c for c in ValidationItem.Kind.choices if c[0] != ValidationItem.Kind.SESSION],
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(
        label=_("What participants read"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ParticipantsPickForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("People"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = candidates
        self.fields["people"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} · {u.profile.cem.name}"
            f" · {u.profile.get_sex_display()} · {u.profile.get_generation_display()}"
        )


# --- Feedback -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    id: str
    checked: bool


@dataclass(frozen=True)
class RatingQuestion:
    code: str
    label: str
    name: str
    choices: list[Choice]


@dataclass(frozen=True)
class ItemQuestions:
    number: int
    item: ValidationItem
    ratings: list[RatingQuestion]
    comment_name: str
    comment: str


def _value_of(raw: str) -> object:
    """ "" is not given, digits a number; anything else passes on for the service to report."""
    if raw == "":
        return None
    return int(raw) if _INTEGER.fullmatch(raw) else raw


class FeedbackForm(forms.Form):
    """The submission key and, per item, the four ratings (``r-<item>-<rating>``) and the
    comment (``c-<item>``); then what is missing."""

    # Generated when the page is first shown and sent back with the form, so that a re-sent
    # form is recognised as the same one.
    submission_key = forms.UUIDField(required=False)
    missing = forms.CharField(required=False, widget=forms.Textarea)

    def __init__(self, data=None, *, items: list[ValidationItem]):
        super().__init__(data, initial={"submission_key": uuid.uuid4()})
        self.items = items

    def answers(self) -> dict[str, dict]:
        answers: dict[str, dict] = {}
        for name, raw in self.data.items():
            kind, _sep, rest = name.partition("-")
            if kind == "r" and "-" in rest:
                code, rating = rest.rsplit("-", 1)
                answers.setdefault(code, {})[rating] = _value_of(raw)
            elif kind == "c" and rest:
                answers.setdefault(rest, {})["comment"] = raw
        return answers

    def questions(self) -> list[ItemQuestions]:
        data = self.data if self.is_bound else {}
        out = []
        for number, item in enumerate(self.items, start=1):
            ratings = []
            for code, label in RATINGS:
                name = f"r-{item.code}-{code}"
                chosen = data.get(name, "")
                ratings.append(
                    RatingQuestion(
                        code=code,
                        label=str(label),
                        name=name,
                        choices=[
                            Choice(str(v), str(text), f"{name}-{v}", chosen == str(v))
                            for v, text in SCALE
                        ],
                    )
                )
            out.append(
                ItemQuestions(
                    number=number,
                    item=item,
                    ratings=ratings,
                    comment_name=f"c-{item.code}",
                    comment=data.get(f"c-{item.code}", ""),
                )
            )
        return out

    def submission_key_value(self) -> str:
        return str(self["submission_key"].value() or "")

    def key(self) -> uuid.UUID:
        """The form's key; a request without one (an old page) gets a new one."""
        return self.cleaned_data.get("submission_key") or uuid.uuid4()


class PaperFeedbackForm(FeedbackForm):
    consent_signed = forms.BooleanField(
        required=False, label=_("The participant signed the consent on the paper form.")
    )


class ConsentForm(forms.Form):
    ACCEPT, DECLINE = "accept", "decline"

    decision = forms.ChoiceField(
        choices=[(ACCEPT, _("I agree to take part")), (DECLINE, _("I prefer not to take part"))]
    )
    text_version = forms.CharField(max_length=20)

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["decision"] == self.ACCEPT


# --- Workshops ----------------------------------------------------------------------------------


class WorkshopForm(forms.Form):
    """Site, date and place, the headcount grid (``h-<sex>-<generation>``) and, per item, the
    group's assessment (``v-<item>``), notes (``n-<item>``) and quotes (``q-<item>``)."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=None)
    cem = forms.ModelChoiceField(label=_("CEM"), queryset=None, required=False)
    held_on = forms.DateField(label=_("Held on"), widget=_date_input())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("General notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    names_checked = forms.BooleanField(
        required=False, label=_("I checked: the names found are not participants' names.")
    )
    client_uuid = forms.UUIDField(required=False)

    def __init__(self, *args, sites, cems, items: list[ValidationItem], **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["cem"].queryset = cems
        self.fields["cem"].label_from_instance = lambda cem: f"{cem.name} ({cem.site.name})"
        self.items = items

    def headcount(self) -> dict[tuple[str, str], object]:
        counts = {}
        for sex in SEXES:
            for generation in GENERATIONS:
                raw = (self.data.get(f"h-{sex}-{generation}") or "").strip()
                counts[(sex, generation)] = int(raw) if _INTEGER.fullmatch(raw) else (raw or 0)
        return counts

    def assessments(self) -> dict[str, ItemAssessment]:
        return {
            item.code: ItemAssessment(
                verdict=self.data.get(f"v-{item.code}", ""),
                notes=self.data.get(f"n-{item.code}", ""),
                quotes=self.data.get(f"q-{item.code}", ""),
            )
            for item in self.items
        }

    def grid(self) -> list[dict]:
        """The headcount inputs, row by row (sex), for the template."""
        initial = self.initial.get("headcount", {})
        data = self.data if self.is_bound else {}
        generations = dict(ParticipantProfile.Generation.choices)
        return [
            {
                "label": label,
                "cells": [
                    {
                        "name": f"h-{sex}-{g}",
                        "label": f"{label}, {generations[g]}",
                        "value": data.get(f"h-{sex}-{g}", initial.get((sex, g), "")),
                    }
                    for g in GENERATIONS
                ],
            }
            for sex, label in ParticipantProfile.Sex.choices
        ]

    def item_rows(self) -> list[dict]:
        initial = self.initial.get("assessments", {})
        data = self.data if self.is_bound else {}
        rows = []
        for item in self.items:
            saved = initial.get(item.code, ItemAssessment())
            rows.append(
                {
                    "item": item,
                    "verdict": data.get(f"v-{item.code}", saved.verdict),
                    "notes": data.get(f"n-{item.code}", saved.notes),
                    "quotes": data.get(f"q-{item.code}", saved.quotes),
                }
            )
        return rows

    def client_uuid_value(self) -> str:
        return str(self["client_uuid"].value() or "")


VERDICT_CHOICES = WorkshopAssessment.Verdict.choices


class FindingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    items = forms.ModelMultipleChoiceField(
        label=_("Sessions and concepts"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Which ratings, comments or workshops the finding rests on."),
    )
    workshops = forms.ModelMultipleChoiceField(
        label=_("Workshops"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = forms.MultipleChoiceField(
        label=_("Tags"),
        choices=ValidationFinding.Tag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("Not decided yet")), *ValidationFinding.Decision.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    decision_reason = forms.CharField(
        label=_("Reason for the decision"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, round: ValidationRound, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = round.items.all()
        self.fields["workshops"].queryset = workshops
        self.fields["workshops"].label_from_instance = lambda w: (
            f"{w.site.name} · {w.held_on:%Y-%m-%d}" + (f" · {w.cem.name}" if w.cem else "")
        )
