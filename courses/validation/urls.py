"""Curriculum validation screens, under /validacion/."""

from django.urls import path

from courses.validation.views import activist, people, results, rounds, workshops

app_name = "validation"

urlpatterns = [
    path("", rounds.index, name="index"),
    path("nueva/", rounds.round_new, name="round_new"),
    path("<int:round_id>/", rounds.round_detail, name="round"),
    path("<int:round_id>/editar/", rounds.round_edit, name="round_edit"),
    path("<int:round_id>/estado/", rounds.round_status, name="round_status"),
    path("<int:round_id>/conceptos/", rounds.concept_add, name="concept_add"),
    path("<int:round_id>/temas/<int:item_id>/quitar/", rounds.item_remove, name="item_remove"),
    path("<int:round_id>/participantes/", people.participants, name="participants"),
    path(
        "<int:round_id>/participantes/importar/",
        people.participants_upload,
        name="participants_import",
    ),
    path(
        "<int:round_id>/participantes/<int:participant_id>/quitar/",
        people.participant_delete,
        name="participant_remove",
    ),
    path("<int:round_id>/formulario/", people.paper_form, name="paper_form"),
    path("<int:round_id>/papel/", people.paper_list, name="paper_list"),
    path("<int:round_id>/papel/<int:participant_id>/", people.paper_entry, name="paper_entry"),
    path("<int:round_id>/talleres/nuevo/", workshops.workshop_new, name="workshop_new"),
    path("<int:round_id>/talleres/<int:workshop_id>/", workshops.workshop_edit, name="workshop"),
    path("<int:round_id>/resultados/", results.results, name="results"),
    path("<int:round_id>/hallazgos/nuevo/", results.finding_new, name="finding_new"),
    path("<int:round_id>/hallazgos/<int:finding_id>/", results.finding_detail, name="finding"),
    path(
        "<int:round_id>/hallazgos/<int:finding_id>/editar/",
        results.finding_edit,
        name="finding_edit",
    ),
    path("<int:round_id>/exportar/<str:kind>", results.export, name="export"),
    path("<int:round_id>/participar/", activist.take_part, name="take_part"),
    path("<int:round_id>/opinion/", activist.feedback, name="feedback"),
    path("<int:round_id>/gracias/", activist.thanks, name="thanks"),
]
