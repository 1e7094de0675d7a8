"""The scripted tour, as `make run` uses it without a display: a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from tests.support.paths import ROOT


def run_kiosk(args: list[str], data_dir: Path, display: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["KIOSK_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def test_kiosk_run_without_a_display_stops_with_a_message_and_runs_no_tour(tmp_path, sim):
    """Issue 17, case 8: `kiosk run` without a display ran the demo tour against whatever service
    was configured (a renewal for the demo resident under a real kiosk id) and exited 0."""
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\nmode = "demo"\nid = "HK-KIOSK-0042"\n[backend]\nurl = "{sim.url}"\ntoken = "t"\n', encoding="utf-8"
    )
    r = run_kiosk(["--config", str(config), "run"], tmp_path / "data")
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0] and "kiosk tour" in lines[0], r.stderr
    assert sim.applications() == []
    r = run_kiosk(["run", "--out", str(tmp_path / "out")], tmp_path / "data")  # no tour options either
    assert r.returncode == 2 and "--out" in r.stderr


def test_make_run_without_a_display_runs_the_tour_headless(tmp_path):
    """What `make run` does without a display (scripts/run.sh): the scripted tour into out/."""
    out = tmp_path / "out"
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(KIOSK_DATA_DIR=str(data), OUT=str(out), PY=sys.executable)
    r = subprocess.run(["bash", str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "no display" in r.stderr and "kiosk tour" in r.stderr
    assert str(out) in r.stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["service"] == "renewal"
    assert summary["application_id"].startswith("JZ-")
    assert summary["client_reference"]
    # Issue 13: the renewal in at most 8 taps (7 with the simulated devices), every one listed.
    assert summary["taps"] <= 8 and summary["seconds"] > 0
    taps = summary["tap_list"]
    assert len(taps) == summary["taps"]
    assert [t["screen"] for t in taps] == ["attract", "consent", "identity", "category", "capture", "phone", "review"]
    assert taps[0]["tapped"].startswith("tile_renewal") and taps[3]["tapped"].startswith("category_employment_contract")
    assert all(t["tapped"].startswith("primaryButton") for t in (taps[1], taps[2], taps[4], taps[5], taps[6]))
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) == len(summary["screens"]) >= 9
    assert all(Image.open(p).size == (1080, 1920) for p in pngs)
    receipt = (out / "receipt.txt").read_text(encoding="utf-8")
    assert summary["application_id"] in receipt
    assert "460108********0310" in receipt and "460108198706120310" not in receipt

    # Logs carry no personal data.
    logs = "".join(p.read_text(encoding="utf-8") for p in (data / "logs").glob("*.log*"))
    assert "application submitted" in logs
    for secret in ("460108198706120310", "林海", "13812345678"):
        assert secret not in logs
        assert secret not in r.stderr


def test_tour_in_english_landscape(tmp_path):
    out = tmp_path / "en"
    r = run_kiosk(["tour", "--out", str(out), "--lang", "en", "--size", "1920x1080"], tmp_path / "d")
    assert r.returncode == 0, r.stderr[-2000:]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["lang"] == "en" and summary["size"] == "1920x1080"
    assert all(Image.open(p).size == (1920, 1080) for p in out.glob("*.png"))
    receipt = (out / "receipt.txt").read_text(encoding="utf-8")
    assert "Application" in receipt or "application" in receipt


def test_tour_of_a_resident_with_no_number_on_file_types_it(tmp_path):
    """The renewal's second path: 王芳 (late, no number on file) reads the late-renewal screen and
    types her number on the keypad, which the service receives as the applicant's phone."""
    out = tmp_path / "o"
    r = run_kiosk(["tour", "--out", str(out), "--card", str(ROOT / "assets/cards/wangfang.json")], tmp_path / "d")
    assert r.returncode == 0, r.stderr[-2000:]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    screens = [t["screen"] for t in summary["tap_list"]]
    assert screens.count("eligibility") == 1  # "I understand" on the late-renewal screen
    keys = [t["tapped"] for t in summary["tap_list"] if t["screen"] == "phone"]
    assert [k.split(" ")[0] for k in keys[:11]] == [f"key_{d}" for d in "13812345678"]
    assert summary["taps"] == len(summary["tap_list"]) == 7 + 1 + 11


def test_change_of_details_tour_in_at_most_30_taps(tmp_path):
    """District, street and community are picked from Haikou's divisions; only the road,
    number and room are typed."""
    out = tmp_path / "o"
    r = run_kiosk(["tour", "--service", "info_change", "--out", str(out)], tmp_path / "d")
    assert r.returncode == 0, r.stderr[-2000:]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["taps"] == len(summary["tap_list"]) <= 30
    address = [t["tapped"] for t in summary["tap_list"] if t["screen"] == "address"]
    assert [a.split(" ")[0] for a in address[:3]] == ["address_district_1", "address_street_2", "address_community_0"]


def test_tour_with_a_card_that_cannot_renew_fails_clearly(tmp_path):
    r = run_kiosk(["tour", "--out", str(tmp_path / "o"), "--card", str(ROOT / "assets/cards/zhangwei.json")], tmp_path / "d")
    assert r.returncode == 1
    assert "cannot renew" in r.stderr


def start_simulator(tmp_path, *extra: str):
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sim", "--port", str(port), "--token", "tour-token:HK-KIOSK-0042", *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}"


def test_tour_against_a_contract_1_0_service_falls_back_to_the_keypad(tmp_path):
    """A 1.0 service sends no ``phone_on_file_masked``: the kiosk shows the keypad, sends the typed
    ``phone`` (a 1.0 service refuses ``use_phone_on_file``) and the renewal completes."""
    server, url = start_simulator(tmp_path, "--contract", "1.0")
    try:
        out = tmp_path / "o"
        r = run_kiosk(
            ["tour", "--out", str(out), "--backend", url, "--token", "tour-token",
             "--kiosk-id", "HK-KIOSK-0042", "--card", str(ROOT / "assets/cards/linhai.json")],
            tmp_path / "d",
        )
        assert r.returncode == 0, r.stderr[-2000:]
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert summary["application_id"].startswith("JZ-")
        phone_taps = [t["tapped"].split(" ")[0] for t in summary["tap_list"] if t["screen"] == "phone"]
        assert phone_taps == [f"key_{d}" for d in "13812345678"] + ["primaryButton"]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_tour_against_a_separate_review_service(tmp_path):
    """`kiosk tour --backend URL --token T --kiosk-id ID --card CARD.json` with the service in
    another process, as it would be against any server that honours the contract."""
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sim", "--port", str(port), "--token", "tour-token:HK-KIOSK-0042"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        out = tmp_path / "o"
        r = run_kiosk(
            ["tour", "--out", str(out), "--backend", f"http://127.0.0.1:{port}", "--token", "tour-token",
             "--kiosk-id", "HK-KIOSK-0042", "--card", str(ROOT / "assets/cards/linhai.json")],
            tmp_path / "d",
        )
        assert r.returncode == 0, r.stderr[-2000:]
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert summary["application_id"].startswith("JZ-")
    finally:
        server.terminate()
        server.wait(timeout=10)
