"""Fixtures of the simulator's tests: a simulator on loopback with an injectable clock and two
kiosks' tokens, and a kiosk's view of it (``api``, ``other_api``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.simulator import DEMO_KIOSK_ID, DEMO_TOKEN, ReviewSimulator
from tests.support.simulator_api import OTHER_KIOSK_ID, OTHER_TOKEN, START, Api, Clock


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def sim(clock: Clock) -> Iterator[ReviewSimulator]:
    simulator = ReviewSimulator(tokens={DEMO_TOKEN: DEMO_KIOSK_ID, OTHER_TOKEN: OTHER_KIOSK_ID}, now=clock)
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def api(sim: ReviewSimulator) -> Api:
    return Api(sim.url)


@pytest.fixture
def other_api(sim: ReviewSimulator) -> Api:
    return Api(sim.url, token=OTHER_TOKEN, kiosk_id=OTHER_KIOSK_ID)
