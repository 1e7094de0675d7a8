"""The durable outbox: what the resident submitted survives network failures and ``kill -9``.

An :class:`OutboxItem` (one creating request of the review-service contract plus the document
images it references) is committed to SQLite (WAL, ``synchronous=FULL``) *before* the resident
is told anything. A background :class:`Sender` then uploads the documents
(``PUT /v1/documents/{id}``, content-addressed, so a repeat is a harmless ``200``), and sends the
request with its stored ``Idempotency-Key`` and its stored, byte-identical body (contract §6), with
exponential backoff and jitter that honours ``Retry-After`` (contract §5). Once the service has
accepted it, the entry's payload is deleted and only a small non-personal result row remains
(``client_reference`` -> ``application_id``, status) for the UI and the technician.

Privacy (docs/architecture.md, "Privacy": queued data is encrypted at rest and deleted once
accepted upstream): everything personal is stored only as AES-256-GCM ciphertext; the clear
columns are bookkeeping only. Logs carry entry ids, codes and counts only.

One concern per module:

* :mod:`~kiosk.outbox.item` - :class:`OutboxItem`, the kinds of request, the contract's checks;
* :mod:`~kiosk.outbox.key` - the key file (:func:`load_or_create_key`, :class:`OutboxKeyError`);
* :mod:`~kiosk.outbox.cipher` - AES-GCM sealing of each record, bound to its row;
* :mod:`~kiosk.outbox.store` - the SQLite WAL queue (schema, transactions, ``secure_delete``);
* :mod:`~kiosk.outbox.policy` - backoff, ``Retry-After``, what is retried, held or final;
* :mod:`~kiosk.outbox.delivery` - one try at one entry (documents, then the stored request);
* :mod:`~kiosk.outbox.sender` - the background thread and the cross-process ``flock``;
* :mod:`~kiosk.outbox.outbox` - :class:`Outbox`, what the rest of the kiosk calls;
* :mod:`~kiosk.outbox.paths` - ``outbox.sqlite3`` and ``outbox.key`` for a configuration;
* :mod:`~kiosk.outbox.cli` - ``kiosk outbox status|flush`` and ``python -m kiosk.outbox.cli sender``
  (not imported here: it needs the configuration's backend wiring).
"""

from __future__ import annotations

from kiosk.outbox.errors import OutboxError, OutboxRefused
from kiosk.outbox.item import OutboxItem
from kiosk.outbox.key import OutboxKeyError, load_or_create_key
from kiosk.outbox.outbox import Outbox
from kiosk.outbox.paths import DB_NAME, KEY_NAME, outbox_paths
from kiosk.outbox.sender import Sender, SenderState

__all__ = [
    "DB_NAME",
    "KEY_NAME",
    "Outbox",
    "OutboxError",
    "OutboxItem",
    "OutboxKeyError",
    "OutboxRefused",
    "Sender",
    "SenderState",
    "load_or_create_key",
    "outbox_paths",
]
