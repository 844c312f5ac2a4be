"""One module per chapter (``ch01`` ... ``ch10``) and per graded exercise (``graded_<name>``).

Each registers its exercises with :func:`course_lib.checks.register` when imported; value
exercises take their hashed keys from the module's ``KEYS`` block (written by the
``write-key`` command), function exercises name a reference, fixed cases and typical mistakes.
"""
