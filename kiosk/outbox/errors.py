"""What the outbox raises (the key file's own error is :class:`kiosk.outbox.key.OutboxKeyError`)."""

from __future__ import annotations

from typing import Any

from kiosk.backend_client import ProblemError


class OutboxError(Exception):
    """The outbox cannot do what was asked."""


class OutboxRefused(ProblemError):
    """The service definitively refused an outbox entry (the entry is now ``dead``).

    A :class:`ProblemError`, so the journey's refusal handling (``problem_reasons``) works as is.
    """

    def __init__(self, entry_id: str, status: int, problem: dict[str, Any]) -> None:
        super().__init__(status, problem)
        self.entry_id = entry_id
        self.retryable = False
