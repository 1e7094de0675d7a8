"""The review service without HTTP: the rules (:mod:`kiosk.simulator.rules`) bound to one store and
one clock, the seed, reset, the simulated officer's auto review, and introspection for tests.

Every method takes plain Python values (decoded JSON bodies, ids) and returns the contract's object
as a dict, or raises :class:`~kiosk.simulator.problems.ApiError`. The HTTP layer is
:mod:`kiosk.simulator.routes`.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

from kiosk.simulator import timeutil
from kiosk.simulator.rules import applications, decisions, documents, kiosks, permits, pickup
from kiosk.simulator.rules.applications import application_view
from kiosk.simulator.rules.common import require_valid
from kiosk.simulator.rules.decisions import AUTO_REVIEW_NEXT
from kiosk.simulator.rules.help_requests import create_help_request
from kiosk.simulator.store import Store
from kiosk.simulator.validation_sim import validate_empty_object


class ReviewService:
    def __init__(
        self,
        store: Store,
        *,
        seed: list[dict[str, Any]],
        now: Callable[[], dt.datetime],
        auto_review_s: float | None,
    ) -> None:
        self.store = store
        self.seed = [dict(item) for item in seed]
        self._clock = now
        self.auto_review_s = auto_review_s
        self._auto_due: dict[str, float] = {}
        self._auto_lock = threading.Lock()
        permits.resolve_seed(self.seed, self.today())  # fail fast on an invalid seed

    # ------------------------------------------------------------ time

    def now(self) -> dt.datetime:
        return timeutil.to_cst(self._clock()).replace(microsecond=0)

    def today(self) -> dt.date:
        return self.now().date()

    # ------------------------------------------------------------ seed / reset

    def initialise(self) -> None:
        """Load the seed into a new database; keep the state of an existing one."""
        with self.store.transaction() as store:
            store.release_all_in_progress()
            if store.get_meta("seeded") is None:
                self._load_seed(store)
            pending = store.applications_in_status(tuple(AUTO_REVIEW_NEXT))
        for application_id in pending:
            self._schedule_auto_review(application_id)

    def _load_seed(self, store: Store) -> int:
        records = permits.resolve_seed(self.seed, self.today())
        for record in records:
            store.put_permit(record)
        store.set_meta("seeded", timeutil.format_datetime(self.now()))
        return len(records)

    def reset(self) -> int:
        with self.store.transaction() as store:
            store.clear_all()
            loaded = self._load_seed(store)
        with self._auto_lock:
            self._auto_due.clear()
        return loaded

    # ------------------------------------------------------------ auto review

    def _schedule_auto_review(self, application_id: str) -> None:
        if self.auto_review_s is None:
            return
        with self._auto_lock:
            self._auto_due[application_id] = time.monotonic() + self.auto_review_s

    def auto_review_tick(self) -> None:
        """Advance every application whose auto-review step is due by one status."""
        if self.auto_review_s is None:
            return
        moment = time.monotonic()
        with self._auto_lock:
            due = [app_id for app_id, at in self._auto_due.items() if at <= moment]
        for application_id in due:
            with self.store.transaction() as store:
                app = store.get_application(application_id)
                nxt = AUTO_REVIEW_NEXT.get(app["status"]) if app is not None else None
                if app is not None and nxt is not None:
                    decisions.apply_decision(store, app, nxt, None, self.now())
            with self._auto_lock:
                if nxt is not None and nxt in AUTO_REVIEW_NEXT:
                    self._auto_due[application_id] = moment + self.auto_review_s
                else:
                    self._auto_due.pop(application_id, None)

    # ------------------------------------------------------------ the contract's operations

    def upload_document(
        self, kiosk_id: str, document_id: str, content_type: str, content: bytes
    ) -> tuple[dict[str, Any], bool]:
        """DocumentReceipt and whether the document is new (201) or a repeat (200)."""
        with self.store.transaction() as store:
            return documents.store_document(store, kiosk_id, document_id, content_type, content, self.now())

    def lookup_permit(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.store.transaction() as store:
            return permits.lookup_permit(store, body, self.today())

    def create_application(self, kiosk_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """ApplicationCreate -> ApplicationReceipt."""
        with self.store.transaction() as store:
            app = applications.create_application(store, kiosk_id, body, self.now())
            self._schedule_auto_review(app["application_id"])
            return applications.submission_receipt(app)

    def query_applications(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.store.transaction() as store:
            return applications.query_applications(store, body)

    def get_application(self, application_id: str) -> dict[str, Any]:
        with self.store.transaction() as store:
            return applications.get_application(store, application_id)

    def choose_pickup(self, application_id: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.store.transaction() as store:
            return pickup.choose_pickup(store, application_id, body, self.now())

    def add_supplement(self, kiosk_id: str, application_id: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.store.transaction() as store:
            app = applications.add_supplement(store, kiosk_id, application_id, body, self.now())
            self._schedule_auto_review(app["application_id"])
            return application_view(app)

    def heartbeat(self, kiosk_id: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.store.transaction() as store:
            return kiosks.heartbeat(store, kiosk_id, body, self.now())

    def help_request(self, kiosk_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """(1.1) HelpRequest -> HelpResponse; the rules are in :mod:`kiosk.simulator.rules.help_requests`."""
        with self.store.transaction() as store:
            return create_help_request(store, kiosk_id, body, now=self.now())

    # ------------------------------------------------------------ simulator-only operations

    def sim_reset(self, body: dict[str, Any]) -> dict[str, Any]:
        require_valid(validate_empty_object(body))
        loaded = self.reset()
        return {"reset_at": timeutil.format_datetime(self.now()), "permits_loaded": loaded}

    def put_permit(self, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """SimPermitSeed -> PermitRecord, and whether the record is new (201) or replaced (200)."""
        with self.store.transaction() as store:
            return permits.put_sim_permit(store, body, self.today())

    def decide(self, application_id: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.store.transaction() as store:
            app = decisions.decide(store, application_id, body, self.now())
        if app["status"] in AUTO_REVIEW_NEXT:
            self._schedule_auto_review(app["application_id"])
        return application_view(app)

    def kiosk_view(self, kiosk_id: str) -> dict[str, Any] | None:
        with self.store.transaction() as store:
            return kiosks.kiosk_view(store, kiosk_id)

    def configure_kiosk(self, kiosk_id: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.store.transaction() as store:
            return kiosks.configure_kiosk(store, kiosk_id, body)

    # ------------------------------------------------------------ introspection (no HTTP)

    def applications_full(self) -> list[dict[str, Any]]:
        with self.store.transaction() as store:
            apps = store.all_applications()
        return [application_view(app, full=True) for app in apps]

    def document_bytes(self, document_id: str) -> bytes | None:
        with self.store.transaction() as store:
            return store.document_content(document_id)

    def permit_record(self, id_number: str) -> dict[str, Any] | None:
        with self.store.transaction() as store:
            return store.get_permit(id_number)
