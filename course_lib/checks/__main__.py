"""Write answer keys from a master solution.

    python -m course_lib.checks write-key 4.2 --from lessons/04_training.ipynb
    python -m course_lib.checks write-key --from lessons/04_training.ipynb      (all value exercises)
    python -m course_lib.checks write-key 4.2 --value "[1.85, -1.0]"
    python -m course_lib.checks write-key 4.2 --mistake no_decay --value "[1.95, -1.05]"

The key stores salted hashes only (see course_lib/checks/keys.py); a mistake's value is given
with --value and its message lives in the chapter module.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from course_lib.checks.writer import entry_for, solution_values, store


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m course_lib.checks`` with ``argv`` (default: the command line); return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m course_lib.checks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    write = commands.add_parser("write-key", help="hash a solution (or a typical mistake) into its chapter's keys")
    write.add_argument("exercise_ids", nargs="*", metavar="ID", help="exercise ids, e.g. 4.2 (all with --from if none)")
    source = write.add_mutually_exclusive_group(required=True)
    source.add_argument("--from", dest="notebook", type=Path, help="master notebook whose solution cells to execute")
    source.add_argument("--value", help="a Python literal, e.g. \"[1.85, -1.0]\" or \"'a'\"")
    write.add_argument("--mistake", help="store the value as this typical mistake instead of the answer")
    args = parser.parse_args(argv)
    if args.value is not None:
        if len(args.exercise_ids) != 1:
            parser.error("--value needs exactly one exercise id")
        value = ast.literal_eval(args.value)
        entries = {args.exercise_ids[0]: entry_for(args.exercise_ids[0], value)}
    else:
        if args.mistake:
            parser.error("--mistake needs --value")
        entries = solution_values(args.notebook, args.exercise_ids or None)
    for exercise_id, entry in entries.items():
        path = store(exercise_id, entry, mistake=args.mistake)
        what = f"mistake {args.mistake!r}" if args.mistake else "answer"
        print(f"{exercise_id}: wrote the {what} key into {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
