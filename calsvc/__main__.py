"""``python -m calsvc`` = the ``calsvc`` command."""

from calsvc.cli import main

main()
