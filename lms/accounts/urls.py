"""The public account pages, under /cuenta/ (no namespace: ``login`` is Django's LOGIN_URL)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from lms.accounts import views

urlpatterns = [
    path("ingresar/", views.SignInView.as_view(), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("activar/", views.activate, name="account_activate"),
    path("olvide/", views.forgotten, name="account_forgotten"),
    path("olvide/enviado/", views.forgotten_sent, name="account_forgotten_sent"),
    path("clave/nueva/", views.link_password, name="account_link_password"),
    path("clave/<str:token>/", views.link, name="account_link"),
]
