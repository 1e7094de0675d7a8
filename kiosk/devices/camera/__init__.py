"""Document cameras: OpenCV (a real camera) and simulated (with its rendered documents).

Import what you need from its module; this package imports none of them.
"""
