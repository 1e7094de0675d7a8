"""Test residents, real JPEG pages and outbox items for the outbox tests and the throughput bench."""

from __future__ import annotations

import base64
import datetime as dt
import io
import random
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from kiosk.backend import SIMULATOR_DIR
from kiosk.domain.application import Application, new_client_reference
from kiosk.domain.clock import SHANGHAI
from kiosk.domain.services import Basis, Service
from kiosk.outbox import OutboxItem
from kiosk.simulator.validation import id_number_check_char

_CN_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Resident:
    name: str
    id_number: str
    phone: str
    permit_number: str

    def seed(self) -> dict[str, Any]:
        """A SimPermitSeed due for endorsement (valid 20 more days: inside the renewal window)."""
        return {
            "name": self.name,
            "id_number": self.id_number,
            "permit_number": self.permit_number,
            "valid_until_offset_days": 20,
            "last_endorsement_offset_days": -345,
            "registered_address": "海南省海口市龙华区测试路1号",
            "employer": "海口测试科技有限公司",
        }


def resident(i: int) -> Resident:
    """The i-th synthetic resident: a valid citizen ID number (checksum included), a Chinese name."""
    birth = dt.date(1980, 1, 1) + dt.timedelta(days=37 * i)
    first17 = f"460108{birth:%Y%m%d}{i % 1000:03d}"
    name = "符" + "".join(_CN_DIGITS[int(d)] for d in f"{i:04d}")
    return Resident(name, first17 + id_number_check_char(first17), f"139{i:08d}", f"46010820{i:08d}")


def residents(n: int, start: int = 1) -> list[Resident]:
    return [resident(i) for i in range(start, start + n)]


def jpeg_page(seed: int, size: tuple[int, int] = (480, 640), quality: int = 80, noise: int = 24) -> bytes:
    """A real JPEG: a document-like page (lines of 'text', a seal) with sensor-like noise.

    The noise makes every page's bytes distinct and sets the size (a camera's JPEGs are noisy).
    """
    rng = random.Random(seed)
    w, h = size
    img = Image.new("RGB", size, (248, 247, 240))
    d = ImageDraw.Draw(img)
    for y in range(h // 10, h - h // 6, max(12, h // 40)):
        x = w // 12
        while x < w - w // 12:
            length = rng.randint(w // 40, w // 8)
            d.rectangle((x, y, min(x + length, w - w // 12), y + max(3, h // 120)), fill=(40, 40, 40))
            x += length + rng.randint(4, 12)
    d.ellipse((w - w // 3, h - h // 4, w - w // 12, h - h // 4 + w // 4), outline=(200, 30, 30), width=6)
    if noise:
        noisy = Image.effect_noise(size, noise).convert("RGB")
        img = Image.blend(img, noisy, 0.12)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()


def renewal_item(
    person: Resident,
    kiosk_id: str,
    pages: list[bytes],
    *,
    now: dt.datetime | None = None,
) -> OutboxItem:
    """The outbox item the journey would enqueue: the domain's own ApplicationCreate body."""
    now = now or dt.datetime.now(SHANGHAI).replace(microsecond=0)
    app = Application(Service.RENEWAL, basis=Basis.EMPLOYMENT, category="employment_contract", phone=person.phone)
    for jpeg in pages:
        app.add_page("employment_contract", jpeg)
    body = app.create_request(
        name=person.name,
        id_number=person.id_number,
        permit_number=person.permit_number,
        kiosk_id=kiosk_id,
        client_reference=new_client_reference(kiosk_id, now),
        created_at=now,
    )
    return OutboxItem.application(body, str(uuid.uuid4()), [(p.document_id, bytes(p.jpeg)) for p in app.pages])


def assert_exactly_once(sim: Any, items: list[OutboxItem]) -> None:
    """The simulator holds exactly one application per item, with every page, byte for byte."""
    apps = sim.applications()
    by_ref: dict[str, list[dict[str, Any]]] = {}
    for a in apps:
        by_ref.setdefault(a["client_reference"], []).append(a)
    assert len(apps) == len(items), f"{len(apps)} applications upstream for {len(items)} journeys"
    for item in items:
        found = by_ref.get(item.client_reference, [])
        assert len(found) == 1, f"{len(found)} applications for one journey"
        docs = {d["document_id"] for d in found[0]["documents"]}
        assert docs == {doc_id for doc_id, _ in item.documents}
        for doc_id, data in item.documents:
            assert sim.document_bytes(doc_id) == bytes(data), "a page is missing or differs upstream"


# The demo resident of the journey tests: ID number, name, the phone typed on the keypad.
SECRETS = ("460108198706120310", "林海", "13812345678")
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "gb18030", "utf-32-le")


def personal_data_in(data_dir: Path) -> list[str]:
    """Files of the kiosk's data directory (the embedded simulator's folder aside: it stands
    for the police's server) that hold a secret, raw, base64 or hex encoded."""
    found = []
    for f in data_dir.rglob("*"):
        if not f.is_file() or SIMULATOR_DIR in f.relative_to(data_dir).parts:
            continue
        raw = f.read_bytes()
        for secret in SECRETS:
            for enc in ENCODINGS:
                b = secret.encode(enc)
                for form, needle in (("raw", b), ("base64", base64.b64encode(b)), ("hex", b.hex().encode())):
                    if needle in raw:
                        found.append(f"{f.relative_to(data_dir)}: {enc} {form}")
    return found
