"""The base of every screen, and what screens get to work with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.flow.steps import Step

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.config import Config
    from kiosk.devices.base import Camera
    from kiosk.flow.journey import Journey
    from kiosk.screens.bridge import CardBridge
    from kiosk.screens.voice import Voice


class Shell(Protocol):
    """What a screen may ask of the window around it (and nothing else of it)."""

    elder: bool  # large-text mode is on

    def toggle_language(self) -> None: ...

    def toggle_text_size(self) -> None: ...


@dataclass
class Context:
    journey: Journey
    cards: CardBridge
    camera: Camera
    config: Config
    shell: Shell | None = None  # the window, set by the window itself
    services: object | None = None  # the Kiosk (app.py): probe(), print_test_page(), flush_outbox()
    voice: Voice | None = None  # speech and sounds (kiosk/screens/voice.py)

    @property
    def lang(self) -> str:
        return self.journey.lang


class Screen(QWidget):
    """A thin view of one step. The frame owns the header and footer; a screen says what
    its primary action is through ``primary_text``/``primary_enabled``/``activate_primary``
    and emits ``changed`` when that changes."""

    step: Step
    changed = Signal()
    needs_keyboard = False  # screens with text fields get the on-screen keyboard
    fills_height = False  # True: the screen uses all the height (else, in portrait, it sits low)

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx

    # --- to override ---
    def retranslate(self) -> None:
        """Set every text for the current language (and the current session data)."""

    def on_enter(self) -> None:
        self.retranslate()

    def on_leave(self) -> None:
        pass

    def primary_text(self) -> str | None:
        return None

    def primary_enabled(self) -> bool:
        return True

    def activate_primary(self) -> None:
        pass

    def back_allowed(self) -> bool:
        return True

    def set_orientation(self, portrait: bool) -> None:
        """Rearrange for a tall or a wide screen (most screens need nothing)."""

    # How many spare parts the screen can fold away when it does not fit (large text in a
    # long language): decoration and what another part already says, never a question, an
    # answer, an action or a warning. The window folds the fewest that make it fit.
    spare_parts = 0

    def fold(self, n: int) -> None:
        """Fold away the first ``n`` spare parts (0: show them all)."""

    def busy(self) -> bool:
        """True while the machine itself is working (the idle timer pauses)."""
        return False

    def spoken_texts(self) -> list[str]:
        """What the screen says when it appears: its own heading, prompt and warnings as shown."""
        from kiosk.screens.voice import screen_texts

        return screen_texts(self)

    def play(self, sound: str) -> None:
        """A short sound (kiosk.screens.voice.SOUNDS)."""
        if self.ctx.voice is not None:
            self.ctx.voice.play(sound)

    # --- helpers ---
    @property
    def journey(self) -> Journey:
        return self.ctx.journey

    @property
    def session(self):  # -> Session
        return self.ctx.journey.session

    @property
    def zh(self) -> bool:
        return self.ctx.journey.lang == "zh"

    def sentences(self, *parts: str) -> str:
        """Sentences run together: no space between Chinese ones, one space in English."""
        return ("" if self.zh else " ").join(p for p in parts if p)

    def pair(self, first: str, second: str) -> str:
        """Two items in a run of text: a Chinese comma in Chinese, ", " in English."""
        return f"{first}，{second}" if self.zh else f"{first}, {second}"

    def wipe_view(self) -> None:
        """Forget anything shown from the session (called when the session ends)."""

    # --- background loading (lookup, query): words on screen while it runs, the error after ---
    loading = False
    error: Exception | None = None
    _task = None

    def start_loading(self, fn) -> None:
        """Run blocking ``fn`` off the UI thread; ``loading``/``error`` say how it went."""
        from kiosk.screens import tasks

        self.loading = True
        self.error = None
        self._task = tasks.run(fn, on_done=self._loaded, on_error=self._load_failed)

    def cancel_loading(self) -> None:
        if self._task is not None:
            self._task.cancel()
        self.loading = False
        self.error = None

    def _loaded(self, _result=None) -> None:
        self.loading = False
        self.retranslate()
        self.changed.emit()

    def _load_failed(self, e: Exception) -> None:
        self.loading = False
        self.error = e
        self.retranslate()
        self.changed.emit()
