"""``python -m course_lib.restoration train ...``: the command that trains the shipped networks."""

import sys

from course_lib.restoration.train import main

if __name__ == "__main__":
    sys.exit(main())
