"""Curriculum validation: rounds in which activists at the sites rate and comment on the
sessions and concepts of a draft course, the workshops where groups assess them, the findings
the team draws and the later revisions of the curriculum that answer them.

``models`` (rounds, items, participants and their consent, feedback under a research code,
workshop records, findings and the revisions citing them), ``services`` (one module per kind of
write), ``selectors`` (rounds in scope, results, accreditation evidence), ``figures`` (the
Django-free arithmetic of the results), ``names`` (participants' names found in free text),
``presenters`` (display and the heat map), ``forms``, ``views``, ``exports`` and ``report``
(the PDF "Informe de validación"), ``page_forms`` (the curriculum editor's citing field) and
``demo``.
"""
