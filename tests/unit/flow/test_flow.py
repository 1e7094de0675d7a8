"""The wizard: step order, Back, and the check-your-answers Change detours."""

from __future__ import annotations

import pytest

from kiosk.domain.services import Service
from kiosk.flow.steps import Kind, Stage, Step, Wizard


def walk_to(w: Wizard, step: Step) -> None:
    while w.current != step:
        w.next()


def test_renewal_steps_in_order_and_named_stages():
    w = Wizard()
    seen = []
    w.subscribe(seen.append)
    w.begin(Service.RENEWAL)
    assert w.current == Step.CONSENT and w.position() == (2, 4) and w.stage() == Stage.IDENTITY
    walk_to(w, Step.DONE)
    assert seen == [
        Step.CONSENT, Step.READ_CARD, Step.IDENTITY, Step.ELIGIBILITY,
        Step.CATEGORY, Step.CAPTURE, Step.PHONE, Step.REVIEW, Step.SUBMIT, Step.DONE,
    ]
    assert w.position() is None  # the done screen is not a numbered step
    with pytest.raises(RuntimeError):
        w.next()


@pytest.mark.parametrize("what", [Service.RENEWAL, Service.INFO_CHANGE, Service.REISSUE_LOST, Kind.STATUS])
def test_the_step_counter_total_never_changes_on_the_way(what):
    """Issue 13: the header's total is fixed (four named stages) whatever the route inside them."""
    w = Wizard()
    w.begin(what)
    totals, numbers = set(), []
    while True:
        pos = w.position()
        if pos is not None:
            totals.add(pos[1])
            numbers.append(pos[0])
        if w.current == w.steps[-1]:
            break
        if w.current == Step.CHANGE_WHAT:  # what changed decides the steps that follow
            w.insert_after(Step.CHANGE_WHAT, (Step.ADDRESS, Step.EMPLOYER), frozenset({Step.ADDRESS, Step.EMPLOYER, Step.SCHOOL}))
        w.next()
    assert totals == {4}
    assert numbers == sorted(numbers)  # never goes backwards on the way forward


def test_an_eligible_renewal_skips_the_verdict_screen_and_back_retraces_it():
    w = Wizard()
    w.begin(Service.RENEWAL)
    walk_to(w, Step.IDENTITY)
    w.skip(Step.ELIGIBILITY)
    assert w.next() == Step.CATEGORY
    assert w.back() == Step.IDENTITY
    w.skip(Step.ELIGIBILITY, False)  # e.g. another card that is late
    assert w.next() == Step.ELIGIBILITY


def test_back_from_the_first_step_leaves_the_journey():
    w = Wizard()
    w.begin(Service.RENEWAL)
    assert w.back_leaves_journey
    w.next()
    assert not w.back_leaves_journey


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
    w.change(Step.CATEGORY)  # a document of another basis
    assert [w.next(), w.next()] == [Step.CAPTURE, Step.REVIEW]


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
