"""Receipt printers: ESC/POS (URI, connections, job store), simulated, capture printer, tools.

Import what you need from its module; this package imports none of them.
"""
