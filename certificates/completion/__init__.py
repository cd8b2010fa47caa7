"""The completion rule of a course's certificate, in one place.

:mod:`.requirements` holds the requirements (still enrolled, minimum attendance, sessions that
must be attended, questionnaires); :mod:`.rule` reads what they need for a set of cohorts in a
fixed number of queries (:mod:`.inputs`) and judges every enrollment. The eligibility screen,
the accreditor's evidence and acta, the coordinator's dashboard and the activist's progress all
read it, and the sentences that state the rule come from it.

Adding a requirement (say, supervised practice: N verified replica sessions within N days of
the last session) is one class in :mod:`.requirements`, listed in ``REQUIREMENTS``: ``load``
reads its facts for all the cohorts at once, ``check`` judges one enrollment (met, the reasons
when not, the facts on a ``Check`` subclass), ``sentences`` states it for a course, and the
check's ``progress`` tells the activist.
"""
