"""Developer controls over simulated devices: place a card, scan a code, empty the paper.

Shown only when ``[ui] developer_panel = true``. Each control works when the configured
device is a simulator offering it (``sim://`` or ``simwire://``, checked against the
protocols in ``drivers.simulated``), and is absent otherwise;
screens never see a driver class.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.idcard import samples
from drivers.idcard.record import mask_name
from drivers.simulated import SimulatedCardReader, SimulatedPrinter, SimulatedQrScanner
from kiosk.terminal import Terminal

SAMPLE_PHONE = "13912345678"  # the sample resident's mobile number, as the app verified it


@dataclass(frozen=True)
class Control:
    label: str
    action: str  # passed back to ``DeveloperControls.run``


class DeveloperControls:
    """The actions a developer panel offers for the devices at hand."""

    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal
        self.devices = terminal.devices

    def controls(self) -> list[Control]:
        found: list[Control] = []
        card, qr, printer = self.devices.id_card, self.devices.qr, self.devices.printer
        if isinstance(card, SimulatedCardReader):
            for index, record in enumerate(samples.ALL):
                found.append(Control(f"放卡：{mask_name(record.name)}", f"card:{index}"))
            found.append(Control("取走卡片", "card:remove"))
            found.append(Control("读卡失败", "card:fail"))
        if isinstance(qr, SimulatedQrScanner):
            if self.terminal.config.centre.embedded:  # its connector brings a development issuer
                found.append(Control("扫登录码", "qr:login"))
                found.append(Control("扫帮办码", "qr:staff"))  # assisted mode: staff number 0427
            found.append(Control("扫无效码", "qr:garbage"))
        if isinstance(printer, SimulatedPrinter):
            found.append(Control("纸用尽", "paper:0"))
            found.append(Control("纸将尽", "paper:3"))
            found.append(Control("装满纸", "paper:200"))
        return found

    def run(self, action: str) -> None:
        kind, _, argument = action.partition(":")
        card, qr, printer = self.devices.id_card, self.devices.qr, self.devices.printer
        if kind == "card" and isinstance(card, SimulatedCardReader):
            if argument == "remove":
                card.remove_card()
            elif argument == "fail":
                card.fail_read()
            else:
                card.place_card(samples.ALL[int(argument)])
        elif kind == "qr" and isinstance(qr, SimulatedQrScanner):
            qr.scan(self._signed_code(argument) if argument in ("login", "staff") else "http://example.com/not-ours")
        elif kind == "paper" and isinstance(printer, SimulatedPrinter):
            printer.set_paper(int(argument))
        else:
            raise ValueError(f"unknown developer action {action!r}")

    def _signed_code(self, kind: str) -> str:
        """A login code for the sample resident (with a verified mobile number, as the app's
        codes carry), or a staff code (工号 0427), signed by the
        development identity authority the composition root handed the link (never by the
        centre: it issues neither)."""
        link = self.terminal.link
        issuer = link.login_issuer if link is not None else None
        if issuer is None:
            return ""  # not connected yet: the scanner reports an empty code
        if kind == "staff":
            return issuer.staff_code("0427")
        person = samples.RESIDENT
        return issuer.login_code(person.name, person.id_number, SAMPLE_PHONE)
