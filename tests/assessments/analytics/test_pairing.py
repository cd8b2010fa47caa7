"""The analytics query reads each scored answer out of the stored JSON as a number."""

import math

import numpy as np
import pytest

from assessments.analytics.pairing import paired_data, response_rows
from assessments.instruments.scoring import ScoringKey
from assessments.models import Response
from tests.helpers import submit_response


@pytest.fixture
def key(instrument):
    return ScoringKey.for_instrument(instrument)


def test_answers_come_back_as_the_matrix_of_the_decoded_json(cohort_setup, instrument, key):
    cohort = cohort_setup["cohort"]
    codes = key.item_codes
    entry = {code: (position % 5) + 1 for position, code in enumerate(codes)}
    entry[codes[1]] = None  # "prefer not to answer" is stored as null
    del entry[codes[2]]  # not answered
    exit_answers = dict.fromkeys(codes[:-1], 2)
    submit_response(
        instrument=instrument, cohort=cohort, code="R1", wave="pre", answers=entry, key=key
    )
    submit_response(
        instrument=instrument, cohort=cohort, code="R1", wave="post", answers=exit_answers, key=key
    )
    submit_response(
        instrument=instrument, cohort=cohort, code="R2", wave="pre", answers={}, key=key
    )

    data = paired_data(list(response_rows(Response.objects.all(), key)), key)

    order = [data.participants.index(("R1", cohort.pk)), data.participants.index(("R2", cohort.pk))]
    expected_pre = key.matrix([entry, {}])
    expected_post = key.matrix([exit_answers, {}])
    np.testing.assert_array_equal(data.pre[order], expected_pre)
    np.testing.assert_array_equal(data.post[order], expected_post)
    assert math.isnan(data.pre[order[0], 1]) and math.isnan(data.pre[order[0], 2])
    assert data.pre[order[0], 0] == 1.0
    assert data.has_pre[order].tolist() == [True, True]
    assert data.has_post[order].tolist() == [True, False]
