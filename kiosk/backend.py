"""The one wiring of the review service from the configuration.

The application, the tour and every command (``kiosk outbox flush|status``) reach the review
service through :func:`open_backend`, so they all talk to the same service: with
``[backend] url = "embedded"`` that is the in-process simulator on
``<data_dir>/review-service-simulator/simulator.sqlite3``. The simulator stands for the
police's central server, whose database holds applications in plaintext as the real one does;
it is kept in its own folder, apart from the kiosk's own (encrypted) state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from urllib3.util.retry import Retry

from kiosk.backend_client import ReviewClient
from kiosk.config import Config

log = logging.getLogger(__name__)

SIMULATOR_DIR = "review-service-simulator"


def simulator_db(cfg: Config) -> Path:
    """Where the embedded simulator keeps its database."""
    return cfg.data_dir / SIMULATOR_DIR / "simulator.sqlite3"


def client_cert(cfg: Config) -> str | tuple[str, str] | None:
    """The client certificate for mutual TLS (``[backend] client_cert`` / ``client_key``)."""
    b = cfg.backend
    if not b.client_cert:
        return None
    return (b.client_cert, b.client_key) if b.client_key else b.client_cert


def no_retry() -> Retry:
    """No retries inside one request: the outbox does its own backoff (honouring Retry-After)."""
    return Retry(total=0, raise_on_status=False)


def make_client(cfg: Config, url: str, retry: Retry | None = None) -> ReviewClient:
    """A client of the service at ``url`` as configured (token, kiosk id, timeout, CA, certificate)."""
    b = cfg.backend
    return ReviewClient(
        url, b.token, cfg.kiosk.id, timeout=b.timeout_s, ca_bundle=b.ca_bundle or None,
        client_cert=client_cert(cfg), retry=retry,
    )


@dataclass
class Backend:
    """The review service as configured: its URL, a client, and the embedded simulator if any."""

    cfg: Config
    url: str
    client: ReviewClient
    simulator: Any = None  # kiosk.simulator.ReviewSimulator when [backend] url = "embedded"

    def client_factory(self) -> Callable[[], ReviewClient]:
        """Clients for the outbox's sender: the same service, no retries of their own."""
        return lambda: make_client(self.cfg, self.url, no_retry())

    def close(self) -> None:
        self.client.close()
        if self.simulator is not None:
            self.simulator.stop()
            self.simulator = None


def open_backend(cfg: Config) -> Backend:
    """Connect to the configured review service; with ``url = "embedded"`` start the simulator."""
    b = cfg.backend
    simulator = None
    url = b.url
    if url == "embedded":
        from kiosk.simulator import ReviewSimulator

        db = simulator_db(cfg)
        db.parent.mkdir(parents=True, exist_ok=True)
        simulator = ReviewSimulator(db_path=db, tokens={b.token: cfg.kiosk.id}, auto_review_s=b.auto_review_s or None)
        url = simulator.start("127.0.0.1", 0)
        log.info("embedded review-service simulator at %s", url)
    return Backend(cfg, url, make_client(cfg, url), simulator)
