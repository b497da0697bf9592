"""`python -m qevcontract`: the same as the `qevcontract` command."""

from .cli import main

main()
