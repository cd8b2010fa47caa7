"""Every URL of the project, asked by every kind of user, answers as the table says.

The routes come from the URL resolver, never from a list: a view added later is walked as soon
as it exists, and the walk fails until ``ROUTES`` says who may open it. Each route is asked with
GET and with a POST of plausible fields by nobody (anonymous), an activist, a trainer, a
coordinator of the site, a national coordinator, an accreditor and an administrator, and by an
activist, a trainer and a coordinator of *another* site; its parameters are filled from the
demo (objects of Villa María del Triunfo). The answers must be the ones the table allows, never
a 500, and a refused POST must write nothing to the database. Wagtail's own admin routes are
sampled from the admin menus each person sees; the project's admin views are walked whole.
Any page that shows a research code must show no name (the research codes' promise).

To add a view, add one line to ``ROUTES``: its name, who may open it (``opens``), and, when a
POST is something else than a refusal for the others, what it answers (``post``).
"""
