"""Command-line entry points, one module per job: :mod:`.train` (``archer-train``, behind
``examples/train_math.py`` and ``examples/train_code.py``), :mod:`.evaluate` (``archer-evaluate``) and :mod:`.inspect` (``archer-inspect``).

Each module keeps its argument parsing and ``main`` here; the logic lives in the package it drives
(:mod:`archer_trl.trainer`, :mod:`archer_trl.evaluation`, :mod:`archer_trl.inspect`).
"""
