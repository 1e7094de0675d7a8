"""Virtual ID cards in pcscd's vpcd readers, for the PC/SC tests: insert, wait until pcscd
sees them, remove them all at teardown."""

from __future__ import annotations

import itertools
import time
from typing import Any

from smartcard import scard

from kiosk.domain.testcard import TestCard
from tests.support.vcard import Faults, VirtualCard

R0 = "Virtual PCD 00 00"
R1 = "Virtual PCD 00 01"


def wait_presence(reader: str, present: bool, timeout_s: float = 3.0) -> None:
    """Wait until pcscd reports the reader with (or without) a card."""
    hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hr == scard.SCARD_S_SUCCESS
    try:
        deadline = time.monotonic() + timeout_s
        current = scard.SCARD_STATE_UNAWARE
        while True:
            remaining = deadline - time.monotonic()
            hr, states = scard.SCardGetStatusChange(ctx, max(0, int(remaining * 1000)), [(reader, current)])
            if hr == scard.SCARD_S_SUCCESS:
                current = states[0][1] & ~scard.SCARD_STATE_CHANGED
                if bool(current & scard.SCARD_STATE_PRESENT) == present:
                    return
            if remaining <= 0:
                raise AssertionError(f"{reader}: card {'present' if present else 'absent'} not seen in {timeout_s} s")
    finally:
        scard.SCardReleaseContext(ctx)


#: Readers whose card was removed but whose absence pcscd may not have seen yet (it polls
#: vpcd every 0.4 s). Tests alternate between the two readers, so they rarely wait for it.
_pending_removal: set[str] = set()
_next_reader = itertools.cycle([R0, R1])


class Cards:
    """Virtual cards of one test; all are removed at teardown."""

    def __init__(self) -> None:
        self.cards: list[VirtualCard] = []

    def insert(self, test_card: TestCard, reader: str | None = None, wait: bool = False, **faults: Any) -> VirtualCard:
        """Insert into ``reader`` (default: alternately 00 00 and 00 01)."""
        reader = reader or next(_next_reader)
        if reader in _pending_removal:
            wait_presence(reader, False)
            _pending_removal.discard(reader)
        vc = VirtualCard(test_card, reader=reader, faults=Faults(**faults))
        self.cards.append(vc)
        vc.insert()
        if wait:
            wait_presence(reader, True)
        return vc

    def remove_all(self) -> None:
        for vc in self.cards:
            vc.remove()
            _pending_removal.add(vc.reader)
        self.cards.clear()

    @staticmethod
    def settle() -> None:
        """Wait until pcscd has seen every earlier removal (both readers empty)."""
        for reader in sorted(_pending_removal):
            wait_presence(reader, False)
        _pending_removal.clear()
