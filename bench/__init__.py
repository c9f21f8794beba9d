"""Benchmarks printing ratios measured in one run (`make bench`)."""

import os

# The app's JSON access line per request (chalicelib/observability.py) would drown the figures.
os.environ.setdefault("AGORA_LOG_LEVEL", "WARNING")
