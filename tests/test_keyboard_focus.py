"""The on-screen keyboard shows only while a text field has focus, and never on the phone,
review or done screens: the mail-pickup path of the `--service status` tour, in landscape."""

from __future__ import annotations

from kiosk import tour
from kiosk.tour import Driver
from tests.conftest import CARDS, make_kiosk


class Watching(Driver):
    """The tour's driver, noting at every screenshot whether the keyboard is on screen."""

    def __init__(self, kiosk) -> None:
        super().__init__(kiosk, None)
        self.seen: list[tuple[str, str, bool, bool]] = []  # (shot, step, keyboard shown, a text field focused)

    def shot(self, name: str) -> None:
        from PySide6.QtWidgets import QApplication, QLineEdit

        self.pump(300)  # longer than the panel's hide delay
        panel = self.win.keyboard
        shown = panel is not None and panel.isVisible()
        focused = isinstance(QApplication.focusWidget(), QLineEdit)
        self.seen.append((name, self.step(), shown, focused))
        super().shot(name)


def test_mail_pickup_path_never_leaves_the_keyboard_up(qtbot, kiosk_config):
    k, _ = make_kiosk(qtbot, kiosk_config, size=(1920, 1080))
    try:
        d = Watching(k)
        tour.status(d, CARDS / "linhai.json")
        # Also type an address, then go back to the registered one: the keyboard must go away.
        steps = {step for _, step, _, _ in d.seen}
        assert {"mail_address", "phone", "pickup_review", "done"} <= steps
        for name, step, shown, focused in d.seen:
            if step in ("phone", "review", "pickup_review", "done", "submit"):
                assert not shown, f"{name}: the keyboard is up on {step}"
            assert not shown or focused, f"{name}: the keyboard is up with no text field focused"
    finally:
        k.close()


def test_keyboard_goes_when_the_address_form_is_left(qtbot, kiosk_config):
    """Typing another address, then Back to the method and on by the registered address: on
    the phone screen nothing may still hold the keyboard."""
    from PySide6.QtWidgets import QApplication, QLineEdit

    k, _ = make_kiosk(qtbot, kiosk_config, size=(1920, 1080))
    try:
        d = Driver(k, None)
        tour.renewal(d, CARDS / "linhai.json")
        app_id = k.session.submission.application_id
        d.tap(d.find("primaryButton"))
        d.wait(lambda: d.step() == "attract", what="attract")
        tour.wait_card_ready(d, app_id)
        d.start("tile_status")
        d.read_card(CARDS / "linhai.json")
        d.wait(lambda: not d.win.current_screen().loading, what="applications")
        d.tap(d.find(f"application_{app_id}"))
        d.tap(d.find("primaryButton"))
        d.tap(d.find("pickup_mail"))
        d.tap(d.find("mail_other"))
        street = d.field("mail_street")
        d.focus(street)
        d.wait(lambda: k.window.keyboard is not None and k.window.keyboard.isVisible(), what="keyboard")
        d.tap(d.find("backButton"))
        d.tap(d.find("pickup_mail"))
        d.tap(d.find("mail_registered"))
        assert d.step() == "phone"
        d.wait(lambda: not k.window.keyboard.isVisible(), timeout=3, what="the keyboard to go")
        assert not isinstance(QApplication.focusWidget(), QLineEdit)
    finally:
        k.close()
