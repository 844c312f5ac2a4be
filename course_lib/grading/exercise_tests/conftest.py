# The qN.py files here are otter test files (data for grader.check), not modules to import:
# keep pytest's --doctest-modules from collecting them (several folders share the names q1.py...).
collect_ignore_glob = ["*/q*.py"]
