"""The real kiosk application (simulated devices) built for a test and shown in a window."""

from __future__ import annotations


def make_kiosk(qtbot, cfg, size=(1080, 1920)):
    from kiosk.app import build
    from kiosk.tour import Driver

    # Tests never wait long: no automatic retries with backoff inside one request.
    k = build(cfg)
    from urllib3.util.retry import Retry

    from kiosk.backend_client import ReviewClient

    for adapter in k.client._s.adapters.values():
        adapter.max_retries = Retry(total=0, raise_on_status=False)
    assert isinstance(k.client, ReviewClient)
    qtbot.addWidget(k.window)
    k.window.resize(*size)
    k.window.show()
    qtbot.waitExposed(k.window)
    return k, Driver(k, None)
