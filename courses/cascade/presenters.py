"""Display of the cascade's figures: rows for the templates, no query."""

from courses.cascade.bands import BANDS
from courses.cascade.forms import BAND_LABELS
from courses.cascade.reach import Reach


def reach_bands(reach: Reach) -> list[dict]:
    """The people reached as a table: one row per age band, one cell per sex (F, M, X)."""
    return [
        {"label": BAND_LABELS[band], "cells": [c for c in reach.by_cell if c.band == band]}
        for band, *_rest in BANDS
    ]
