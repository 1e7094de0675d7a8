"""The done screen: a visible countdown, a warning at least ``warning_s`` before it returns,
Keep viewing (继续查看) extends it, and no timeout while a printer problem is shown."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.devices.base import PrinterState
from tests.support.journey_steps import to_review
from tests.support.kiosk import make_kiosk


def to_done(k, d) -> object:
    to_review(d, pages=1)
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "done", timeout=30, what="done")
    return k.window.current_screen()


def test_countdown_warns_and_keep_viewing_extends(qtbot, kiosk_config):
    cfg = replace(kiosk_config, timeouts=replace(kiosk_config.timeouts, done_s=4, warning_s=2))
    k, d = make_kiosk(qtbot, cfg)
    try:
        screen = to_done(k, d)
        assert screen.countdown.isVisible() and "秒后返回首页" in screen.countdown.text()
        assert not screen.closing.isVisible()  # not yet: 4 s left, the warning comes at 2
        d.wait(lambda: screen.closing.isVisible(), timeout=5, what="the warning")
        assert screen.left <= 2
        assert "本页面即将关闭" in k.speaker.texts()[-1]  # said, too
        d.tap(d.find("keepViewing"))
        assert screen.left == 4 and not screen.closing.isVisible() and d.step() == "done"
        d.wait(lambda: d.step() == "attract", timeout=8, what="the return to the start")
    finally:
        k.close()


@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.sim: print job \S+ refused: printer paper_out")
def test_no_timeout_while_the_printer_problem_is_shown(qtbot, kiosk_config):
    cfg = replace(kiosk_config, timeouts=replace(kiosk_config.timeouts, done_s=5))
    k, d = make_kiosk(qtbot, cfg)
    try:
        k.printer.set_state(PrinterState.PAPER_OUT)
        screen = to_done(k, d)
        assert screen.print_notice.isVisible()
        assert screen.left == 0 and not screen._tick.isActive()
        assert not screen.keep.isVisible() and "完成" in screen.countdown.text()
        assert k.window.idle.paused  # the idle timer waits too
    finally:
        k.close()
