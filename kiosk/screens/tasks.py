"""Running blocking work off the UI thread; results come back through Qt signals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class Task(QObject):
    """One blocking call on the thread pool. ``done``/``failed`` are delivered on the UI thread."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)

    _alive: set[Task] = set()  # keeps running tasks referenced until they report

    def __init__(self, fn: Callable[..., Any], *args: Any, with_progress: bool = False) -> None:
        super().__init__()
        self._fn = fn
        self._args = args
        self._with_progress = with_progress
        self._cancelled = False

    def start(
        self,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Task:
        # Connected to slots of this QObject (which lives on the UI thread), so the
        # callbacks run on the UI thread whatever thread emits.
        self._on_done, self._on_error, self._on_progress = on_done, on_error, on_progress
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_error)
        self.progress.connect(self._deliver_progress)
        Task._alive.add(self)
        QThreadPool.globalInstance().start(_Runner(self))
        return self

    def cancel(self) -> None:
        """The result will be ignored (the work itself runs to its end)."""
        self._cancelled = True

    @Slot(object)
    def _deliver_done(self, boxed: object) -> None:
        Task._alive.discard(self)
        (result,) = boxed  # type: ignore[misc]
        if not self._cancelled and self._on_done:
            self._on_done(result)

    @Slot(object)
    def _deliver_error(self, error: object) -> None:
        Task._alive.discard(self)
        if not self._cancelled and self._on_error:
            self._on_error(error)  # type: ignore[arg-type]
        elif not self._on_error:
            log.error("background task failed: %s", type(error).__name__)

    @Slot(int, int)
    def _deliver_progress(self, a: int, b: int) -> None:
        if not self._cancelled and self._on_progress:
            self._on_progress(a, b)

    def _run(self) -> None:
        try:
            if self._with_progress:
                result = self._fn(*self._args, lambda a, b: self.progress.emit(a, b))
            else:
                result = self._fn(*self._args)
        except BaseException as e:  # noqa: BLE001 - reported to the UI as a value
            if not isinstance(e, Exception):
                raise
            self.failed.emit(e)
        else:
            # Boxed: a bare None sent through a queued signal upsets PySide's reference
            # counting of None (seen as "Fatal Python error: none_dealloc" after many runs).
            self.done.emit((result,))


class _Runner(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._run()


def run(fn: Callable[..., Any], *args: Any, on_done=None, on_error=None, on_progress=None) -> Task:
    return Task(fn, *args, with_progress=on_progress is not None).start(on_done, on_error, on_progress)
