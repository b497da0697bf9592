"""`python -m qevcontract._cli`."""

from . import main

main()
