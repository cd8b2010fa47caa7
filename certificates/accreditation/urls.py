from django.urls import path

from certificates.accreditation import views

app_name = "accreditation"

urlpatterns = [
    path("", views.index, name="index"),
    path("grupos/<int:cohort_id>/", views.cohort_detail, name="cohort"),
    path("grupos/<int:cohort_id>/acta.csv", views.cohort_csv, name="cohort_csv"),
    path("grupos/<int:cohort_id>/acta.pdf", views.cohort_pdf, name="cohort_pdf"),
]
