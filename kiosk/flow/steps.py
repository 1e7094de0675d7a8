"""The wizard's steps and the order of each service's journey.

Pure Python: the Qt screens listen to :class:`Wizard` and show the current step. The
journeys are data (an ordered tuple of steps per service) plus a history stack for Back
and a "return to" marker for the check-your-answers "Change" links.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from kiosk.domain.services import Service


class Step(enum.StrEnum):
    ATTRACT = "attract"
    SERVICE = "service"
    CONSENT = "consent"
    READ_CARD = "read_card"
    IDENTITY = "identity"
    ELIGIBILITY = "eligibility"
    BASIS = "basis"
    CATEGORY = "category"
    CAPTURE = "capture"
    PHONE = "phone"
    REVIEW = "review"
    SUBMIT = "submit"  # working: uploading and submitting
    DONE = "done"


JOURNEYS: dict[Service, tuple[Step, ...]] = {
    Service.RENEWAL: (
        Step.CONSENT,
        Step.READ_CARD,
        Step.IDENTITY,
        Step.ELIGIBILITY,
        Step.BASIS,
        Step.CATEGORY,
        Step.CAPTURE,
        Step.PHONE,
        Step.REVIEW,
        Step.SUBMIT,
        Step.DONE,
    ),
}

# Steps counted by the "Step N of M" indicator: what the resident does (not working/done screens).
COUNTED = frozenset(
    {
        Step.CONSENT,
        Step.READ_CARD,
        Step.IDENTITY,
        Step.ELIGIBILITY,
        Step.BASIS,
        Step.CATEGORY,
        Step.CAPTURE,
        Step.PHONE,
        Step.REVIEW,
    }
)
# Steps from which Back is not offered (the journey cannot be un-done there).
NO_BACK = frozenset({Step.ATTRACT, Step.SUBMIT, Step.DONE})
# During a "Change" detour from the review screen these steps lead on to the next one
# (a new basis needs a new category and new pages) instead of straight back to review.
DETOUR_CONTINUES = frozenset({Step.BASIS, Step.CATEGORY})

Listener = Callable[[Step], None]


class Wizard:
    def __init__(self) -> None:
        self.service: Service | None = None
        self.current: Step = Step.ATTRACT
        self._history: list[Step] = []
        self._return_to: Step | None = None
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    # --- queries ---
    @property
    def steps(self) -> tuple[Step, ...]:
        return JOURNEYS.get(self.service, ()) if self.service else ()

    def position(self) -> tuple[int, int] | None:
        """(n, total) for the step indicator, or None when the step is not counted."""
        counted = [s for s in self.steps if s in COUNTED]
        if self.current not in counted:
            return None
        return counted.index(self.current) + 1, len(counted)

    @property
    def can_go_back(self) -> bool:
        return self.current not in NO_BACK and bool(self._history)

    @property
    def returning_to_review(self) -> bool:
        return self._return_to is not None

    # --- moves ---
    def begin(self, service: Service) -> None:
        if service not in JOURNEYS:
            raise ValueError(f"no journey for {service}")
        self.service = service
        self._history = [Step.ATTRACT, Step.SERVICE]
        self._return_to = None
        self._set(JOURNEYS[service][0])

    def choose_service(self) -> None:
        """Attract -> the service menu."""
        self.service = None
        self._history = [Step.ATTRACT]
        self._return_to = None
        self._set(Step.SERVICE)

    def next(self) -> Step:
        steps = self.steps
        if self._return_to is not None and self.current not in DETOUR_CONTINUES:
            target = self._return_to
            self._return_to = None
        else:
            i = steps.index(self.current)
            if i + 1 >= len(steps):
                raise RuntimeError("already at the last step")
            target = steps[i + 1]
        self._history.append(self.current)
        self._set(target)
        return target

    def change(self, step: Step) -> None:
        """A "Change" link on the review screen: go to ``step`` and come back to review after."""
        if step not in self.steps:
            raise ValueError(f"{step} is not part of this journey")
        self._return_to = Step.REVIEW
        self._history.append(self.current)
        self._set(step)

    def back(self) -> Step:
        if not self.can_go_back:
            return self.current
        prev = self._history.pop()
        if prev == Step.REVIEW:
            self._return_to = None
        self._set(prev)
        return prev

    def restart(self) -> None:
        """Cancel, timeout or completion: back to attract with nothing remembered."""
        self.service = None
        self._history = []
        self._return_to = None
        self._set(Step.ATTRACT)

    def _set(self, step: Step) -> None:
        self.current = step
        for listener in list(self._listeners):
            listener(step)
