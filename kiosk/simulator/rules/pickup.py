"""Pickup (``POST /v1/applications/{application_id}/pickup``): window or mail, once the card is ready."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.simulator import timeutil
from kiosk.simulator.rules.applications import pickup_view
from kiosk.simulator.rules.common import find_application, is_reissue, move, require_status, require_valid
from kiosk.simulator.store import Store
from kiosk.simulator.validation import validate_pickup


def choose_pickup(store: Store, application_id: str, body: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """PickupRequest -> the PickupChoice (masked); the application moves to ``pickup_chosen``.

    A renewal's old permit goes to the station with the resident (window) or by post to it (mail);
    a replacement has no old permit to bring or send."""
    errors, data = validate_pickup(body)
    require_valid(errors)
    app = find_application(store, application_id)
    require_status(
        app,
        ("card_ready",),
        f"Pickup can be chosen only when the card is ready; current status is {app['status']}.",
    )
    chosen_at = timeutil.format_datetime(now)
    station = app["police_station"]
    reissue = is_reissue(app["service"])
    pickup: dict[str, Any] = {"method": data["method"], "application_id": app["application_id"], "chosen_at": chosen_at}
    if data["method"] == "window":
        pickup.update(
            station_name=station["name"],
            station_address=station["address"],
            station_phone=station["phone"],
            pickup_hours=station["pickup_hours"],
            bring=["id_card"] if reissue else ["id_card", "residence_permit"],
        )
    else:
        mail = data["mail"]
        pickup.update(
            recipient=mail["recipient"],
            address=mail["address"],
            phone=mail["phone"],
            send_permit_to=None
            if reissue
            else {"station_name": station["name"], "address": station["address"], "phone": station["phone"]},
            postage="cod",
        )
    app["pickup"] = pickup
    move(app, "pickup_chosen", chosen_at, "kiosk", None)
    store.save_application(app)
    return pickup_view(pickup)
