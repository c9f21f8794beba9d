"""Benchmarks printing ratios measured in one run (`make bench`).

bench/report.py holds what every one of them shares (the command line, the timed run, the printing of tables and
ratios); bench/run.py, the first of them, also the AWS meter and the moto world the others reuse.
"""

import os

# The app's JSON access line per request (chalicelib/observability.py) would drown the figures.
os.environ.setdefault("AGORA_LOG_LEVEL", "WARNING")
