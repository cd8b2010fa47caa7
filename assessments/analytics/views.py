"""Coordinator analytics and de-identified exports.

Coordinators (a site coordinator sees only their site) and superusers only: trainers,
activists and accreditors get 403, anonymous visitors are sent to log in. Every export is
audit-logged by :func:`assessments.analytics.exports.export_create`.
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from assessments.analytics import charts
from assessments.analytics.exports import export_create
from assessments.analytics.selectors import (
    GROUPING_LABELS,
    AnalyticsReport,
    Grouping,
    GroupRow,
    analytics_cohorts,
    analytics_instruments,
    analytics_report_for,
    analytics_site_id,
    analytics_sites,
    cohort_display_names,
    submitted_responses,
)
from lms import access
from lms.downloads import attachment_response

SUPPRESSED = "—"
#: The labelled formats of the responses file besides CSV.
LABELLED_FORMATS = ("sav", "dta")


class AnalyticsFilterForm(forms.Form):
    """The page's GET controls; choices are limited to what the user may see."""

    instrument = forms.TypedChoiceField(label=gettext_lazy("Questionnaire"), coerce=int)
    subscale = forms.ChoiceField(label=gettext_lazy("Subscale"), required=False)
    group = forms.ChoiceField(
        label=gettext_lazy("Group by"),
        choices=[(g.value, GROUPING_LABELS[g]) for g in Grouping],
        required=False,
    )
    site = forms.TypedChoiceField(
        label=gettext_lazy("Site"), coerce=int, required=False, empty_value=None
    )
    cohort = forms.TypedChoiceField(
        label=gettext_lazy("Cohort"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, data, *, instruments, subscales, sites, cohorts):
        super().__init__(data)
        self.fields["instrument"].choices = [
            (i.pk, _("%(name)s (%(n)s responses)") % {"name": i, "n": i.n_submitted})
            for i in instruments
        ]
        self.fields["subscale"].choices = [("", _("All scored items"))] + [
            (s.code, s.name) for s in subscales
        ]
        if len(sites) > 1:
            self.fields["site"].choices = [("", _("All sites"))] + [(s.pk, s.name) for s in sites]
        else:  # a site coordinator: the scope is fixed
            del self.fields["site"]
        names = cohort_display_names(cohorts)
        self.fields["cohort"].choices = [("", _("All cohorts"))] + [
            (c.pk, f"{names[c.pk]} ({c.cem.site.name})") for c in cohorts
        ]


def _filter_form(request: HttpRequest):
    """The bound form, the chosen instrument and the choices used to build it (constant
    number of queries). The instrument defaults to the one with most submitted responses."""
    user = request.user
    instruments = list(analytics_instruments(user))
    if not instruments:
        return None, None, [], [], []
    by_id = {str(i.pk): i for i in instruments}
    instrument = by_id.get(request.GET.get("instrument", ""), instruments[0])
    subscales = list(instrument.subscales.all())
    sites = list(analytics_sites(user))
    cohorts = list(analytics_cohorts(user, instrument=instrument))
    data = {"instrument": str(instrument.pk), "group": Grouping.COHORT.value}
    data.update({k: v for k, v in request.GET.items() if k in AnalyticsFilterForm.base_fields})
    if data.get("subscale") not in {s.code for s in subscales}:
        # Left over from another instrument chosen before: fall back to all items.
        data["subscale"] = ""
    form = AnalyticsFilterForm(
        data, instruments=instruments, subscales=subscales, sites=sites, cohorts=cohorts
    )
    return form, instrument, subscales, sites, cohorts


# --------------------------------------------------------------------------------------
# Display: numbers as text, with "—" for suppressed cells and "n/a" for undefined ones
# --------------------------------------------------------------------------------------


def _num(value: float | int | None, places: int = 2) -> str:
    if value is None:
        return SUPPRESSED
    if isinstance(value, float) and not math.isfinite(value):
        return _("n/a")
    return number_format(value, places)


def _t(c) -> str:
    """t with its degrees of freedom: "−2.31 (df 11)"."""
    if c.t is None:
        return SUPPRESSED
    if not math.isfinite(c.t):
        return _("n/a")
    return _("%(t)s (df %(df)s)") % {"t": _num(c.t), "df": c.df}


def _p(value: float | None) -> str:
    if value is None:
        return SUPPRESSED
    if math.isnan(value):
        return _("n/a")
    if value < 0.001:
        return f"< {number_format(0.001, 3)}"
    return number_format(value, 3)


def _pct(value: float | None) -> str:
    text = _num(value, 0)
    return text if text in (SUPPRESSED, _("n/a")) else f"{text} %"


def _alpha(rel) -> str:
    if rel.suppressed:
        return SUPPRESSED
    return _("%(alpha)s (n = %(n)s, k = %(k)s)") % {
        "alpha": _num(rel.alpha),
        "n": rel.n,
        "k": rel.k,
    }


def _change(c) -> str:
    if c.mean_diff is None:
        return SUPPRESSED
    if math.isnan(c.ci_low):
        return _num(c.mean_diff)
    return f"{_num(c.mean_diff)} [{_num(c.ci_low)}; {_num(c.ci_high)}]"


def _unscored(row: GroupRow) -> str:
    if row.unscored_pre is None:
        return SUPPRESSED
    return f"{row.unscored_pre} / {row.unscored_post}"


def _row_cells(row: GroupRow) -> list[str]:
    c = row.result.change
    holm = _("n/a") if row.is_overall and not c.suppressed else _p(c.p_holm)
    return [
        _num(c.n_pairs, 0),
        _num(c.awaiting_exit, 0),
        _num(c.attrition, 0),
        _num(c.mean_pre),
        _num(c.mean_post),
        _change(c),
        _t(c),
        _p(c.t_p),
        _num(c.wilcoxon_t, 1),
        _p(c.wilcoxon_p),
        holm,
        _num(c.d_z),
        _num(c.rank_biserial),
        _alpha(row.result.alpha_pre),
        _alpha(row.result.alpha_post),
        _pct(c.pct_improved),
        _pct(c.pct_unchanged),
        _pct(c.pct_worsened),
        _unscored(row),
    ]


def _display(report: AnalyticsReport) -> dict:
    rows = [*report.groups, *([report.overall] if report.overall else [])]
    table = [
        {
            "name": r.name,
            "overall": r.is_overall,
            "suppressed": r.suppressed,
            "cells": _row_cells(r),
        }
        for r in rows
    ]
    shown = [r for r in rows if not r.suppressed]
    means = charts.means_chart(
        [
            charts.MeanPoint(
                r.name,
                r.result.change.mean_pre,
                r.result.change.mean_post,
                r.result.change.ci_low,
                r.result.change.ci_high,
            )
            for r in shown
        ],
        scale_min=report.instrument.scale_min,
        scale_max=report.instrument.scale_max,
        chart_id="chart-means",
        title=_("Mean score before and after, by group"),
        number=lambda v: number_format(v, 2),
    )
    items = [
        {
            "code": i.item.code,
            "text": i.item.text,
            "reverse": i.item.reverse,
            "n": _num(i.agreement.n, 0),
            "pre": _pct(i.agreement.pct_agree_pre),
            "post": _pct(i.agreement.pct_agree_post),
            "shift": SUPPRESSED
            if i.agreement.suppressed
            else number_format(i.agreement.pct_agree_post - i.agreement.pct_agree_pre, 0),
            "suppressed": i.agreement.suppressed,
        }
        for i in report.items
    ]
    shift = charts.shift_chart(
        [
            charts.ShiftPoint(
                i.item.code, i.item.text, i.agreement.pct_agree_pre, i.agreement.pct_agree_post
            )
            for i in report.items
            if not i.agreement.suppressed
        ],
        chart_id="chart-items",
        title=_("Percentage agreeing with each statement, before → after"),
        number=lambda v: number_format(v, 0),
    )
    return {
        "withdrawn_few": 0 < report.withdrawn < report.min_cell,
        "table": table,
        "omitted": [r.name for r in rows if r.suppressed],
        "means_chart": means if shown else None,
        "items": items,
        "shift_chart": shift if any(not i["suppressed"] for i in items) else None,
        "items_omitted": [i["code"] for i in items if i["suppressed"]],
    }


COLUMNS = (
    (gettext_lazy("Pairs"), gettext_lazy("Participants with a score before and after")),
    (
        gettext_lazy("Awaiting exit"),
        gettext_lazy("Scored before; the exit questionnaire is not open yet or still open"),
    ),
    (
        gettext_lazy("Attrition"),
        gettext_lazy("Scored before; the exit questionnaire closed without an answer"),
    ),
    (gettext_lazy("Before"), gettext_lazy("Mean score before (pairs)")),
    (gettext_lazy("After"), gettext_lazy("Mean score after (pairs)")),
    (gettext_lazy("Change [95% CI]"), gettext_lazy("Mean of after − before, 95% CI")),
    (gettext_lazy("t (df)"), gettext_lazy("Paired t statistic with its degrees of freedom")),
    (gettext_lazy("t-test p"), gettext_lazy("Paired t-test, two-sided")),
    (
        gettext_lazy("Wilcoxon T"),
        gettext_lazy("Wilcoxon signed-rank statistic T = min(R+, R−), Pratt ranks"),
    ),
    (gettext_lazy("Wilcoxon p"), gettext_lazy("Wilcoxon signed-rank test, Pratt zero handling")),
    (gettext_lazy("Holm p"), gettext_lazy("t-test p adjusted across the groups shown")),
    (gettext_lazy("d_z"), gettext_lazy("Mean change / SD of the changes, signed")),
    (
        gettext_lazy("r"),
        gettext_lazy("Matched-pairs rank-biserial correlation on the Wilcoxon's Pratt ranks"),
    ),
    (gettext_lazy("α before"), gettext_lazy("Cronbach's alpha (complete answers n, items k)")),
    (gettext_lazy("α after"), gettext_lazy("Cronbach's alpha (complete answers n, items k)")),
    (gettext_lazy("Improved"), gettext_lazy("Reliable change in the desired direction (RCI)")),
    (gettext_lazy("Unchanged"), gettext_lazy("No reliable change (|RCI| ≤ 1.96)")),
    (gettext_lazy("Worsened"), gettext_lazy("Reliable change against the desired direction")),
    (gettext_lazy("Not scored"), gettext_lazy("Responses with under 80% answered, before / after")),
)


# --------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------


@login_required
@require_GET
@access.role_required(access.COORDINATES)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Pre/post change by group for one instrument and subscale, within the user's scope."""
    form, instrument, subscales, sites, cohorts = _filter_form(request)
    context = {"form": form, "instrument": instrument, "columns": COLUMNS}
    if form is not None and form.is_valid():
        data = form.cleaned_data
        subscale = next((s for s in subscales if s.code == data["subscale"]), None)
        report = analytics_report_for(
            request.user,
            instrument=instrument,
            subscale=subscale,
            grouping=Grouping(data["group"] or Grouping.COHORT),
            site_id=data.get("site"),
            cohort_id=data["cohort"],
            cohorts=cohorts,
            sites=sites,
        )
        filters = {
            key: value
            for key, value in (
                ("instrument", instrument.pk),
                ("site", data.get("site")),
                ("cohort", data["cohort"]),
            )
            if value is not None
        }
        scope = analytics_site_id(request.user)
        context.update(
            report=report,
            display=_display(report),
            export_query=urlencode(filters),
            scope_site=next((s for s in sites if s.pk == scope), None),
        )
    return TemplateResponse(request, "assessments/analytics.html", context)


def _export(request: HttpRequest, kind: str, file_format: str = "csv") -> HttpResponse:
    form, instrument, _subscales, _sites, _cohorts = _filter_form(request)
    if form is None or "instrument" not in request.GET or not form.is_valid():
        return HttpResponseBadRequest(_("Choose a questionnaire and filters within your scope."))
    data = form.cleaned_data
    scope = analytics_site_id(request.user)
    site_id, cohort_id = data.get("site"), data["cohort"]
    filters = {
        "instrument": instrument.scoring_key_version,
        "site": site_id if site_id is not None else scope,
        "cohort": cohort_id,
    }
    export = export_create(
        actor=request.user,
        instrument=instrument,
        kind=kind,
        responses=submitted_responses(
            request.user, instrument=instrument, site_id=site_id, cohort_id=cohort_id
        ),
        filters=filters,
        site_id=filters["site"],
        file_format=file_format,
    )
    return attachment_response(
        export.content, filename=export.filename, content_type=export.mimetype
    )


@login_required
@require_GET
@access.role_required(access.COORDINATES)
def export_responses(request: HttpRequest) -> HttpResponse:
    """De-identified responses (one row per participant per wave) as CSV."""
    return _export(request, "responses")


@login_required
@require_GET
@access.role_required(access.COORDINATES)
def export_responses_labelled(request: HttpRequest, file_format: str) -> HttpResponse:
    """The same responses as an SPSS (.sav) or Stata (.dta) file with labels."""
    if file_format not in LABELLED_FORMATS:
        raise Http404
    return _export(request, "responses", file_format)


@login_required
@require_GET
@access.role_required(access.COORDINATES)
def export_dictionary(request: HttpRequest) -> HttpResponse:
    """The data dictionary of the responses export."""
    return _export(request, "dictionary")
