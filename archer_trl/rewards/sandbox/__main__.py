"""``python -m archer_trl.rewards.sandbox``: print which sandbox protections are active on this host."""

from .protections import describe_protections

print(describe_protections(probe=True))
