"""What a revision of the curriculum changed: the fields of the page that differ from its
previous revision, each with a word-level difference, as the Wagtail admin compares revisions
(its comparison classes, :mod:`wagtail.admin.compare`), for people who have no admin access.

The differences are HTML with ``<span class="deletion">`` and ``<span class="addition">``
around what was removed and added; every text in them is escaped by Wagtail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from wagtail.admin.compare import StreamFieldComparison
from wagtail.models import Page, Revision


@dataclass(frozen=True)
class FieldChange:
    label: str
    diff: SafeString


@dataclass(frozen=True)
class RevisionChanges:
    page: Page
    revision: Revision
    previous: Revision | None
    changes: tuple[FieldChange, ...]


def _without_ids(value) -> str:
    """Stream data without block ids and empty values: blocks saved without ids get new ones on
    every save, and a field added to a block later is stored as null; neither changes content."""

    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k != "id" and v is not None}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return json.dumps(strip(value.get_prep_value() if value is not None else None), sort_keys=True)


def _changed(comparison) -> bool:
    if isinstance(comparison, StreamFieldComparison):
        return _without_ids(comparison.val_a) != _without_ids(comparison.val_b)
    return comparison.has_changed()


def revision_changes(revision: Revision) -> RevisionChanges:
    """The fields `revision` changed against the revision before it of the same page (against
    nothing, for the first: every field is new)."""
    after = revision.as_object()
    previous = revision.get_previous()
    before = previous.as_object() if previous is not None else type(after)()
    panel = after.get_edit_handler().get_bound_panel(instance=after, request=None, form=None)
    changes = []
    for make in panel.get_comparison():
        comparison = make(before, after)
        if _changed(comparison):
            changes.append(
                FieldChange(
                    label=str(comparison.field_label()), diff=mark_safe(comparison.htmldiff())
                )
            )
    page = revision.content_object
    return RevisionChanges(page=page, revision=revision, previous=previous, changes=tuple(changes))
