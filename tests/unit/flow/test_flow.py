"""The wizard: step order, Back, and the check-your-answers Change detours."""

from __future__ import annotations

import pytest

from kiosk.domain.services import Service
from kiosk.flow.steps import Step, Wizard


def walk_to(w: Wizard, step: Step) -> None:
    while w.current != step:
        w.next()


def test_renewal_steps_in_order_and_step_numbers():
    w = Wizard()
    seen = []
    w.subscribe(seen.append)
    w.choose_service()
    w.begin(Service.RENEWAL)
    assert w.current == Step.CONSENT and w.position() == (1, 9)
    walk_to(w, Step.DONE)
    assert seen == [
        Step.SERVICE, Step.CONSENT, Step.READ_CARD, Step.IDENTITY, Step.ELIGIBILITY, Step.BASIS,
        Step.CATEGORY, Step.CAPTURE, Step.PHONE, Step.REVIEW, Step.SUBMIT, Step.DONE,
    ]
    assert w.position() is None  # the done screen is not a numbered step
    with pytest.raises(RuntimeError):
        w.next()


def test_back_retraces_and_stops_where_it_must():
    w = Wizard()
    w.begin(Service.RENEWAL)
    walk_to(w, Step.PHONE)
    assert w.back() == Step.CAPTURE
    assert w.back() == Step.CATEGORY
    walk_to(w, Step.SUBMIT)
    assert not w.can_go_back and w.back() == Step.SUBMIT


def test_change_from_review_returns_to_review():
    w = Wizard()
    w.begin(Service.RENEWAL)
    walk_to(w, Step.REVIEW)
    w.change(Step.PHONE)
    assert w.current == Step.PHONE and w.returning_to_review
    assert w.next() == Step.REVIEW
    assert not w.returning_to_review
    assert w.next() == Step.SUBMIT


def test_changing_the_basis_leads_through_category_and_capture_then_back_to_review():
    w = Wizard()
    w.begin(Service.RENEWAL)
    walk_to(w, Step.REVIEW)
    w.change(Step.BASIS)
    assert [w.next(), w.next(), w.next()] == [Step.CATEGORY, Step.CAPTURE, Step.REVIEW]


def test_back_out_of_a_detour_cancels_it():
    w = Wizard()
    w.begin(Service.RENEWAL)
    walk_to(w, Step.REVIEW)
    w.change(Step.PHONE)
    assert w.back() == Step.REVIEW
    assert not w.returning_to_review
    assert w.next() == Step.SUBMIT


def test_restart_forgets_everything():
    w = Wizard()
    w.begin(Service.RENEWAL)
    walk_to(w, Step.CAPTURE)
    w.restart()
    assert w.current == Step.ATTRACT and w.service is None and not w.can_go_back


def test_services_without_a_journey_are_refused():
    with pytest.raises(ValueError):
        Wizard().begin("no-such-journey")
