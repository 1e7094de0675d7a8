"""`kiosk doctor` (issue 15): one line per check, OK or what is wrong and what to do; exit 0 only
when all pass. Against the simulated configuration, bad configurations, and the real parts the
suite has: pcscd with vpcd, the sdtapi stand-in library, a video file for the camera, the
capture printer on loopback and the review-service simulator on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.cli import main
from kiosk.devices.printer.capture import CapturePrinter
from kiosk.doctor import check_page_network
from kiosk.domain.maintenance import hash_pin
from kiosk.simulator import DEMO_KIOSK_ID, DEMO_TOKEN
from tests.support.pcsc_env import VPCD_READERS, PcscDaemon
from tests.support.sdtapi import StubBuildError, build_stub


def write(tmp_path: Path, sections: dict, name: str = "kiosk.toml") -> Path:
    text = "".join(f"[{s}]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in vals.items()) for s, vals in sections.items())
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def demo(**sections: dict) -> dict:
    out = {"kiosk": {"mode": "demo"}}
    for name, values in sections.items():
        out[name] = {**out.get(name, {}), **values}
    return out


def doctor(capsys, tmp_path: Path, sections: dict, *extra: str) -> tuple[int, dict[str, list[str]], str]:
    """Run `kiosk doctor --config FILE`; the exit code, the lines by check name, and stdout."""
    code = main(["doctor", "--config", str(write(tmp_path, sections)), *extra])
    out = capsys.readouterr().out
    lines: dict[str, list[str]] = {}
    for line in out.splitlines()[1:-1]:
        status, name = line[:4].strip(), line[6:18].strip()
        lines.setdefault(name, []).append(f"{status} {line[20:]}")
    return code, lines, out


def only(lines: dict[str, list[str]], name: str) -> str:
    assert len(lines[name]) == 1, lines[name]
    return lines[name][0]


def write_clip(path: Path, n: int = 30) -> Path:
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (320, 240))
    assert w.isOpened()
    for _ in range(n):
        w.write(np.full((240, 320, 3), 90, np.uint8))
    w.release()
    return path


def test_the_simulated_configuration_passes(capsys, tmp_path):
    code, lines, out = doctor(capsys, tmp_path, demo())
    assert code == 0, out
    assert set(lines) == {"mode", "data dir", "card reader", "camera", "printer", "page network", "service"}
    assert only(lines, "page network") == "OK docnet.onnx loads (OpenCV DNN)"
    assert all(v[0].startswith("OK ") for v in lines.values()), out
    assert out.rstrip().endswith("kiosk doctor: all checks passed")
    assert "production mode would refuse 6" in only(lines, "mode")


def test_production_lists_every_demo_setting_as_its_own_failure(capsys, tmp_path):
    code, lines, out = doctor(capsys, tmp_path, {"kiosk": {"mode": "production"}})
    assert code == 1
    mode = lines["mode"]
    assert len(mode) == 6 and all(line.startswith("FAIL ") for line in mode)
    for needle in ("[maintenance] pin_hash", "[backend] token", "[backend] url", "[devices] card_reader",
                   "[devices] camera", "[devices] printer"):
        assert sum(needle in line for line in mode) == 1, (needle, mode)
    assert out.rstrip().endswith("check(s) failed")


def test_data_dir_that_cannot_be_made(capsys, tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "a-file" / "data"))
    code, lines, _ = doctor(capsys, tmp_path, demo())
    assert code == 1
    line = only(lines, "data dir")
    assert line.startswith("FAIL ") and "a-file is a file" in line


def test_data_dir_without_free_space(capsys, tmp_path):
    code, lines, _ = doctor(capsys, tmp_path, demo(), "--min-free-mb", "1000000000")
    assert code == 1
    assert "at least 1000000000 MiB needed" in only(lines, "data dir")
    code, lines, _ = doctor(capsys, tmp_path, demo(), "--min-free-mb", "1")
    assert code == 0 and only(lines, "data dir").startswith("OK ")


# --- the card reader ---------------------------------------------------------------------


def test_pcsc_reader_found_through_real_pcscd(capsys, tmp_path, pcscd: PcscDaemon):
    code, lines, out = doctor(capsys, tmp_path, demo(devices={"card_reader": "pcsc", "reader_name": "Virtual PCD"}))
    assert code == 0, out
    assert only(lines, "card reader") == f"OK PC/SC reader {VPCD_READERS[0]!r}"


def test_pcsc_reader_name_that_matches_nothing(capsys, tmp_path, pcscd: PcscDaemon):
    code, lines, _ = doctor(capsys, tmp_path, demo(devices={"card_reader": "pcsc", "reader_name": "ACS ACR39U"}))
    assert code == 1
    line = only(lines, "card reader")
    assert line.startswith("FAIL no reader's name contains 'ACS ACR39U'") and VPCD_READERS[0] in line
    assert "reader_name" in line


def test_pcsc_without_pcscd(capsys, tmp_path, pcscd: PcscDaemon):
    pcscd._terminate()  # noqa: SLF001 - the daemon must be down for this check
    try:
        code, lines, _ = doctor(capsys, tmp_path, demo(devices={"card_reader": "pcsc"}))
    finally:
        pcscd.restart()
    assert code == 1
    line = only(lines, "card reader")
    assert line.startswith("FAIL the PC/SC service (pcscd) does not answer") and "systemctl" in line


@pytest.fixture(scope="module")
def sdtapi(tmp_path_factory) -> Path:
    try:
        return build_stub(tmp_path_factory.mktemp("sdtapi"))["full"]
    except StubBuildError as exc:
        pytest.fail(str(exc), pytrace=False)


def test_sdk_reader_through_the_stand_in_library(capsys, tmp_path, sdtapi):
    code, lines, out = doctor(capsys, tmp_path, demo(devices={"card_reader": "sdk", "sdk_library": str(sdtapi)}))
    assert code == 0, out
    assert only(lines, "card reader") == f"OK vendor library {sdtapi} opens port 1001"


def test_sdk_library_that_is_not_a_library(capsys, tmp_path):
    junk = tmp_path / "libsdtapi.so"
    junk.write_bytes(b"not an ELF file")
    code, lines, _ = doctor(capsys, tmp_path, demo(devices={"card_reader": "sdk", "sdk_library": str(junk)}))
    assert code == 1
    line = only(lines, "card reader")
    assert line.startswith("FAIL ") and str(junk) in line and "sdk_library" in line


# --- the page network ----------------------------------------------------------------------


@pytest.mark.parametrize("content", [None, b"\x08\x07garbage" * 100])
def test_page_network_missing_or_damaged(tmp_path, content):
    path = tmp_path / "docnet.onnx"
    if content is not None:
        path.write_bytes(content)
    check = check_page_network(path)
    assert not check.ok
    assert check.text.startswith(f"{path}: {'missing' if content is None else 'unreadable'};")
    assert "reinstall the kiosk package" in check.text and "\n" not in check.text


# --- the camera ----------------------------------------------------------------------------


def test_camera_that_gives_frames(capsys, tmp_path):
    clip = write_clip(tmp_path / "clip.avi")
    code, lines, out = doctor(capsys, tmp_path, demo(devices={"camera": "opencv", "camera_source": str(clip)}))
    assert code == 0, out
    assert only(lines, "camera") == f"OK {clip} gives frames (320x240)"


def test_camera_that_does_not_open(capsys, tmp_path):
    code, lines, _ = doctor(capsys, tmp_path, demo(devices={"camera": "opencv", "camera_source": "/dev/video-none"}))
    assert code == 1
    line = only(lines, "camera")
    assert line.startswith("FAIL no frame from /dev/video-none") and "camera_source" in line


# --- the printer --------------------------------------------------------------------------


def test_capture_printer_reachable(capsys, tmp_path):
    with CapturePrinter(width=32) as cap:
        code, lines, out = doctor(capsys, tmp_path, demo(devices={"printer": cap.uri}))
        assert cap.jobs() == []  # a status query, no paper used
    assert code == 0, out
    assert only(lines, "printer").startswith(f"OK {cap.uri}: ok")


def test_capture_printer_out_of_paper(capsys, tmp_path):
    with CapturePrinter(width=32) as cap:
        cap.state = "paper_out"
        code, lines, _ = doctor(capsys, tmp_path, demo(devices={"printer": cap.uri}))
    assert code == 1
    line = only(lines, "printer")
    assert line.startswith(f"FAIL {cap.uri}: paper_out") and "print-test" in line


def test_printer_not_reachable(capsys, tmp_path):
    code, lines, _ = doctor(capsys, tmp_path, demo(devices={"printer": "network://127.0.0.1:1"}))
    assert code == 1
    assert only(lines, "printer").startswith("FAIL network://127.0.0.1:1: offline")


# --- the review service -------------------------------------------------------------------


def test_service_accepts_the_heartbeat(capsys, tmp_path, sim):
    code, lines, out = doctor(capsys, tmp_path, demo(backend={"url": sim.url, "token": DEMO_TOKEN}, kiosk={"id": DEMO_KIOSK_ID}))
    assert code == 0, out
    assert only(lines, "service") == f"OK {sim.url}: heartbeat accepted, no TLS"


def test_service_refuses_the_token(capsys, tmp_path, sim):
    sections = demo(backend={"url": sim.url, "token": "not-the-token"}, kiosk={"id": DEMO_KIOSK_ID})
    code, lines, _ = doctor(capsys, tmp_path, sections)
    assert code == 1
    line = only(lines, "service")
    assert line.startswith(f"FAIL {sim.url}: refused the kiosk (401") and "[backend] token" in line


def test_service_not_reachable(capsys, tmp_path):
    code, lines, _ = doctor(capsys, tmp_path, demo(backend={"url": "http://127.0.0.1:1", "timeout_s": 2}))
    assert code == 1
    assert only(lines, "service").startswith("FAIL http://127.0.0.1:1: not reachable (ConnectionError)")


def test_production_with_real_parts_passes(capsys, tmp_path, pcscd: PcscDaemon):
    """Everything a hall's kiosk names, each a real part here; only the service's TLS is missing,
    and that is what production refuses."""
    clip = write_clip(tmp_path / "clip.avi")
    with CapturePrinter(width=32) as cap:
        sections = {
            "kiosk": {"mode": "production", "id": "HK-KIOSK-0042"},
            "backend": {"url": "https://127.0.0.1:1", "token": "issued", "timeout_s": 2},
            "devices": {"card_reader": "pcsc", "camera": "opencv", "camera_source": str(clip), "printer": cap.uri},
            "maintenance": {"pin_hash": hash_pin("97531")},
        }
        code, lines, out = doctor(capsys, tmp_path, sections)
    assert code == 1
    assert only(lines, "mode") == "OK production: no demo setting"
    for name in ("data dir", "card reader", "camera", "printer"):
        assert only(lines, name).startswith("OK "), out
    assert only(lines, "service").startswith("FAIL https://127.0.0.1:1: not reachable")


def test_a_configuration_that_cannot_be_loaded_is_one_line_exit_2(tmp_path, capsys):
    f = tmp_path / "k.toml"
    f.write_text("[devices]\ncard_reader = 'magic'\n", encoding="utf-8")
    assert main(["doctor", "--config", str(f)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "card_reader must be sim, pcsc or sdk" in captured.err


# --- TLS: the simulator behind a self-signed certificate -----------------------------------


def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "review.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "service.pem", tmp_path / "service.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def tls_service(tmp_path):
    """The review-service simulator on loopback behind TLS, knowing one production token."""
    import ssl

    from kiosk.simulator import ReviewSimulator

    cert, key = self_signed(tmp_path)
    s = ReviewSimulator(tokens={"issued-to-0042": "HK-KIOSK-0042"})
    url = s.start("127.0.0.1", 0)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server = s._server  # noqa: SLF001 - the simulator speaks plain HTTP; the test puts TLS in front
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    yield url.replace("http://", "https://"), cert
    s.stop()


def production_service(url: str, **backend: str) -> dict:
    return {"kiosk": {"mode": "production", "id": "HK-KIOSK-0042"},
            "backend": {"url": url, "token": "issued-to-0042", "timeout_s": 5, **backend}}


def test_service_over_tls_with_its_ca(capsys, tmp_path, tls_service, monkeypatch):
    url, cert = tls_service
    # A CA bundle in the environment must not replace [backend] ca_bundle (psf/requests#3829).
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    code, lines, _ = doctor(capsys, tmp_path, production_service(url, ca_bundle=str(cert)))
    assert code == 1  # the simulated devices fail the mode check
    assert only(lines, "service") == f"OK {url}: heartbeat accepted, TLS verified"


def test_service_certificate_not_trusted(capsys, tmp_path, tls_service):
    url, _ = tls_service
    code, lines, _ = doctor(capsys, tmp_path, production_service(url))
    assert code == 1
    line = only(lines, "service")
    assert line.startswith(f"FAIL {url}: TLS failed (SSLError)") and "[backend] ca_bundle" in line
