"""Instant printing (即时打印): drawing a certificate, and time to "printed" through CUPS, in one run.

``python -m bench certificate``.

- Drawing: ``central.certificate_pdf.draw_certificate`` for the social insurance certificate
  (DemoRecords' sample), median of 15, and its size; the baseline measured here is a page
  with the same font and only the title and one line, so the ratio is what the layout
  (watermark tiling, table, seal, QR) costs over font embedding alone.
- Time to "printed": a private cupsd (``tests.support.cups_server``, needs cups and
  cups-client) prints the certificate to a file device; our driver
  (``drivers.document_printer``, IPP, polling the job every 50 ms and every 250 ms, the
  default) against the cups-client way measured here: ``lp`` then ``lpstat -W completed``
  every 50 ms until the job is listed. Median of 5 each. Goal: our driver within 1.2x of
  the ``lp`` baseline at the same poll interval.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import time
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from central.certificate_pdf import CertificateContent, draw_certificate, register_font
from central.certificate_records import DemoRecords, kind_of
from contract.vocabulary import IdType
from contract.wire import Applicant
from drivers.document_printer.cups_printer import CupsDocumentPrinter

GOAL_RATIO = 1.2


def _content() -> CertificateContent:
    kind = kind_of("social-insurance-certificate")
    applicant = Applicant(id_type=IdType.RESIDENT, name="张三丰", id_number="320102199001011234")
    day = date(2026, 12, 2)
    return CertificateContent(
        kind=kind, name=applicant.name, id_type_label="居民身份证", masked_id_number="320102********1234",
        case_number="202612020010007", purpose="购房贷款", facts=DemoRecords().facts(kind, applicant, {}, day),
        issued_on=day, valid_until=date(2027, 3, 2), code="K7Q2M4XR5TZ3WB6NJ2PA7D4E",
        verify_url="https://zwfw.example.gov.cn/verify/K7Q2M4XR5TZ3WB6NJ2PA7D4E")


def _bare_page(content: CertificateContent) -> bytes:
    font = register_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1, invariant=1)
    canvas.setFont(font, 22)
    canvas.drawCentredString(297, 760, f"《{content.kind.title}》")
    canvas.setFont(font, 10)
    canvas.drawCentredString(297, 45, content.ecopy_line)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _median_ms(run: object, times: int) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _drawing() -> bytes:
    content = _content()
    draw_certificate(content)  # the font registered and warm
    pdf = draw_certificate(content)
    ours = _median_ms(lambda: draw_certificate(content), 15)
    bare = _median_ms(lambda: _bare_page(content), 15)
    print(f"draw certificate     {ours:7.1f} ms  {len(pdf) / 1024:6.1f} KiB")
    print(f"baseline: bare page  {bare:7.1f} ms  {len(_bare_page(content)) / 1024:6.1f} KiB  ratio {ours / bare:.2f}")
    return pdf


def _lp_until_completed(cups: object, queue: str, pdf_path: str, poll: float) -> None:
    env = {**os.environ, "CUPS_SERVERROOT": str(cups.root / "conf")}  # type: ignore[attr-defined]
    server = cups.server  # type: ignore[attr-defined]
    answer = subprocess.run(["lp", "-h", server, "-d", queue, "-t", "bench", pdf_path], env=env,
                            capture_output=True, text=True, check=True).stdout
    job = answer.split("request id is ")[1].split()[0]
    while True:
        done = subprocess.run(["lpstat", "-h", server, "-W", "completed", "-o", queue], env=env,
                              capture_output=True, text=True, check=True).stdout
        if any(line.split()[0] == job for line in done.splitlines() if line.strip()):
            return
        time.sleep(poll)


def _printing(pdf: bytes) -> None:
    try:
        from tests.support.cups_server import CupsUnavailable, PrivateCups
    except ImportError:
        print("time to printed: skipped (run from the repository: tests.support.cups_server)")
        return
    try:
        cups = PrivateCups.start()
    except CupsUnavailable as err:
        print(f"time to printed: skipped ({err})")
        return
    try:
        queue = "Bench"
        cups.add_queue(queue)
        pdf_path = str(cups.root / "certificate.pdf")
        with open(pdf_path, "wb") as out:
            out.write(pdf)
        rows = {}
        for poll in (0.05, 0.25):
            printer = CupsDocumentPrinter(queue, "127.0.0.1", cups.port, poll_interval=poll)

            def ours(printer: CupsDocumentPrinter = printer) -> None:
                outcome = printer.print_pdf(pdf, "bench", 60)
                assert outcome.finished, outcome
            rows[f"our driver, poll {int(poll * 1000)} ms"] = _median_ms(ours, 5)
        baseline = _median_ms(lambda: _lp_until_completed(cups, queue, pdf_path, 0.05), 5)
        for name, value in rows.items():
            print(f"{name:26s} {value:7.0f} ms  ratio {value / baseline:.2f}")
        print(f"baseline: lp + lpstat 50 ms {baseline:5.0f} ms")
        ratio = rows["our driver, poll 50 ms"] / baseline
        print(f"goal ≤ {GOAL_RATIO}x at the same poll: {'met' if ratio <= GOAL_RATIO else 'NOT met'} ({ratio:.2f})")
    finally:
        cups.stop()


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.2f}")
    _printing(_drawing())


if __name__ == "__main__":
    main()
