"""`python -m workplan`."""

from workplan.cli import main

main()
