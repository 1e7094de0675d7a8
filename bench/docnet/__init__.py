"""A small page-segmentation network for the document detector (issue 16, item 3).

``python -m bench.docnet`` renders training frames from both generators (seeds that no benchmark
uses), trains the network with PyTorch and exports it to ``assets/models/docnet.onnx``, which the
kiosk runs with OpenCV's DNN module (``kiosk/scanning/docnet.py``). PyTorch is needed for training
only: ``pip install torch==2.13.0 onnx``. Training is not part of ``make test``.
"""
