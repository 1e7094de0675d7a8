"""Speech: every screen of every tour speaks its own heading and prompt (the recording speaker),
errors are spoken, Repeat and the volume work, sounds play, and the real engine (espeak-ng)
speaks Mandarin and English into a non-silent WAV file."""

from __future__ import annotations

import array
import re
import wave

import pytest

from kiosk.config import load
from kiosk.devices.speech.espeak import EspeakSpeaker
from kiosk.screens.voice import join
from kiosk.tour import SERVICES, run_tour
from tests.support.journey_steps import CARDS, to_read_card

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.sim: print job \S+ refused: printer paper_out")  # the states tour
@pytest.mark.parametrize("service", list(SERVICES))
def test_every_screen_of_every_tour_speaks(service, tmp_path):
    cfg = load(None).with_overrides(devices={"auto_capture": False})
    result = run_tour(cfg, tmp_path, service=service)
    spoken = {u["screen"] for u in result.speech}
    missing = [s for s in result.steps if s not in spoken]
    assert not missing, f"screens that said nothing: {missing}"
    for u in result.speech:
        assert u["text"].strip() and CJK.search(u["text"]), u  # Chinese, as the UI
    said = "\n".join(u["text"] for u in result.speech)
    assert "请将身份证放在读卡区" in said
    assert "请取回身份证和全部材料原件" in said
    assert "林海" not in said and "张伟" not in said  # names are shown, never said aloud
    import json

    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["speech"] and {"screen", "text"} <= set(summary["speech"][0])


def test_english_tour_speaks_english(tmp_path):
    result = run_tour(load(None), tmp_path, lang="en", size=(1920, 1080))
    assert result.speech
    for u in result.speech:
        assert not CJK.search(u["text"].replace("林海", "")), u
    assert any("Take your ID card and all your original documents" in u["text"] for u in result.speech)


def test_a_screen_says_its_own_texts_and_repeat_says_them_again(kiosk):
    k, d = kiosk
    d.tap(d.find("tile_renewal"))
    consent = k.window.current_screen()
    expected = join([consent.heading.text(), *(p.text() for p in consent.points)])
    assert k.speaker.spoken[-1].text == expected and k.speaker.spoken[-1].lang == "zh"
    d.tap(d.find("repeatButton"))
    assert k.speaker.spoken[-1].text == expected
    d.tap(d.find("langButton"))  # the language follows the UI: the screen is said again in English
    assert k.speaker.spoken[-1].lang == "en" and "Before we read your ID card" in k.speaker.spoken[-1].text
    d.tap(d.find("repeatButton"))
    assert k.speaker.spoken[-1].lang == "en" and "Before we read your ID card" in k.speaker.spoken[-1].text


def test_a_refused_card_is_spoken_after_the_error_sound(kiosk):
    k, d = kiosk
    played: list[str] = []
    k.window.voice.played.connect(played.append)
    to_read_card(d)
    k.reader.insert(CARDS / "invalid" / "expired.json")
    d.wait(lambda: "这张身份证已过有效期" in k.speaker.texts()[-1], what="the refusal spoken")
    assert "本机无法办理" in k.speaker.texts()[-1]
    assert "expired" not in k.speaker.texts()[-1]  # the code is for staff, on screen only
    assert "error" in played


def test_volume_steps_down_to_off_and_off_is_silent(kiosk):
    k, d = kiosk
    to_read_card(d)
    volumes = []
    for _ in range(3):  # from the configured 80: medium, quiet, off
        d.tap(d.find("volumeButton"))
        volumes.append(k.speaker.volume)
    assert volumes[-1] == 0 and volumes == sorted(volumes, reverse=True)
    assert d.find("volumeButton").text() == "静音"
    n = len(k.speaker.spoken)
    d.tap(d.find("repeatButton"))
    assert len(k.speaker.spoken) == n  # muted: nothing said
    d.tap(d.find("volumeButton"))
    assert k.speaker.volume == 100


def test_card_read_and_page_captured_sounds(kiosk):
    from tests.support.journey_steps import take_pages, to_capture

    k, d = kiosk
    played: list[str] = []
    k.window.voice.played.connect(played.append)
    to_capture(d)
    take_pages(d, 1)
    assert "card" in played and "page" in played


def rms(path) -> tuple[float, float]:
    with wave.open(str(path), "rb") as w:
        assert w.getsampwidth() == 2
        frames = w.readframes(w.getnframes())
        seconds = w.getnframes() / w.getframerate()
    samples = array.array("h", frames)
    return (sum(s * s for s in samples) / max(1, len(samples))) ** 0.5, seconds


@pytest.mark.parametrize(("lang", "text"), [("zh", "请取回身份证和全部材料原件"), ("en", "Please take your ID card.")])
def test_the_real_engine_speaks_into_a_file(tmp_path, lang, text):
    speaker = EspeakSpeaker(volume=80)
    assert speaker.program is not None, "espeak-ng is not installed (scripts/setup.sh installs it)"
    out = tmp_path / f"{lang}.wav"
    assert speaker.synthesize(text, lang, out)
    level, seconds = rms(out)
    assert seconds > 1.0 and level > 500, f"{lang}: {seconds:.2f} s at RMS {level:.0f}"


@pytest.mark.allow_log(r"^kiosk\.devices\.speech\.espeak: speech: \S+ is not installed")
def test_the_real_engine_at_volume_zero_is_silent_and_never_raises():
    speaker = EspeakSpeaker(volume=0)
    speaker.say("不应发声", "zh")  # returns at once, says nothing
    speaker.close()
    missing = EspeakSpeaker(program="no-such-espeak")
    missing.say("x", "zh")
    assert missing.health().value == "offline"
