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
    ATTRACT = "attract"  # the service tiles are the way in
    CONSENT = "consent"
    READ_CARD = "read_card"
    IDENTITY = "identity"
    ELIGIBILITY = "eligibility"  # only when the verdict needs its own screen (late, too early, ...)
    CATEGORY = "category"  # the document (a renewal's basis is chosen with it)
    CAPTURE = "capture"
    PHONE = "phone"
    REVIEW = "review"
    SUBMIT = "submit"  # working: uploading and submitting
    DONE = "done"
    # change of registration information
    CHANGE_WHAT = "change_what"
    ADDRESS = "address"
    EMPLOYER = "employer"
    SCHOOL = "school"
    CHANGE_DATE = "change_date"
    # replacement
    REISSUE_KIND = "reissue_kind"
    FEE = "fee"
    # my applications (我的事务)
    APPLICATIONS = "applications"
    APPLICATION = "application"
    PICKUP_METHOD = "pickup_method"
    MAIL_ADDRESS = "mail_address"
    PICKUP_REVIEW = "pickup_review"
    # technicians
    MAINT_PIN = "maint_pin"
    MAINTENANCE = "maintenance"


class Kind(enum.StrEnum):
    """A journey: one of the four services, or 'My applications'."""

    RENEWAL = "renewal"
    INFO_CHANGE = "info_change"
    REISSUE = "reissue"  # lost or damaged is chosen inside the journey
    STATUS = "status"
    MAINTENANCE = "maintenance"


JOURNEYS: dict[Kind, tuple[Step, ...]] = {
    Kind.RENEWAL: (
        Step.CONSENT,
        Step.READ_CARD,
        Step.IDENTITY,
        Step.ELIGIBILITY,
        Step.CATEGORY,
        Step.CAPTURE,
        Step.PHONE,
        Step.REVIEW,
        Step.SUBMIT,
        Step.DONE,
    ),
    # The address/employer/school steps are branched in after CHANGE_WHAT.
    Kind.INFO_CHANGE: (
        Step.CONSENT,
        Step.READ_CARD,
        Step.IDENTITY,
        Step.CHANGE_WHAT,
        Step.CHANGE_DATE,
        Step.CATEGORY,
        Step.CAPTURE,
        Step.PHONE,
        Step.REVIEW,
        Step.SUBMIT,
        Step.DONE,
    ),
    Kind.REISSUE: (
        Step.CONSENT,
        Step.READ_CARD,
        Step.IDENTITY,
        Step.REISSUE_KIND,
        Step.FEE,
        Step.PHONE,
        Step.REVIEW,
        Step.SUBMIT,
        Step.DONE,
    ),
    # What follows APPLICATION is branched in by the action the resident picks.
    Kind.STATUS: (Step.CONSENT, Step.READ_CARD, Step.APPLICATIONS, Step.APPLICATION),
    Kind.MAINTENANCE: (Step.MAINT_PIN, Step.MAINTENANCE),
}
KIND_OF_SERVICE = {
    Service.RENEWAL: Kind.RENEWAL,
    Service.INFO_CHANGE: Kind.INFO_CHANGE,
    Service.REISSUE_LOST: Kind.REISSUE,
    Service.REISSUE_DAMAGED: Kind.REISSUE,
}



class Stage(enum.StrEnum):
    """The named stages the header shows ("Step 2 of 4: Confirm who you are"). Every journey has
    the same four, so the count never changes, whatever the route inside a stage."""

    CHOOSE = "choose"  # the service tiles on the attract screen
    IDENTITY = "identity"  # consent, the card, "is this you", the verdict
    DETAILS = "details"  # documents, new details, the phone; or the resident's applications
    CHECK = "check"  # check your answers


STAGES: tuple[Stage, ...] = tuple(Stage)
STAGE_OF: dict[Step, Stage] = {
    Step.ATTRACT: Stage.CHOOSE,
    **dict.fromkeys((Step.CONSENT, Step.READ_CARD, Step.IDENTITY, Step.ELIGIBILITY), Stage.IDENTITY),
    **dict.fromkeys(
        (
            Step.CATEGORY, Step.CAPTURE, Step.PHONE, Step.CHANGE_WHAT, Step.ADDRESS, Step.EMPLOYER, Step.SCHOOL,
            Step.CHANGE_DATE, Step.REISSUE_KIND, Step.FEE, Step.APPLICATIONS, Step.APPLICATION,
            Step.PICKUP_METHOD, Step.MAIL_ADDRESS,
        ),
        Stage.DETAILS,
    ),
    Step.REVIEW: Stage.CHECK,
    Step.PICKUP_REVIEW: Stage.CHECK,
}
# Steps from which Back is not offered (the journey cannot be un-done there).
NO_BACK = frozenset({Step.ATTRACT, Step.SUBMIT, Step.DONE})
# During a "Change" detour from the review screen these steps lead on to the next one
# (a new basis needs a new category and new pages) instead of straight back to review.
DETOUR_CONTINUES = frozenset({Step.CATEGORY, Step.CHANGE_WHAT, Step.ADDRESS, Step.EMPLOYER, Step.SCHOOL})

Listener = Callable[[Step], None]


class Wizard:
    def __init__(self) -> None:
        self.kind: Kind | None = None
        self.service: Service | None = None  # the contract service, once known
        self.current: Step = Step.ATTRACT
        self._path: tuple[Step, ...] = ()
        self._history: list[Step] = []
        self._skipped: set[Step] = set()
        self._return_to: Step | None = None
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    # --- queries ---
    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self._path if s not in self._skipped)

    def stage(self) -> Stage | None:
        """The named stage of the current step (None: working, done, technicians)."""
        if self.kind == Kind.MAINTENANCE:
            return None
        return STAGE_OF.get(self.current)

    def position(self) -> tuple[int, int] | None:
        """(n, total) of the current stage for the header, or None when the step has none. The
        total is the same for every journey and never changes on the way."""
        stage = self.stage()
        return None if stage is None else (STAGES.index(stage) + 1, len(STAGES))

    @property
    def can_go_back(self) -> bool:
        return self.current not in NO_BACK and bool(self._history)

    @property
    def back_leaves_journey(self) -> bool:
        """Back from here would return to the attract screen (the first step of a journey)."""
        return self.can_go_back and self._history[-1] == Step.ATTRACT

    @property
    def returning_to_review(self) -> bool:
        return self._return_to is not None

    # --- moves ---
    def begin(self, what: Service | Kind) -> None:
        kind = KIND_OF_SERVICE[what] if isinstance(what, Service) else Kind(what)
        self.kind = kind
        self.service = what if isinstance(what, Service) else None
        self._path = JOURNEYS[kind]
        self._history = [Step.ATTRACT]
        self._skipped = set()
        self._return_to = None
        self._set(self._path[0])

    def skip(self, step: Step, skipped: bool = True) -> None:
        """Leave ``step`` out of the route (or put it back): e.g. the verdict screen of a renewal
        that can simply go ahead."""
        if skipped:
            self._skipped.add(step)
        else:
            self._skipped.discard(step)

    def branch(self, following: tuple[Step, ...]) -> None:
        """Replace the steps after the current one (a choice decides what comes next)."""
        i = self._path.index(self.current)
        self._path = self._path[: i + 1] + tuple(following)

    def insert_after(self, anchor: Step, steps: tuple[Step, ...], optional: frozenset[Step]) -> None:
        """Put ``steps`` right after ``anchor``, replacing any of ``optional`` found there."""
        rest = [s for s in self._path if s not in optional]
        i = rest.index(anchor)
        self._path = tuple(rest[: i + 1]) + tuple(steps) + tuple(rest[i + 1 :])

    def switch(self, what: Service | Kind, at: Step) -> None:
        """Continue as another journey from one of its steps (e.g. a lost permit that must be renewed first)."""
        kind = KIND_OF_SERVICE[what] if isinstance(what, Service) else Kind(what)
        self.kind = kind
        self.service = what if isinstance(what, Service) else None
        self._path = JOURNEYS[kind]
        self._skipped = set()
        self._history.append(self.current)
        self._return_to = None
        self._set(at)

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
        self.kind = None
        self.service = None
        self._path = ()
        self._history = []
        self._skipped = set()
        self._return_to = None
        self._set(Step.ATTRACT)

    def _set(self, step: Step) -> None:
        self.current = step
        for listener in list(self._listeners):
            listener(step)
