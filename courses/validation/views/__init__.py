"""Screens of curriculum validation: ``rounds`` (open, prepare, run a round), ``people``
(participants, paper forms), ``workshops``, ``results`` (results, findings, exports) and
``activist`` (consent and feedback, on a phone).

A role that never uses a screen gets 403 whatever the id; a round or record outside the user's
scope gets 404, so an id reveals nothing (:mod:`lms.access`)."""
