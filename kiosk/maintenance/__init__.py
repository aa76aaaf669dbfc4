"""Maintenance mode: what a technician can see and do at the kiosk (issue 12).

- ``pin``: the technician PIN (Argon2id hash, set by ``kiosk provision``), lockout with a
  growing delay after failed tries.
- ``entry``: the hidden gesture, the technician code, and the rules for entering (only from
  attract) and leaving (auto-exit after inactivity).
- ``audit``: the append-only audit log, sent to the centre.
- ``counters``: 业务量统计 per day, kept across restarts, sent in the heartbeat.
- ``paper_roll``: receipts printed since the roll was replaced, and a low-paper estimate.
- ``desk``: ``MaintenanceDesk``, the one object the maintenance screens call, and
  ``reports``: what it hands back.
- ``remote``: remote commands from the centre's heartbeat reply, run between residents.
- ``faults``: each device's last error and current fault in technician wording (the beat's
  ``faults``, the desk's device list).
- ``service``: the technician's out-of-service switch, kept across restarts.
- ``logs``: the kiosk's log file, and its export (redacted) with the audit log.
- ``records``: the files above, opened together when the terminal starts.
- ``state_file``: small JSON state files written whole and renamed into place (0600).
"""
