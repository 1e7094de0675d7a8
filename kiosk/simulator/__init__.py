"""The project's own simulator of the central review service (docs/contract/review-service.openapi.yaml).

Standard library only (``http.server`` + ``sqlite3``), plus ``python-dateutil``.
"""

from kiosk.simulator.seed import DEMO_KIOSK_ID, DEMO_TOKEN, demo_seed
from kiosk.simulator.server import ReviewSimulator

__all__ = ["DEMO_KIOSK_ID", "DEMO_TOKEN", "ReviewSimulator", "demo_seed"]
