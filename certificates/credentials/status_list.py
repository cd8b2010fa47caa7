"""Revocation as W3C Bitstring Status Lists: index allocation and the signed list credential.

Each credential's bit is computed from its certificate's status, so revoking a certificate
flips the bit as soon as its transaction commits: :func:`status_list_changed` bumps the list's
``revision``, which is part of the cache key of the signed copy, so no process can serve the
old bits afterwards (whatever the cache backend). Indexes are never handed out twice: a list
only counts up, and the database refuses a second credential on the same index.
"""

from __future__ import annotations

import json
import secrets

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from certificates.credentials import bitstring
from certificates.credentials.contexts import CREDENTIALS_V2
from certificates.credentials.credential import status_list_url
from certificates.credentials.data_integrity import add_proof, utc_timestamp
from certificates.credentials.models import PortableCredential, SigningKey, StatusList
from certificates.credentials.signing import active_signing_key, issuer_did
from certificates.models import Certificate

CACHE_SECONDS = 24 * 3600


def _new_list() -> StatusList:
    size = StatusList.SIZE
    return StatusList.objects.create(
        size=size, stride=secrets.randbelow(size // 2) * 2 + 1, offset=secrets.randbelow(size)
    )


@transaction.atomic
def status_indexes_allocate(count: int) -> list[tuple[StatusList, int]]:
    """``count`` fresh (list, index) pairs. The open list is locked, so concurrent issuance
    takes turns; a full list is left and a new one opened."""
    slots: list[tuple[StatusList, int]] = []
    while len(slots) < count:
        current = (
            StatusList.objects.select_for_update()
            .filter(allocated__lt=F("size"))
            .order_by("pk")
            .first()
        ) or _new_list()
        take = min(count - len(slots), current.size - current.allocated)
        first = current.allocated
        current.allocated += take
        current.save(update_fields=["allocated"])
        slots.extend((current, current.index_of(n)) for n in range(first, first + take))
    return slots


def status_list_changed(*, certificate: Certificate) -> None:
    """The certificate's status changed: the next request rebuilds and re-signs its list."""
    StatusList.objects.filter(entries__certificate=certificate).update(
        revision=F("revision") + 1, changed_at=timezone.now()
    )


def revoked_indexes(status_list: StatusList) -> list[int]:
    return list(
        PortableCredential.objects.filter(
            status_list=status_list, certificate__status__in=Certificate.NOT_VALID
        ).values_list("status_index", flat=True)
    )


def status_list_credential(status_list: StatusList) -> dict:
    """The ``BitstringStatusListCredential`` of a list, signed with the active key."""
    key = active_signing_key()
    url = status_list_url(status_list.pk)
    credential = {
        "@context": [CREDENTIALS_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did(),
        "validFrom": utc_timestamp(status_list.changed_at),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": status_list.purpose,
            "encodedList": bitstring.encode(revoked_indexes(status_list), status_list.size),
        },
    }
    return add_proof(
        credential,
        private_key=key.private_key,
        verification_method=key.verification_method,
        created=status_list.changed_at,
    )


def status_list_json(list_id: int) -> str | None:
    """The signed list as served, from the cache while neither its bits nor the key changed
    (two queries on a cache hit). None for an unknown list."""
    status_list = StatusList.objects.filter(pk=list_id).first()
    if status_list is None:
        return None
    kid = SigningKey.objects.filter(active=True).values_list("kid", flat=True).first() or ""
    cache_key = f"credentials:status-list:{status_list.pk}:{status_list.revision}:{kid}"
    document = cache.get(cache_key)
    if document is None:
        document = json.dumps(status_list_credential(status_list), ensure_ascii=False)
        cache.set(cache_key, document, CACHE_SECONDS)
    return document
