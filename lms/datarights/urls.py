from django.urls import path

from lms.datarights import views

app_name = "datarights"

urlpatterns = [
    path("mis-datos/", views.my_data, name="my_data"),
    path("mis-datos/descarga/", views.download_prepare, name="download_prepare"),
    path("mis-datos/descargas/<uuid:token>/<slug:kind>/", views.download, name="download"),
    path("mis-datos/solicitar/<slug:kind>/", views.request_new, name="request_new"),
    path("mis-datos/solicitudes/<str:number>/", views.request_detail, name="request"),
    path("solicitudes-de-datos/", views.queue, name="queue"),
    path("solicitudes-de-datos/registrar/", views.file_on_behalf, name="file_on_behalf"),
    path("solicitudes-de-datos/<str:number>/", views.handle, name="handle"),
]
