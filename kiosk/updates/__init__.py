"""Signed updates installed beside the running version (A/B), committed only after a health check.

One concept per module:

- ``bundle``: the signed bundle (a tar of wheels, a manifest, an Ed25519 signature), made and read;
- ``slots``: versions side by side under ``[updates] root``, the ``current`` and ``previous`` links;
- ``state``: the small state file (staged version, trial, reports for the audit log);
- ``trial``: staging, switching at a quiet moment, commit, and the watchdog's roll back;
- ``health``: the new version's health check (first frame, devices, centre, in time);
- ``runtime``: what the running app does about updates, tick by tick;
- ``fetch``: a version the centre offers in a heartbeat's reply, downloaded, checked and staged;
- ``errors``: what goes wrong, in a technician's words.

The service starts the kiosk through the link, and runs the watchdog first from the version a
roll back returns to (a version that committed once; ``-``: none yet is no failure)::

    ExecStartPre=-/opt/gov-kiosk/previous/bin/kiosk update check-trial --config /etc/gov-kiosk/kiosk.toml
    ExecStart=/opt/gov-kiosk/bin/kiosk-session /opt/gov-kiosk/current/bin/kiosk run --config /etc/gov-kiosk/kiosk.toml
    ReadWritePaths=/opt/gov-kiosk       # the app switches the links (ProtectSystem=strict)

``[updates] root`` (``/opt/gov-kiosk``) belongs to the kiosk user; technicians run ``kiosk update``
as that user. The outbox, its key and the audit log stay in ``data_dir``, the configuration in
/etc: outside every slot, so both survive an update and a roll back.
"""
