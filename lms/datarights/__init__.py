"""People's rights over their data (Ley 29733): access and portability ("My data"),
rectification, cancellation and opposition requests, and retention.

* :mod:`~lms.datarights.registry`: what each app holds about a person and how it erases it;
  apps register their part in their own ``personal_data.py``.
* :mod:`~lms.datarights.subject`: the person a request is about, with what identifies her.
* :mod:`~lms.datarights.portability`: everything held about her, as JSON and as a PDF
  (:mod:`~lms.datarights.document`), built by a Celery task (:mod:`~lms.datarights.tasks`).
* :mod:`~lms.datarights.requests`: filing and handling requests, with due dates
  (:mod:`~lms.datarights.deadlines`); :mod:`~lms.datarights.erasure` carries out a
  cancellation.
* :mod:`~lms.datarights.retention`: the retention periods of the data-protection settings.
* :mod:`~lms.datarights.selectors`, :mod:`~lms.datarights.views`: the pages.
"""
