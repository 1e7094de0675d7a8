"""Speech output: the interface (``base.py``), espeak-ng (``espeak.py``) and the simulated,
recording speaker (``sim.py``); ``kiosk.devices.factory.speaker`` picks one by configuration."""
