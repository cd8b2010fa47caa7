"""Credential documents, outside the language prefixes: their addresses are written into
signed credentials and must never change."""

from django.urls import path

from certificates.credentials import views

app_name = "credentials"

urlpatterns = [
    path(".well-known/did.json", views.did_json, name="did"),
    path(".well-known/jwks.json", views.jwks_json, name="jwks"),
    path("verificar/estado/<int:list_id>.json", views.status_list, name="status_list"),
    path("verificar/<str:code>/insignia.jwt", views.badge_jwt, name="badge_jwt"),
]
