"""The cascade's screens: activists' community groups, CEM staff's verification, the reach."""

from django.urls import path

from courses.cascade import device, reach_views, views

app_name = "cascade"

urlpatterns = [
    path("mis-grupos-comunitarios/", views.my_groups, name="my_groups"),
    path("mis-grupos-comunitarios/nuevo/", views.group_create, name="group_create"),
    path(
        "mis-grupos-comunitarios/<int:group_id>/sesiones/nueva/",
        views.replica_create,
        name="replica_create",
    ),
    path(
        "mis-grupos-comunitarios/<int:group_id>/sesiones/enviar/",
        device.replica_sync,
        name="replica_sync",
    ),
    path("mis-grupos-comunitarios/sin-conexion/preparar/", device.offline_bundle, name="bundle"),
    path("replicas/", views.verify_list, name="verify_list"),
    path("replicas/<int:replica_id>/", views.replica_detail, name="replica_detail"),
    path("replicas/<int:replica_id>/foto/", views.replica_photo, name="replica_photo"),
    path("alcance/", reach_views.reach, name="reach"),
    path("alcance/replicas.zip", reach_views.export, name="export"),
]
