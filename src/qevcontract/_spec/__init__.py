"""What the standards say, in one place: CloudEvents 1.0, Qlik's extensions, the legacy 0.1
envelope, the envelope schemas built from them, and the patterns they use.

Producers (`builder`) and consumers (`validate`, `generate`, `check`, `envelopes`) all import
from here, so no consumer depends on the builder and no two packages can disagree about an
attribute set or a pattern.
"""
