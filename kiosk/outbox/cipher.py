"""AES-256-GCM sealing of the outbox's records.

Everything personal - the request body (name, ID number, phone) and the images - is stored only
as AES-256-GCM ciphertext, one random 12-byte nonce per record, the record's identity (entry id,
part) as associated data, so records cannot be swapped between rows. A sealed record is the nonce
followed by the ciphertext and its tag.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class Cipher:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes | bytearray, ad: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, bytes(plaintext), ad.encode())

    def open(self, blob: bytes, ad: str) -> bytes:
        """The plaintext; ``cryptography.exceptions.InvalidTag`` for another key, row or tampering."""
        return self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], ad.encode())


def ad_request(entry_id: str) -> str:
    return f"outbox/v1/{entry_id}/request"


def ad_document(entry_id: str, idx: int, document_id: str) -> str:
    return f"outbox/v1/{entry_id}/document/{idx}/{document_id}"
