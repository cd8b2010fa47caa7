from django.urls import path

from assessments.analytics import views as analytics
from assessments.questionnaires import views as questionnaire

app_name = "assessments"

urlpatterns = [
    path(
        "cuestionarios/<int:enrollment_id>/<str:wave>/consentimiento/",
        questionnaire.consent,
        name="consent",
    ),
    path("cuestionarios/<int:enrollment_id>/<str:wave>/", questionnaire.answer, name="answer"),
    path("cuestionarios/<int:enrollment_id>/<str:wave>/enviado/", questionnaire.done, name="done"),
    path("analitica/", analytics.dashboard, name="analytics"),
    path("analitica/exportar/respuestas.csv", analytics.export_responses, name="export_responses"),
    path(
        "analitica/exportar/respuestas.<slug:file_format>",
        analytics.export_responses_labelled,
        name="export_responses_labelled",
    ),
    path(
        "analitica/exportar/diccionario.csv", analytics.export_dictionary, name="export_dictionary"
    ),
]
