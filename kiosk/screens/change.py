"""Change of registration information: what changed, the new values, and when."""

from __future__ import annotations

import calendar
import datetime as dt

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from kiosk.domain.changes import (
    ADDRESS_LEN,
    ORGANISATION_LEN,
    AddressParts,
    ChangeField,
    TextProblem,
    change_timing,
    check_text,
    districts,
    normalise_text,
)
from kiosk.domain.clock import today
from kiosk.domain.divisions import haikou
from kiosk.flow.steps import Step
from kiosk.screens import fmt
from kiosk.screens.base import Context, Screen
from kiosk.screens.widgets import (
    Notice,
    OptionButton,
    Stepper,
    button,
    clear_layout,
    label,
    repolish,
    text_field,
    vbox,
)


def problem_text(screen: Screen, problem: TextProblem | None, lengths: tuple[int, int]) -> str:
    if problem is None:
        return ""
    if problem == TextProblem.EMPTY:
        return screen.tr("Please fill this in.")
    if problem == TextProblem.TOO_SHORT:
        return screen.tr("This is too short: at least {n} characters.").replace("{n}", str(lengths[0]))
    if problem == TextProblem.TOO_LONG:
        return screen.tr("This is too long: at most {n} characters.").replace("{n}", str(lengths[1]))
    return screen.tr("Please use only letters, numbers and normal punctuation.")


class ChangeWhatScreen(Screen):
    step = Step.CHANGE_WHAT

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=24)
        self.heading = label("heading")
        self.hint = label("lead")
        lay.addWidget(self.heading)
        lay.addWidget(self.hint)
        self.boxes: dict[ChangeField, OptionButton] = {}
        for f, icon in (
            (ChangeField.RESIDENCE_ADDRESS, "fa5s.home"),
            (ChangeField.EMPLOYER, "fa5s.briefcase"),
            (ChangeField.SCHOOL, "fa5s.graduation-cap"),
        ):
            b = OptionButton(icon)
            b.setCheckable(True)
            b.setObjectName(f"change_{f.value}")
            b.toggled.connect(self._toggled)
            lay.addWidget(b)
            self.boxes[f] = b
        lay.addStretch(1)

    def on_enter(self) -> None:
        chosen = self.journey.changes.chosen()
        for f, b in self.boxes.items():
            b.blockSignals(True)
            b.setChecked(f in chosen)
            b.blockSignals(False)
        super().on_enter()

    def _toggled(self, _on: bool) -> None:
        self.retranslate()
        self.changed.emit()

    def chosen(self) -> set[ChangeField]:
        return {f for f, b in self.boxes.items() if b.isChecked()}

    def retranslate(self) -> None:
        self.heading.setText(self.tr("What has changed?"))
        self.hint.setText(self.tr("Choose everything that changed. You will show one proof document."))
        ticks = {True: "☑ ", False: "☐ "}
        names = {
            ChangeField.RESIDENCE_ADDRESS: (self.tr("Where I live"), self.tr("A new residence address in Hainan")),
            ChangeField.EMPLOYER: (self.tr("Where I work"), self.tr("A new employer")),
            ChangeField.SCHOOL: (self.tr("Where I study"), self.tr("A new school")),
        }
        for f, b in self.boxes.items():
            title, detail = names[f]
            b.set_text(ticks[b.isChecked()] + title, detail)
            b.setProperty("selected", b.isChecked())
            repolish(b)

    def primary_text(self) -> str:
        return self.tr("Continue")

    def primary_enabled(self) -> bool:
        return bool(self.chosen())

    def activate_primary(self) -> None:
        if self.chosen():
            self.journey.changes.choose(self.chosen())


class ChoiceGrid(QWidget):
    """One choice out of a list, as a grid of buttons (``{prefix}_{i}``); rebuilt when the list changes."""

    chosen = Signal(str)

    def __init__(self, prefix: str, columns: int = 4) -> None:
        super().__init__()
        self.prefix = prefix
        self.columns = columns
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(12)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.options: tuple[str, ...] = ()
        self.buttons: dict[str, QPushButton] = {}

    def set_options(self, names: tuple[str, ...], extra: tuple[tuple[str, str], ...] = ()) -> None:
        """``names`` as buttons, then ``extra`` (key, text) buttons such as "not listed"."""
        if names == self.options and len(self.buttons) == len(names) + len(extra):
            return
        keep = self.value()
        for b in self.buttons.values():
            self.group.removeButton(b)
        clear_layout(self.grid)  # out of the widget tree at once (a later findChild must not see them)
        self.buttons = {}
        self.options = names
        items = [(n, n, f"{self.prefix}_{i}") for i, n in enumerate(names)]
        items += [(key, text, f"{self.prefix}_{key}") for key, text in extra]
        for i, (key, text, obj) in enumerate(items):
            b = button("check", text)
            b.setCheckable(True)
            b.setObjectName(obj)
            b.clicked.connect(lambda _=False, k=key: self.chosen.emit(k))
            self.group.addButton(b)
            self.grid.addWidget(b, i // self.columns, i % self.columns)
            self.buttons[key] = b
        if keep in self.buttons:
            self.buttons[keep].setChecked(True)

    def set_text(self, key: str, text: str) -> None:
        if key in self.buttons:
            self.buttons[key].setText(text)

    def value(self) -> str:
        return next((k for k, b in self.buttons.items() if b.isChecked()), "")

    def select(self, key: str) -> None:
        if key in self.buttons:
            self.buttons[key].setChecked(True)

    def clear(self) -> None:
        self.group.setExclusive(False)
        for b in self.buttons.values():
            b.setChecked(False)
        self.group.setExclusive(True)


class AddressForm(QWidget):
    """The address picked from Haikou's divisions: district, then street or town, then community
    or village, each a tap; only the house number and room are typed. A community missing from
    the list ("Not listed") and a configured city or county without division data are typed."""

    edited = Signal()
    OTHER = "other"

    def __init__(self, screen: Screen, prefix: str = "address") -> None:
        super().__init__()
        self.screen = screen
        self.policy = screen.journey.change_policy
        self.divisions = haikou()
        lay = vbox(self, spacing=12)
        # Once the place is chosen the lists fold into one line ("龙华区 金贸街道 玉沙社区  Change"),
        # so the field for the house number sits high on the screen, above the keyboard.
        folded = QHBoxLayout()
        self.summary = label("value")
        self.summary.setObjectName(f"{prefix}Place")
        folded.addWidget(self.summary, 1)
        self.reopen = button("link")
        self.reopen.setObjectName(f"{prefix}_reopen")
        self.reopen.clicked.connect(self._unfold)
        folded.addWidget(self.reopen)
        lay.addLayout(folded)
        self.folded = False
        self.district_label = label("label")
        lay.addWidget(self.district_label)
        self.district = ChoiceGrid(f"{prefix}_district", columns=4)
        self.district.set_options(districts(self.policy))
        self.district.chosen.connect(self._district_chosen)
        lay.addWidget(self.district)
        self.captions: dict[str, QLabel] = {}
        self.fields: dict[str, QLineEdit] = {}
        self.street = ChoiceGrid(f"{prefix}_street", columns=4)
        self.street.chosen.connect(self._street_chosen)
        self.community = ChoiceGrid(f"{prefix}_community", columns=3)
        self.community.chosen.connect(self._community_chosen)
        for key, grid in (("street", self.street), ("community", self.community), ("detail", None)):
            cap = label("label")
            lay.addWidget(cap)
            self.captions[key] = cap
            if grid is not None:
                lay.addWidget(grid)
            f = text_field(f"{prefix}_{key}", 80)
            f.textChanged.connect(lambda _t: self.edited.emit())
            lay.addWidget(f)
            self.fields[key] = f
        self.preview = label("value")
        self.preview.setObjectName(f"{prefix}Preview")
        lay.addWidget(self.preview)
        self.error = label("error")
        lay.addWidget(self.error)
        self._show()

    # --- choices ---
    def _district_chosen(self, _name: str) -> None:
        self.street.clear()
        self.community.clear()
        self.fields["street"].clear()
        self.fields["community"].clear()
        self._changed()

    def _street_chosen(self, name: str) -> None:
        self.community.clear()
        self.fields["community"].clear()
        # No communities listed for this street: the place is chosen; the community is typed.
        self.folded = not self.divisions.communities(self.district.value(), name)
        self._changed()

    def _community_chosen(self, _key: str) -> None:
        self.folded = True  # a listed one, or "Not listed": then it is typed under the folded line
        self._changed()

    def _unfold(self) -> None:
        self.folded = False
        self._changed()

    def _changed(self) -> None:
        self._show()
        self.edited.emit()

    def _has_data(self) -> bool:
        return self.divisions.district(self.district.value()) is not None

    def _show(self) -> None:
        """Show each level once the one above it is chosen; lists where there are data, else a field."""
        district = self.district.value()
        listed = self._has_data()
        self.street.set_options(self.divisions.streets(district) if listed else ())
        street = self.street.value() if listed else ""
        communities = self.divisions.communities(district, street) if street else ()
        other = QCoreApplication.translate("AddressForm", "Not listed: type it")
        self.community.set_options(communities, ((self.OTHER, other),) if communities else ())
        self.community.set_text(self.OTHER, other)
        typing_community = bool(district) and (not listed or (bool(street) and (not communities or self.community.value() == self.OTHER)))
        folded = self.folded and listed and bool(street)
        self.summary.setVisible(folded)
        self.reopen.setVisible(folded)
        if folded:
            chosen = self.community.value()
            self.summary.setText(" ".join(x for x in (district, street, "" if chosen == self.OTHER else chosen) if x))
        self.district_label.setVisible(not folded)
        self.district.setVisible(not folded)
        self.captions["street"].setVisible(bool(district) and not folded)
        self.street.setVisible(listed and not folded)
        self.fields["street"].setVisible(bool(district) and not listed)
        self.captions["community"].setVisible(typing_community or (bool(communities) and not folded))
        self.community.setVisible(bool(communities) and not folded)
        self.fields["community"].setVisible(typing_community)
        self.captions["detail"].setVisible(bool(district))
        self.fields["detail"].setVisible(bool(district))

    # --- values ---
    def clear(self) -> None:
        for f in self.fields.values():
            f.clear()
        for g in (self.district, self.street, self.community):
            g.clear()
        self.folded = False
        self._show()

    def parts(self) -> AddressParts:
        listed = self._has_data()
        street = self.street.value() if listed else normalise_text(self.fields["street"].text())
        community = self.community.value()
        if not community or community == self.OTHER:
            community = normalise_text(self.fields["community"].text())
        return AddressParts(
            district=self.district.value(),
            street=street,
            community=community,
            detail=normalise_text(self.fields["detail"].text()),
        )

    def valid(self) -> bool:
        p = self.parts()
        if self._has_data() and not p.street:  # a Haikou address has a street or town
            return False
        return p.problem(self.policy) is None

    def full(self) -> str:
        return self.parts().full(self.policy)

    def retranslate(self) -> None:
        t = self.screen
        self.district_label.setText(QCoreApplication.translate("AddressForm", "District"))
        self.captions["street"].setText(QCoreApplication.translate("AddressForm", "Street or town (街道 / 镇)"))
        self.captions["community"].setText(QCoreApplication.translate("AddressForm", "Community or village (社区 / 村)"))
        self.captions["detail"].setText(QCoreApplication.translate("AddressForm", "Road, house number and room"))
        self.reopen.setText(QCoreApplication.translate("AddressForm", "Change"))
        self._show()
        p = self.parts()
        self.preview.setText(p.full(self.policy) if p.district else "")
        problem = p.problem(self.policy) if (p.district and p.detail) else None
        self.error.setText(problem_text(t, problem, ADDRESS_LEN))


class AddressScreen(Screen):
    """The new residence address."""

    step = Step.ADDRESS
    needs_keyboard = True

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=16)
        self.heading = label("heading")
        lay.addWidget(self.heading)
        self.form = AddressForm(self)
        self.form.edited.connect(self._edited)
        lay.addWidget(self.form)
        lay.addStretch(1)

    def wipe_view(self) -> None:
        self.form.clear()

    def _edited(self) -> None:
        self.retranslate()
        self.changed.emit()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Your new address"))
        self.form.retranslate()

    def primary_text(self) -> str:
        return self.tr("Continue")

    def primary_enabled(self) -> bool:
        return self.form.valid()

    def activate_primary(self) -> None:
        if self.form.valid():
            self.journey.changes.set_value(ChangeField.RESIDENCE_ADDRESS, self.form.full())


class OrganisationScreen(Screen):
    """A new employer or school: free text, checked for length and characters."""

    field_name: ChangeField
    needs_keyboard = True

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=20)
        self.heading = label("heading")
        self.hint = label("lead")
        lay.addWidget(self.heading)
        lay.addWidget(self.hint)
        self.field = text_field(f"{self.field_name.value}_name", ORGANISATION_LEN[1])
        self.field.textChanged.connect(self._edited)
        lay.addWidget(self.field)
        self.error = label("error")
        lay.addWidget(self.error)
        lay.addStretch(1)

    def on_enter(self) -> None:
        app = self.session.application
        current = (app.changes or {}).get(self.field_name.value) if app else None
        if current and not self.field.text():
            self.field.setText(current)
        super().on_enter()

    def wipe_view(self) -> None:
        self.field.clear()

    def value(self) -> str:
        return normalise_text(self.field.text())

    def _edited(self, _text: str) -> None:
        self.retranslate()
        self.changed.emit()

    texts: tuple[str, str]  # the heading and the hint, translated in the subclass's context

    def retranslate(self) -> None:
        heading, hint = self.texts
        context = type(self).__name__
        self.heading.setText(QCoreApplication.translate(context, heading))
        self.hint.setText(QCoreApplication.translate(context, hint))
        v = self.value()
        self.error.setText(problem_text(self, check_text(v, ORGANISATION_LEN), ORGANISATION_LEN) if v else "")

    def primary_text(self) -> str:
        return self.tr("Continue")

    def primary_enabled(self) -> bool:
        return check_text(self.value(), ORGANISATION_LEN) is None

    def activate_primary(self) -> None:
        if self.primary_enabled():
            self.journey.changes.set_value(self.field_name, self.value())


class EmployerScreen(OrganisationScreen):
    step = Step.EMPLOYER
    field_name = ChangeField.EMPLOYER
    texts = (
        QT_TRANSLATE_NOOP("EmployerScreen", "Your new employer"),
        QT_TRANSLATE_NOOP("EmployerScreen", "The full name, as on your contract or the employer's letter."),
    )


class SchoolScreen(OrganisationScreen):
    step = Step.SCHOOL
    field_name = ChangeField.SCHOOL
    texts = (
        QT_TRANSLATE_NOOP("SchoolScreen", "Your new school"),
        QT_TRANSLATE_NOOP("SchoolScreen", "The full name, as on your student card."),
    )


class ChangeDateScreen(Screen):
    step = Step.CHANGE_DATE

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=20)
        self.heading = label("heading")
        self.hint = label("lead")
        lay.addWidget(self.heading)
        lay.addWidget(self.hint)
        self.year = Stepper("year", lambda d: self._move(years=d))
        self.month = Stepper("month", lambda d: self._move(months=d))
        self.day = Stepper("day", lambda d: self._move(days=d))
        for s in (self.year, self.month, self.day):
            lay.addWidget(s)
        self.when = label("value")
        self.when.setObjectName("changeDateText")
        lay.addWidget(self.when)
        self.notice = Notice("warning")
        self.notice.setObjectName("lateChange")
        lay.addWidget(self.notice)
        lay.addStretch(1)
        self.date = dt.date.today()

    def on_enter(self) -> None:
        self.date = self.session.change_date or today(self.journey.clock)
        super().on_enter()

    def _move(self, years: int = 0, months: int = 0, days: int = 0) -> None:
        d = self.date
        if days:
            d = d + dt.timedelta(days=days)
        else:
            y, m = d.year + years, d.month + months
            y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
            d = dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))
        self.date = min(d, today(self.journey.clock))  # never in the future
        self.retranslate()
        self.changed.emit()

    def retranslate(self) -> None:
        zh = self.zh
        self.heading.setText(self.tr("When did it change?"))
        self.hint.setText(self.tr("For example the day you moved, or your first day at the new job."))
        self.year.caption.setText(self.tr("Year"))
        self.month.caption.setText(self.tr("Month"))
        self.day.caption.setText(self.tr("Day"))
        self.year.value.setText(str(self.date.year))
        self.month.value.setText(str(self.date.month))
        self.day.value.setText(str(self.date.day))
        now = today(self.journey.clock)
        self.day.plus.setEnabled(self.date < now)
        self.month.plus.setEnabled(self.date < now)
        self.year.plus.setEnabled(self.date < now)
        self.when.setText(fmt.date(self.date, zh))
        timing = change_timing(self.date, now, self.journey.change_policy)
        self.notice.setVisible(timing.late)
        if timing.late:
            self.notice.set_text(
                self.tr("This is more than {n} days ago").replace("{n}", str(self.journey.change_policy.report_within_days)),
                self.tr("Changes should be reported within {n} days. You can still report it today; the police may ask why it is late.")
                .replace("{n}", str(self.journey.change_policy.report_within_days)),
            )

    def primary_text(self) -> str:
        return self.tr("Continue")

    def activate_primary(self) -> None:
        self.journey.changes.set_date(self.date)
