"""Identity-card readers: the monitoring base, the APDU procedure, PC/SC, vendor SDK, simulated.

Import the reader you need from its module (``kiosk.devices.card.pcsc`` needs pyscard,
``kiosk.devices.card.sdk`` a vendor library); this package imports none of them.
"""
