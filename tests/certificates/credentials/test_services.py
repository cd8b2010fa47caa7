"""Issuing portable credentials: fresh status indexes never reused, the holder named only by a
salted hash, and the re-issue with her name withheld keeping the same status entry."""

import hashlib
import json

import pytest
from django.db import IntegrityError

from certificates.credentials.models import PortableCredential, StatusList
from certificates.credentials.services import (
    portable_credential_of,
    portable_credential_withhold_name,
)
from certificates.credentials.status_list import status_indexes_allocate
from certificates.credentials.verification import signature_check
from lms.models import AuditLogEntry


def subject(portable) -> dict:
    return json.loads(portable.signed_json)["credentialSubject"]


def test_the_holder_is_a_salted_hash_of_her_name_never_the_name(issued):
    certificate, portable = issued["certificates"][0], issued["portables"][0]
    (identity,) = subject(portable)["identifier"]
    assert identity["type"] == "IdentityObject" and identity["hashed"] is True
    assert identity["identityType"] == "name"
    expected = hashlib.sha256((certificate.full_name + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${expected}"
    assert certificate.full_name not in portable.signed_json
    assert certificate.full_name not in portable.signed_jwt
    other = subject(issued["portables"][1])["identifier"][0]
    assert other["salt"] != identity["salt"]


@pytest.mark.django_db
def test_indexes_are_unique_scrambled_and_a_full_list_opens_the_next():
    first = status_indexes_allocate(1000)
    assert len({index for _list, index in first}) == 1000
    assert [index for _list, index in first[:5]] != list(range(5))
    status_list = first[0][0]
    StatusList.objects.filter(pk=status_list.pk).update(allocated=StatusList.SIZE - 2)
    spill = status_indexes_allocate(5)
    assert [s.pk for s, _index in spill[:2]] == [status_list.pk] * 2
    assert {s.pk for s, _index in spill[2:]} == {status_list.pk + 1}
    status_list.refresh_from_db()
    assert status_list.allocated == status_list.size


@pytest.mark.django_db
def test_a_full_lists_scramble_visits_every_index_once():
    status_list = StatusList(size=StatusList.SIZE, stride=12_345, offset=678)
    assert len({status_list.index_of(n) for n in range(status_list.size)}) == status_list.size


def test_the_database_refuses_a_second_credential_on_the_same_index(issued):
    taken = issued["portables"][0]
    copy = PortableCredential.objects.get(pk=issued["portables"][1].pk)
    copy.status_index = taken.status_index
    copy.status_list_id = taken.status_list_id
    with pytest.raises(IntegrityError):
        copy.save()


def test_a_certificate_has_one_credential_and_asking_again_returns_it(issued):
    certificate = issued["certificates"][0]
    assert portable_credential_of(certificate).pk == issued["portables"][0].pk
    assert PortableCredential.objects.filter(certificate=certificate).count() == 1


def test_withholding_the_name_reissues_with_the_same_status_entry(issued, client):
    certificate, before = issued["certificates"][0], issued["portables"][0]
    after = portable_credential_withhold_name(actor=issued["trainer"], certificate=certificate)
    old, new = json.loads(before.signed_json), json.loads(after.signed_json)
    assert "identifier" not in new["credentialSubject"]
    assert new["credentialSubject"]["id"] == old["credentialSubject"]["id"]
    assert new["credentialStatus"] == old["credentialStatus"]
    assert new["id"] == old["id"] and new["issuer"] == old["issuer"]
    assert new["proof"][0]["proofValue"] != old["proof"][0]["proofValue"]
    assert (after.status_list_id, after.status_index) == (
        before.status_list_id,
        before.status_index,
    )
    assert after.name_withheld and signature_check(after).ok
    entry = AuditLogEntry.objects.get(
        content_type__model="portablecredential", object_id=str(after.pk)
    )
    assert entry.after["name_withheld_at"] and entry.actor == issued["trainer"]
    again = portable_credential_withhold_name(actor=None, certificate=certificate)
    assert again.signed_json == after.signed_json
    served = client.get(f"/verificar/{certificate.code}/insignia.jwt").content.decode()
    assert served == after.signed_jwt


def test_a_tampered_stored_credential_is_reported_as_not_verifying(issued):
    portable = issued["portables"][0]
    portable.signed_json = portable.signed_json.replace("Curso", "Cursa", 1)
    check = signature_check(portable)
    assert not check.data_integrity and check.jwt and not check.ok
