"""Speech through espeak-ng (Debian package ``espeak-ng``): Mandarin (``cmn``) and English,
offline, straight to the sound card, or into a WAV file (``synthesize``).

Why not Qt's QTextToSpeech: on Debian its only engine is ``speechd`` (speech-dispatcher, which
itself runs espeak-ng). It needs a speech-dispatcher daemon in the kiosk user's session and
cannot synthesize into a file or buffer (its capabilities are Speak and PauseResume), so what
it says could never be checked by a test. Running espeak-ng directly gives the same voice,
no daemon, and the exact same command writes a file in the test.

``say`` hands the text to one worker thread and returns; a newer text replaces one not yet
started and interrupts the one being spoken. A missing program or a failing sound card is
logged once and reported by ``health()``; the kiosk carries on without sound.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from pathlib import Path

from kiosk.devices.base import DeviceStatus
from kiosk.devices.speech.base import Speaker

log = logging.getLogger(__name__)

VOICES = {"zh": "cmn", "en": "en"}
WORDS_PER_MINUTE = 150  # a little slower than espeak-ng's 175: clearer in a noisy hall


class EspeakSpeaker(Speaker):
    def __init__(self, volume: int = 80, program: str = "espeak-ng") -> None:
        super().__init__(volume)
        self.program = shutil.which(program)
        if self.program is None:
            log.error("speech: %s is not installed; the kiosk is silent", program)
        self._cond = threading.Condition()
        self._pending: tuple[str, str, int] | None = None
        self._proc: subprocess.Popen | None = None
        self._closed = False
        self._failed = False
        self._thread: threading.Thread | None = None

    # --- Speaker ---
    def say(self, text: str, lang: str) -> None:
        if self.program is None or not text.strip() or self.volume == 0:
            return
        with self._cond:
            if self._closed:
                return
            self._pending = (text, lang, self.volume)
            self._kill()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="speech", daemon=True)
                self._thread.start()
            self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._pending = None
            self._kill()

    def health(self) -> DeviceStatus:
        if self.program is None:
            return DeviceStatus.OFFLINE
        return DeviceStatus.DEGRADED if self._failed else DeviceStatus.OK

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._pending = None
            self._kill()
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout=2)

    # --- files (tests, checks) ---
    def synthesize(self, text: str, lang: str, path: Path) -> bool:
        """*Blocking.* Write ``text`` spoken as a WAV file; False if espeak-ng failed."""
        if self.program is None:
            return False
        try:
            r = subprocess.run(
                self.command(lang, self.volume) + ["-w", str(path)],
                input=text.encode("utf-8"), capture_output=True, timeout=60, check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as e:
            log.error("speech: espeak-ng failed: %s", type(e).__name__)
            return False
        return r.returncode == 0 and path.is_file()

    def command(self, lang: str, volume: int) -> list[str]:
        voice = VOICES.get(lang, VOICES["zh"])
        amplitude = str(min(200, volume * 2))  # espeak-ng: 0..200, 100 is its default
        return [str(self.program), "-v", voice, "-a", amplitude, "-s", str(WORDS_PER_MINUTE), "--stdin"]

    # --- internals ---
    def _kill(self) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                text, lang, volume = self._pending  # type: ignore[misc]
                self._pending = None
                try:
                    self._proc = subprocess.Popen(
                        self.command(lang, volume), stdin=subprocess.PIPE,
                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                    )
                except OSError as e:
                    self._report(f"cannot start espeak-ng: {type(e).__name__}")
                    continue
                proc = self._proc
            try:
                _, err = proc.communicate(text.encode("utf-8"), timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
                continue
            if proc.returncode not in (0, -15) and not self._failed:  # -15: interrupted by a newer text
                self._report(f"espeak-ng exited {proc.returncode}: {err.decode('utf-8', 'replace').strip()[:200]}")

    def _report(self, what: str) -> None:
        self._failed = True
        log.error("speech: %s", what)
