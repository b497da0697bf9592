"""`python -m qevcontract`: the same as the `qevcontract` command."""

from ._cli import main

main()
