"""StreamField blocks of a session plan."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

ACTIVITY_KINDS = [
    ("opening", _("Opening activity (dinámica de inicio)")),
    ("individual_reflection", _("Individual reflection")),
    ("group_work", _("Group work")),
    ("sociodrama", _("Sociodrama / role play")),
    ("presentation", _("Participatory presentation")),
    ("plenary", _("Plenary")),
    ("closing", _("Closing")),
]


class ActivityBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=ACTIVITY_KINDS, label=_("Kind"))
    title = blocks.CharBlock(max_length=200, label=_("Title"))
    duration_minutes = blocks.IntegerBlock(
        min_value=1, max_value=480, label=_("Duration (minutes)")
    )
    instructions = blocks.RichTextBlock(label=_("Instructions"))
    facilitator_notes = blocks.RichTextBlock(
        required=False,
        label=_("Facilitator notes"),
        help_text=_("Shown to trainers and coordinators only, never to participants."),
    )
    handout = DocumentChooserBlock(required=False, label=_("Handout"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["kind_label"] = dict(ACTIVITY_KINDS).get(value["kind"], value["kind"])
        return context

    class Meta:
        icon = "group"
        label = _("Activity")
        template = "courses/blocks/activity.html"


class SafetyNoteBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, label=_("Title"))
    text = blocks.RichTextBlock(
        label=_("What to do"),
        help_text=_(
            "How to respond if someone discloses violence: listen, do not judge, refer to the "
            "CEM and Línea 100. Shown to trainers and coordinators only."
        ),
    )

    class Meta:
        icon = "warning"
        label = _("Safety note")
        template = "courses/blocks/safety_note.html"


class SessionActivitiesBlock(blocks.StreamBlock):
    activity = ActivityBlock()
    safety_note = SafetyNoteBlock()
