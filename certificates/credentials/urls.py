"""The issuer's keys under /.well-known/, outside the language prefixes: did:web resolution and
the VC-JWT ``kid`` depend on these exact addresses."""

from django.urls import path

from certificates.credentials import views

app_name = "credentials"

urlpatterns = [
    path(".well-known/did.json", views.did_json, name="did"),
    path(".well-known/jwks.json", views.jwks_json, name="jwks"),
]
