"""The kiosk's heartbeat to the centre: what it says (devices, paper, outbox, counters,
faults, service state, command results, the machine's disk, memory, load and temperature)
and what its acknowledgement brings back (remote commands, a newer catalogue, an update
offer). Both run on the heartbeat thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.events import CommandsArrived

if TYPE_CHECKING:
    from contract.wire import Heartbeat, HeartbeatAck
    from kiosk.delivery.link import CentreLink
    from kiosk.delivery.outbox import OutboxStats
    from kiosk.terminal import Terminal
    from kiosk.updates.fetch import UpdateFetcher


class FleetBeats:
    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal
        self.update_fetcher: UpdateFetcher | None = None  # from the centre's first update offer on

    def make(self, stats: OutboxStats) -> Heartbeat:
        """How this kiosk is, for the centre's fleet view (runs on the heartbeat thread)."""
        from kiosk.delivery.heartbeat import beat
        from kiosk.machine_health import read_machine_health

        terminal = self.terminal
        records = terminal.records
        statuses = {device.name: device.status for device in terminal.devices.all()}
        left = records.paper_roll.estimated_left()
        return beat(
            terminal_id=terminal.config.terminal_id,
            site_id=terminal.config.site.id,
            catalog_version=terminal.session.catalog.version,
            devices=statuses,
            paper=terminal.devices.printer.status.paper,
            outbox_depth=stats.unsent,
            oldest_unsent_age_s=stats.oldest_pending_age_s,
            now=terminal.now(),
            counters=records.counters.recent(2),
            faults=records.faults.current(statuses, terminal.now()),
            service=records.service.state,
            paper_left_estimate=min(left, 100_000) if left is not None else None,
            command_results=records.remote.results_to_report(),
            machine=read_machine_health(terminal.config.data_dir),
        )

    def acknowledged(self, heartbeat: Heartbeat, ack: HeartbeatAck) -> None:
        """On the heartbeat thread: the centre took a beat. Its commands go to the queue (never
        run here), the results it carried are done, and the audit log follows it."""
        from kiosk.maintenance.clock_check import check_clock

        terminal = self.terminal
        records = terminal.records
        check_clock(records.faults, heartbeat.sent_at, ack.received_at, terminal.now())  # first: the round trip
        records.remote.reported(heartbeat.command_results)
        if ack.commands:
            terminal.post(CommandsArrived(tuple(ack.commands)))
        if terminal.catalogs is not None:
            terminal.catalogs.check(ack.catalog_version)
        link = terminal.link
        if link is not None:
            from kiosk.maintenance.audit import AuditShipper

            AuditShipper(records.audit, link.client, terminal.config.terminal_id).send_pending()
            if ack.update is not None:
                self._updates(link).offered(ack.update)

    def _updates(self, link: CentreLink) -> UpdateFetcher:
        """The fetcher of the centre's update offers (``kiosk.updates.fetch``), made on the first offer."""
        if self.update_fetcher is None:
            from kiosk.updates.fetch import UpdateFetcher

            terminal = self.terminal
            self.update_fetcher = UpdateFetcher(terminal.config.updates, terminal.config.data_dir, link.client,
                                                terminal.records.audit, terminal.now)
        return self.update_fetcher
