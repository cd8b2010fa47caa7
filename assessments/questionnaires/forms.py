"""Forms of the questionnaire screens: they read the request; the services validate and save.

Answer values are deliberately not checked here: response_draft_save and response_submit
validate the whole set of answers, so a tampered request gets their messages and nothing is
partially stored."""

import re
import uuid
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Item, ScalePoint

# Radio value of "Prefer not to answer"; stored as None (a declared missing value).
NOT_ANSWERED = "na"
FIELD_PREFIX = "item-"
_INTEGER = re.compile(r"-?[0-9]{1,4}")


class ConsentForm(forms.Form):
    ACCEPT, DECLINE = "accept", "decline"

    decision = forms.ChoiceField(
        choices=[(ACCEPT, _("I agree to answer")), (DECLINE, _("I prefer not to take part"))]
    )
    # The version of the text the person read: a decision is only recorded against it.
    text_version = forms.CharField(max_length=20)

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["decision"] == self.ACCEPT


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    id: str
    checked: bool


@dataclass(frozen=True)
class Question:
    """One item as it is shown: its position, text and radio buttons."""

    number: int
    code: str
    text: str
    name: str
    choices: list[Choice]


def _value_of(raw: str) -> object:
    """Radio value → answer: "na" is None, digits an int; anything else is passed on as is so
    that the service reports it."""
    if raw == NOT_ANSWERED:
        return None
    if _INTEGER.fullmatch(raw):
        return int(raw)
    return raw


def _radio_value(answer: object) -> str:
    return NOT_ANSWERED if answer is None else str(answer)


class AnswersForm(forms.Form):
    """Which button was pressed, the submission key, and one radio group per item."""

    DRAFT, SUBMIT = "draft", "submit"

    action = forms.ChoiceField(
        choices=[(DRAFT, _("Save draft")), (SUBMIT, _("Send answers"))],
        error_messages={"required": _("Choose “Save draft” or “Send answers”.")},
    )
    # Generated when the page is shown and stored with the submission, so a re-sent form is
    # recognised as the same one.
    submission_key = forms.UUIDField(required=False)

    def __init__(
        self,
        data=None,
        *,
        items: list[Item],
        scale: list[ScalePoint],
        saved: dict[str, int | None] | None = None,
    ):
        super().__init__(data, initial={"submission_key": uuid.uuid4()})
        self.items = items
        self.scale = scale
        self.saved = saved or {}

    def answers(self) -> dict[str, object]:
        """Every item field of the request, unknown codes included; unanswered items absent."""
        answers = {}
        for name in self.data:
            if name.startswith(FIELD_PREFIX):
                raw = self.data.get(name, "")
                if raw != "":
                    answers[name.removeprefix(FIELD_PREFIX)] = _value_of(raw)
        return answers

    def _selected(self) -> dict[str, str]:
        """The radio value to show checked for each item: the request's, else the draft's."""
        if self.is_bound:
            return {
                name.removeprefix(FIELD_PREFIX): self.data.get(name, "")
                for name in self.data
                if name.startswith(FIELD_PREFIX)
            }
        return {code: _radio_value(answer) for code, answer in self.saved.items()}

    def questions(self) -> list[Question]:
        selected = self._selected()
        options = [(str(point.value), point.label) for point in self.scale]
        options.append((NOT_ANSWERED, str(_("Prefer not to answer"))))
        return [
            Question(
                number=number,
                code=item.code,
                text=item.text,
                name=f"{FIELD_PREFIX}{item.code}",
                choices=[
                    Choice(
                        value=value,
                        label=label,
                        id=f"{FIELD_PREFIX}{item.code}-{value}",
                        checked=selected.get(item.code) == value,
                    )
                    for value, label in options
                ],
            )
            for number, item in enumerate(self.items, start=1)
        ]

    def submission_key_value(self) -> str:
        """Kept from the request when the form is shown again, so the key stays stable."""
        return str(self["submission_key"].value() or "")

    def error_messages(self) -> list[str]:
        return [str(message) for errors in self.errors.values() for message in errors]
