"""Thin Qt views of the wizard's steps."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.config import Config
    from kiosk.devices.base import Camera
    from kiosk.devices.speech.base import Speaker
    from kiosk.flow.journey import Journey
    from kiosk.screens.bridge import CardBridge
    from kiosk.screens.frame import MainWindow


def build_window(
    cfg: Config, journey: Journey, cards: CardBridge, camera: Camera, speaker: Speaker, services: object = None
) -> MainWindow:
    from kiosk.screens.base import Context
    from kiosk.screens.change import (
        AddressScreen,
        ChangeDateScreen,
        ChangeWhatScreen,
        EmployerScreen,
        SchoolScreen,
    )
    from kiosk.screens.done import DoneScreen
    from kiosk.screens.finish import PhoneScreen, ReviewScreen, SubmitScreen
    from kiosk.screens.frame import MainWindow
    from kiosk.screens.i18n import Languages
    from kiosk.screens.identity import EligibilityScreen, IdentityScreen, ReadCardScreen
    from kiosk.screens.maintenance import MaintenanceScreen, MaintPinScreen
    from kiosk.screens.materials import CaptureScreen, CategoryScreen
    from kiosk.screens.reissue import FeeScreen, ReissueKindScreen
    from kiosk.screens.start import AttractScreen, ConsentScreen
    from kiosk.screens.status import (
        ApplicationScreen,
        ApplicationsScreen,
        MailAddressScreen,
        PickupMethodScreen,
        PickupReviewScreen,
    )
    from kiosk.screens.voice import Voice

    voice = Voice(speaker, lambda: journey.lang)
    ctx = Context(journey=journey, cards=cards, camera=camera, config=cfg, services=services, voice=voice)
    classes = [
        AttractScreen, ConsentScreen, ReadCardScreen, IdentityScreen, EligibilityScreen,
        CategoryScreen, CaptureScreen, PhoneScreen, ReviewScreen, SubmitScreen, DoneScreen,
        ChangeWhatScreen, AddressScreen, EmployerScreen, SchoolScreen, ChangeDateScreen,
        ReissueKindScreen, FeeScreen,
        ApplicationsScreen, ApplicationScreen, PickupMethodScreen, MailAddressScreen, PickupReviewScreen,
        MaintPinScreen, MaintenanceScreen,
    ]
    screens = [cls(ctx) for cls in classes]
    return MainWindow(ctx, screens, Languages())
