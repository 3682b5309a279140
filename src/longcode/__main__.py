"""`python -m longcode` is the `longcode` command."""

from longcode.cli import main

main()
