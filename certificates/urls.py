from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("certificados/", views.mine, name="mine"),
    path("certificados/<str:code>/pdf/", views.download, name="download"),
    path("certificados/<str:code>/revocar/", views.revoke, name="revoke"),
    path("grupos/<int:cohort_id>/certificados/", views.cohort_certificates, name="cohort"),
    path("verificar/", views.verify_form, name="verify_form"),
    path("verificar/revocados.json", views.revocation_list_json, name="revocation_list"),
    path("verificar/cursos/<str:course_code>/", views.achievement, name="achievement"),
    path("verificar/<str:code>/", views.verify, name="verify"),
    path("verificar/<str:code>/insignia.json", views.badge, name="badge"),
]
