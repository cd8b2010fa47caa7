from django.urls import path

from certificates.documents import views as documents
from certificates.issuance import views as issuance
from certificates.verification import views as verification

app_name = "certificates"

urlpatterns = [
    path("certificados/", issuance.mine, name="mine"),
    path("certificados/<str:code>/pdf/", issuance.download, name="download"),
    path("certificados/<str:code>/revocar/", issuance.revoke, name="revoke"),
    path("grupos/<int:cohort_id>/certificados/", issuance.cohort_certificates, name="cohort"),
    path("grupos/<int:cohort_id>/certificados.zip", documents.cohort_zip, name="cohort_zip"),
    path("verificar/", verification.verify_form, name="verify_form"),
    path("verificar/revocados.json", verification.revocation_list_json, name="revocation_list"),
    path("verificar/estado/<int:list_id>.json", verification.status_list, name="status_list"),
    path("verificar/cursos/<str:course_code>/", verification.achievement, name="achievement"),
    path("verificar/<str:code>/", verification.verify, name="verify"),
    path("verificar/<str:code>/insignia.json", verification.badge, name="badge"),
    path("verificar/<str:code>/insignia.jwt", verification.badge_token, name="badge_jwt"),
]
