"""The public credential endpoints and what the verification page says about the credential."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.credentials.services import portable_credential_withhold_name
from certificates.issuance.services import certificate_revoke


def test_the_keys_and_lists_are_public_documents_any_origin_may_read(client, issued):
    portable = issued["portables"][0]
    for url in (
        "/.well-known/did.json",
        "/.well-known/jwks.json",
        f"/verificar/estado/{portable.status_list_id}.json",
        f"/verificar/{issued['certificates'][0].code}/insignia.json",
        f"/verificar/{issued['certificates'][0].code}/insignia.jwt",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get("/verificar/estado/999.json").status_code == 404
    assert client.get("/verificar/AAAA-BBBB-CCCC-DDDD/insignia.jwt").status_code == 404
    assert client.get("/.well-known/did.json").json()["id"] == "did:web:127.0.0.1%3A8000"


def test_the_status_list_is_served_in_constant_queries_and_rebuilt_on_revocation(client, issued):
    url = f"/verificar/estado/{issued['portables'][0].status_list_id}.json"
    first = client.get(url).content
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).content == first  # from the cache
    # The cache may live in the database (tests and the embedded default): its reads aside,
    # the list row and the key ids that name the cached document.
    outside_cache = [q for q in queries if '"cem_cache"' not in q["sql"]]
    assert len(outside_cache) == 2
    certificate_revoke(actor=issued["trainer"], certificate=issued["certificates"][1], reason="x")
    rebuilt = json.loads(client.get(url).content)
    assert (
        rebuilt["credentialSubject"]["encodedList"]
        != json.loads(first)["credentialSubject"]["encodedList"]
    )


def test_the_page_shows_the_checked_signature_the_bit_and_the_downloads(client, issued):
    certificate, portable = issued["certificates"][0], issued["portables"][0]
    page = client.get(f"/verificar/{certificate.code}/").content.decode()
    assert "La firma digital coincide con la clave publicada" in page
    assert portable.signing_key.kid in page
    assert f"El bit {portable.status_index} no está marcado" in page
    assert f"/verificar/{certificate.code}/insignia.json" in page
    assert f"/verificar/{certificate.code}/insignia.jwt" in page

    certificate_revoke(actor=issued["trainer"], certificate=certificate, reason="Duplicado")
    page = client.get(f"/verificar/{certificate.code}/").content.decode()
    assert f"El bit {portable.status_index} está marcado: revocado" in page


def test_a_page_whose_stored_credential_was_altered_says_so(client, issued):
    certificate, portable = issued["certificates"][0], issued["portables"][0]
    portable.signed_jwt = portable.signed_jwt[:-3] + (
        "AAA" if portable.signed_jwt[-3:] != "AAA" else "BBB"
    )
    portable.save(update_fields=["signed_jwt"])
    page = client.get(f"/verificar/{certificate.code}/").content.decode()
    assert "no coincide con la clave publicada" in page


def test_a_withheld_name_is_not_shown_and_the_page_says_why(client, issued):
    certificate = issued["certificates"][0]
    portable_credential_withhold_name(actor=None, certificate=certificate)
    page = client.get(f"/verificar/{certificate.code}/").content.decode()
    assert certificate.full_name not in page
    assert "Nombre reservado a pedido de la persona titular." in page
    assert "La firma digital coincide" in page


def test_the_page_reads_a_constant_number_of_queries(client, issued, django_assert_max_num_queries):
    code = issued["certificates"][0].code
    client.get(f"/verificar/{code}/")  # warm the status-list cache
    with django_assert_max_num_queries(12):
        client.get(f"/verificar/{code}/")
