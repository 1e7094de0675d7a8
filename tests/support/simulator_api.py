"""The review-service simulator's test helpers: residents of the demo seed, an injectable
clock, a kiosk talking to the simulator over HTTP (``Api``), request bodies and problem checks.
Used by tests/unit/simulator/ (its conftest builds the fixtures)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

import requests

from kiosk.simulator import DEMO_KIOSK_ID, DEMO_TOKEN

CST = dt.timezone(dt.timedelta(hours=8))
#: A Wednesday. The demo seed resolves its offsets against this date.
START = dt.datetime(2026, 6, 10, 10, 0, 0, tzinfo=CST)

OTHER_TOKEN = "other-kiosk-token"
OTHER_KIOSK_ID = "HK-KIOSK-0002"

LIN_HAI = {"name": "林海", "id_number": "460108198706120310", "phone": "13812345678"}  # due_for_endorsement
ZHANG_WEI = {"name": "张伟", "id_number": "460106198503121214", "phone": "13900001111"}  # not_yet_due
WANG_FANG = {"name": "王芳", "id_number": "460105199002150023", "phone": "13700002222"}  # overdue (suspended)
CHEN_JING = {"name": "陈静", "id_number": "460102199208080041", "phone": "13600003333"}  # already_endorsed
LI_QIANG = {"name": "李强", "id_number": "460106197801012513", "phone": "13500004444"}  # expired
AYGUL = {"name": "阿依古丽·买买提", "id_number": "460105200103010025", "phone": "15000005555"}  # minority
FU_MINGDE = {"name": "符明德", "id_number": "460107196809180038", "phone": "18800006666"}  # elder
UNKNOWN_PERSON = {"name": "赵敏", "id_number": "230102198706123027", "phone": "13900001111"}

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"jpeg-bytes" * 20
PDF = b"%PDF-1.4\n%test document\n" + b"pdf-bytes" * 20
PNG = b"\x89PNG\r\n\x1a\n" + b"png-bytes" * 20


class Clock:
    """Injectable simulator clock."""

    def __init__(self, start: dt.datetime) -> None:
        self.value = start

    def __call__(self) -> dt.datetime:
        return self.value

    def advance(self, **delta: float) -> None:
        self.value += dt.timedelta(**delta)


class Api:
    """A kiosk talking to the simulator."""

    def __init__(self, base_url: str, token: str | None = DEMO_TOKEN, kiosk_id: str | None = DEMO_KIOSK_ID) -> None:
        self.base_url = base_url
        self.token = token
        self.kiosk_id = kiosk_id
        self.session = requests.Session()

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        data: bytes | None = None,
        key: str | None = None,
        headers: dict[str, str | None] | None = None,
    ) -> requests.Response:
        sent: dict[str, str | None] = {}
        if self.token is not None:
            sent["Authorization"] = f"Bearer {self.token}"
        if self.kiosk_id is not None:
            sent["X-Kiosk-Id"] = self.kiosk_id
        if key is not None:
            sent["Idempotency-Key"] = key
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        session_headers: dict[str, Any] = dict(sent)  # a None value removes a session header
        return self.session.request(method, self.base_url + path, data=data, headers=session_headers, timeout=10)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, body=body, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def upload(
        self,
        content: bytes = JPEG,
        content_type: str = "image/jpeg",
        document_id: str | None = None,
        headers: dict[str, str | None] | None = None,
    ) -> tuple[str, requests.Response]:
        document_id = document_id or str(uuid.uuid4())
        sent: dict[str, str | None] = {
            "Content-Type": content_type,
            "X-Content-SHA256": hashlib.sha256(content).hexdigest(),
        }
        sent.update(headers or {})
        response = self.request("PUT", f"/v1/documents/{document_id}", data=content, headers=sent)
        return document_id, response

    def document(self, content: bytes = JPEG) -> str:
        content_type = "application/pdf" if content.startswith(b"%PDF-") else "image/jpeg"
        document_id, response = self.upload(content, content_type)
        assert response.status_code == 201, response.text
        return document_id

    def create(self, body: dict[str, Any], key: str | None = None) -> requests.Response:
        return self.post("/v1/applications", body, key=key or str(uuid.uuid4()))

    def decide(self, application_id: str, decision: str, note: str | None = None) -> requests.Response:
        body: dict[str, Any] = {"decision": decision}
        if note is not None:
            body["note"] = note
        return self.post(f"/sim/applications/{application_id}/decide", body)


_references = iter(range(1, 1_000_000))


def reference() -> str:
    return f"K0001-20260610-{next(_references):04d}"


def created_at(clock: Clock) -> str:
    return clock().isoformat()


def renewal(clock: Clock, documents: list[dict[str, Any]], person: dict[str, str] = LIN_HAI, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "service": "renewal",
        "applicant": dict(person),
        "basis": "employment",
        "documents": documents,
        "kiosk_id": DEMO_KIOSK_ID,
        "client_reference": reference(),
        "created_at": created_at(clock),
    }
    body.update(over)
    return body


def reissue(clock: Clock, person: dict[str, str] = CHEN_JING, service: str = "reissue_lost", **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "service": service,
        "applicant": dict(person),
        "documents": [],
        "kiosk_id": DEMO_KIOSK_ID,
        "client_reference": reference(),
        "created_at": created_at(clock),
    }
    body.update(over)
    return body


def contract_doc(document_id: str, page: int = 1, category: str = "employment_contract") -> dict[str, Any]:
    return {"document_id": document_id, "category": category, "page": page}


def field_codes(response: requests.Response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "validation_failed"
    return {error.get("pointer", error.get("parameter")): error["code"] for error in body["errors"]}


def reasons(response: requests.Response) -> list[dict[str, Any]]:
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["code"] == "not_eligible"
    return list(body["reasons"])


def submitted_renewal(api: Api, clock: Clock, person: dict[str, str] = LIN_HAI) -> str:
    response = api.create(renewal(clock, [contract_doc(api.document())], person))
    assert response.status_code == 201, response.text
    return str(response.json()["application_id"])


def to_card_ready(api: Api, application_id: str) -> None:
    for decision in ("under_review", "approved", "card_ready"):
        assert api.decide(application_id, decision).status_code == 200


def assert_problem(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    assert body["type"] == f"urn:problem:hk-rp-review:{code}"
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert set(body["message"]) == {"zh-CN", "en"}
    assert body["request_id"] == response.headers["X-Request-Id"]
    return dict(body)


# --- the simulator's control routes (/sim/kiosks), as the kiosk tests use them ---
AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}


def sim_kiosk(sim) -> dict:
    r = requests.get(f"{sim.url}/sim/kiosks/{DEMO_KIOSK_ID}", headers=AUTH, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def set_directive(sim, body: dict) -> None:
    r = requests.put(f"{sim.url}/sim/kiosks/{DEMO_KIOSK_ID}", json=body, headers=AUTH, timeout=10)
    assert r.status_code == 200, r.text


def set_staff(sim, on_duty: bool) -> None:
    """Whether the hall's staff are on duty, as the simulator's kiosk directive says."""
    set_directive(sim, {"out_of_service": False, "staff_on_duty": on_duty})


def help_requests(sim) -> list[dict]:
    """The help requests the simulator received from the demo kiosk."""
    return list(sim_kiosk(sim)["help_requests"])
