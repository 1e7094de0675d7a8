"""Demo credentials and the demo residents (the ID-card test files use the same people).

Every demo resident has a mobile number on file (``phone_on_file``, contract 1.1) except 王芳
(``overdue``, assets/cards/wangfang.json): her renewal (a late one) shows the keypad.
"""

from __future__ import annotations

import copy
from typing import Any

DEMO_TOKEN = "dev-kiosk-token"
DEMO_KIOSK_ID = "HK-KIOSK-0001"

PICKUP_HOURS = "周一至周五 09:00-12:00，14:30-17:30（法定节假日除外）"

STATION_LONGHUA_JINMAO: dict[str, str] = {
    "station_id": "HK-LH-JM",
    "name": "海口市公安局龙华分局金贸派出所",
    "address": "海南省海口市龙华区金贸示例路1号",
    "phone": "0898-66000001",
    "pickup_hours": PICKUP_HOURS,
}

STATION_MEILAN_HAIFU: dict[str, str] = {
    "station_id": "HK-ML-HF",
    "name": "海口市公安局美兰分局海府派出所",
    "address": "海南省海口市美兰区海府示例路2号",
    "phone": "0898-66000002",
    "pickup_hours": PICKUP_HOURS,
}

#: Station used when a seed gives no ``police_station``.
DEFAULT_STATION = STATION_LONGHUA_JINMAO

_DEMO_RESIDENTS: list[dict[str, Any]] = [
    {
        "label": "due_for_endorsement",
        "name": "林海",
        "id_number": "460108198706120310",
        "permit_number": "4601082020000310",
        "valid_until_offset_days": 20,
        "last_endorsement_offset_days": -345,
        "registered_address": "海南省海口市美兰区和平大道56号",
        "employer": "海口椰风科技有限公司",
        "school": None,
        "phone_on_file": "13907550310",
        "police_station": STATION_LONGHUA_JINMAO,
    },
    {
        "label": "not_yet_due",
        "name": "张伟",
        "id_number": "460106198503121214",
        "permit_number": "4601062021000121",
        "valid_until_offset_days": 200,
        "last_endorsement_offset_days": -165,
        "registered_address": "海南省海口市龙华区滨海大道105号",
        "employer": "海南南海贸易有限公司",
        "school": None,
        "phone_on_file": "13707551214",
        "police_station": STATION_LONGHUA_JINMAO,
    },
    {
        # The one demo resident with no mobile number on file (contract 1.1): the kiosk shows her
        # the keypad instead of "use the number on file". Her permit ran out 10 days ago, so a
        # renewal is still allowed (late): `kiosk tour --card assets/cards/wangfang.json`.
        "label": "overdue",
        "name": "王芳",
        "id_number": "460105199002150023",
        "permit_number": "4601052019000150",
        "valid_until_offset_days": -10,
        "last_endorsement_offset_days": -375,
        "registered_address": "海南省海口市秀英区长滨路8号",
        "employer": None,
        "school": "海南师范大学",
        "phone_on_file": None,
        "police_station": STATION_MEILAN_HAIFU,
    },
    {
        "label": "already_endorsed",
        "name": "陈静",
        "id_number": "460102199208080041",
        "permit_number": "4601022022000808",
        "valid_until_offset_days": 15,
        "last_endorsement_offset_days": -3,
        "registered_address": "海南省海口市美兰区海甸五西路20号",
        "employer": None,
        "school": None,
        "phone_on_file": "13607550041",
        "police_station": STATION_LONGHUA_JINMAO,
    },
    {
        "label": "expired",
        "name": "李强",
        "id_number": "460106197801012513",
        "permit_number": "4601062018000101",
        "valid_until_offset_days": -90,
        "last_endorsement_offset_days": -455,
        "registered_address": "海南省海口市龙华区金龙路66号",
        "employer": None,
        "school": None,
        "phone_on_file": "13507552513",
        "police_station": STATION_LONGHUA_JINMAO,
    },
    {
        "label": "minority",
        "name": "阿依古丽·买买提",
        "id_number": "460105200103010025",
        "permit_number": "4601052023000301",
        "valid_until_offset_days": 60,
        "last_endorsement_offset_days": -305,
        "registered_address": "海南省海口市秀英区海秀西路12号",
        "employer": None,
        "school": "海南大学",
        "phone_on_file": "15007550025",
        "police_station": STATION_MEILAN_HAIFU,
    },
    {
        "label": "elder",
        "name": "符明德",
        "id_number": "460107196809180038",
        "permit_number": "4601072017000918",
        "valid_until_offset_days": 25,
        "last_endorsement_offset_days": -340,
        "registered_address": "海南省海口市琼山区府城忠介路3号",
        "employer": None,
        "school": None,
        "phone_on_file": "18807550038",
        "police_station": STATION_LONGHUA_JINMAO,
    },
]


def demo_seed() -> list[dict[str, Any]]:
    """A fresh copy of the demo residents as SimPermitSeed dicts (offsets relative to today)."""
    return copy.deepcopy(_DEMO_RESIDENTS)

