"""Helpers for the course book *Convolutional neural networks in image processing*.

Each topic lives in its own module (``conv``, ``config``, ``checks``, ``data``, ...);
chapters import them by name, e.g. ``from course_lib import conv, plotting``.
Importing this package does no work: no downloads, no folders, no plot settings,
and TensorFlow is imported only by the modules that need it.
"""

__version__ = "0.1.0"
