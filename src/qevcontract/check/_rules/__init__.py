"""Rule families, one module each; every module exports `RULES`, a tuple of `Rule`s."""
