"""Delivery screens: trainers run their groups, activists follow their courses."""

from django.urls import path

from courses.offline import views as offline
from courses.views import activist, trainer

app_name = "courses"

urlpatterns = [
    path("mis-grupos/", trainer.my_cohorts, name="my_cohorts"),
    path("grupos/<int:cohort_id>/", trainer.cohort_detail, name="cohort_detail"),
    path(
        "grupos/<int:cohort_id>/sesiones/<int:delivery_id>/asistencia/",
        trainer.attendance_sheet,
        name="attendance_sheet",
    ),
    path(
        "grupos/<int:cohort_id>/sesiones/<int:delivery_id>/asistencia/enviar/",
        offline.attendance_sync,
        name="attendance_sync",
    ),
    path(
        "grupos/<int:cohort_id>/sesiones/<int:delivery_id>/hoja/",
        trainer.sign_in_sheet,
        name="sign_in_sheet",
    ),
    path("mis-grupos/sin-conexion/", offline.device_page, name="offline_device"),
    path("mis-grupos/sin-conexion/preparar/", offline.prepare_bundle, name="offline_bundle"),
    path("mis-grupos/hoja-de-papel/", offline.paper_sheet, name="paper_sheet"),
    path("mis-cursos/", activist.my_courses, name="my_courses"),
    path("mis-cursos/<int:enrollment_id>/", activist.enrollment_detail, name="enrollment_detail"),
    path(
        "mis-cursos/sesiones/<int:delivery_id>/ausencia/",
        activist.absence_announce,
        name="absence_announce",
    ),
]
