"""The tour of the states a resident meets when something is wrong (``kiosk tour --service
states``), so each can be looked at: out of service, a storage fault, a refused ID card, the
answer to Help, the review service down, and a renewal that ends with the printer out of paper.

Each state is made the way it happens on a kiosk: a heartbeat directive, the storage check,
the simulated reader's refusal, the help request answered by the (embedded) simulator, faults
injected into the simulator, the simulated printer's paper-out state.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.devices.base import PrinterState
from kiosk.domain.testcard import TestCard, load_test_card
from kiosk.screens.theme import ASSETS

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.tour import Driver

REFUSED_CARD = ASSETS / "cards" / "invalid" / "expired.json"
OUT_OF_SERVICE = {
    "zh-CN": "系统维护中，预计30分钟后恢复。",
    "en": "The system is being maintained and is expected back in 30 minutes.",
}


def states(d: Driver, card: Path | str | TestCard) -> None:
    k = d.kiosk
    state = k.journey.state
    d.pump(100)
    state.set_remote(OUT_OF_SERVICE)
    d.shot("out-of-service")
    state.set_remote(None)
    state.set_storage("the data directory is full")
    d.shot("storage-fault")
    state.set_storage(None)
    d.pump(50)

    _to_read_card(d)
    k.reader.insert(load_test_card(REFUSED_CARD))
    screen = d.win.current_screen()
    d.wait(lambda: getattr(screen, "refusal", None) is not None, what="the refusal on screen")
    d.shot("card-refused")
    k.reader.remove()
    d.pump(50)

    d.tap(d.find("helpButton"))
    help_desk = d.win.help_desk
    d.wait(lambda: help_desk.answer is not None or help_desk.failed, timeout=20, what="the answer to Help")
    d.shot("help-answer")
    d.win.overlay.dismiss()

    if k.simulator is not None:  # the review service down while the permit is looked up
        k.simulator.inject_faults("/v1/permits/lookup", "service_unavailable", count=1000, retry_after_s=0)
        d.insert_card(card)
        identity = d.win.current_screen()
        d.wait(lambda: not identity.loading, timeout=60, what="the lookup to fail")
        d.shot("service-down")
        k.simulator.clear_faults()
    d.win.end_session()
    d.wait(lambda: d.step() == "attract", what="attract")
    k.reader.remove()
    d.pump(50)

    # A renewal to the end with no paper in the printer: the done screen says how to go on.
    if hasattr(k.printer, "set_state"):  # the simulated printer (a real one runs out by itself)
        k.printer.set_state(PrinterState.PAPER_OUT)
    from kiosk.tour import SERVICES

    SERVICES["renewal"][0](d, card)
    d.shot("printer-out-of-paper")
    # While a printer problem is shown the done screen does not time out: Finish ends it.
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "attract", what="attract")


def _to_read_card(d: Driver) -> None:
    """Renewal from the attract screen to the read-card step (consent given)."""
    d.tap(d.find("tile_renewal"))
    d.wait(lambda: d.step() == "consent", what="consent")
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "read_card", what="read card")
