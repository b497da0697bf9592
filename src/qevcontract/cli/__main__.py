"""`python -m qevcontract.cli`."""

from . import main

main()
