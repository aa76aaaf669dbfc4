"""Short driver timing for the ID-card tests: fault tests finish fast, pty latency is far below."""

from drivers.idcard.sam_link import Timing

# Short waits so that fault tests finish quickly; still far above a pty's latency.
FAST = Timing(
    poll_interval=0.02,
    command_timeout=0.3,
    read_timeout=0.5,
    sam_check_interval=0.2,
    retries=2,
    max_failures=3,
    backoff_initial=0.05,
    backoff_max=0.2,
)
