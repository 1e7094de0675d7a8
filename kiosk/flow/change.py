"""Change of registration information (变更登记): which details change, their new values and
the date of the change. Pure Python (no Qt)."""

from __future__ import annotations

import datetime as dt

from kiosk.domain.changes import ChangeField, change_timing
from kiosk.domain.clock import today
from kiosk.domain.services import CATEGORIES, Group
from kiosk.flow.services import NeedsUsablePermit
from kiosk.flow.steps import Kind, Step

#: The step that asks for each detail, in the order they are asked.
STEP_OF: dict[ChangeField, Step] = {
    ChangeField.RESIDENCE_ADDRESS: Step.ADDRESS,
    ChangeField.EMPLOYER: Step.EMPLOYER,
    ChangeField.SCHOOL: Step.SCHOOL,
}
#: The proof that goes with each changed detail (besides the change proof itself).
GROUP_OF: dict[ChangeField, Group] = {
    ChangeField.RESIDENCE_ADDRESS: Group.RESIDENCE,
    ChangeField.EMPLOYER: Group.EMPLOYMENT,
    ChangeField.SCHOOL: Group.STUDY,
}


class ChangeJourney(NeedsUsablePermit):
    kind = Kind.INFO_CHANGE

    def choose(self, chosen: set[ChangeField]) -> None:
        if not chosen:
            raise ValueError("choose at least one")
        app = self.journey.application()
        app.changes = {k: v for k, v in (app.changes or {}).items() if ChangeField(k) in chosen}
        steps = tuple(step for field, step in STEP_OF.items() if field in chosen)
        self.journey.wizard.insert_after(Step.CHANGE_WHAT, steps, frozenset(STEP_OF.values()))
        self.journey.next()

    def chosen(self) -> set[ChangeField]:
        on_route = self.journey.wizard.steps
        return {field for field, step in STEP_OF.items() if step in on_route}

    def set_value(self, field: ChangeField, value: str) -> None:
        app = self.journey.application()
        app.changes = {**(app.changes or {}), field.value: value}
        self.journey.next()

    def set_date(self, when: dt.date) -> None:
        j = self.journey
        timing = change_timing(when, today(j.clock), j.change_policy)
        self.session.change_date = when
        self.session.change_late = timing.late
        j.next()

    def categories(self) -> tuple[str, ...]:
        """Proof categories that fit what changed (change proof first)."""
        groups = {Group.CHANGE} | {GROUP_OF[f] for f in self.chosen()}
        return tuple(c.code for c in CATEGORIES if c.group in groups)
