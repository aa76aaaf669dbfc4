"""How far a clock may be wrong before time checks fail: ``CLOCK_TOLERANCE``, defined once.

A kiosk runs for months unattended; when NTP cannot be reached its clock drifts (a few seconds
a day on a typical board), and a flat RTC battery or a hand-set clock can leave it hours off.
Every check of a signed or dated thing against the kiosk's own clock allows this much either
way, so a clock within the tolerance never refuses what is valid:

- a signed QR code (``contract.qr_codes.verify_code``): refused as *not yet valid* only when
  issued more than the tolerance after the kiosk's now, as *expired* only from its expiry plus
  the tolerance on (login, appointment, certificate and technician codes alike);
- an ID card's last valid day (``kiosk.session.identification``): judged on the date the
  tolerance before the kiosk's now, so a fast clock does not refuse a card minutes early at midnight.

Update bundles carry no time (their signature and version decide), and the certificates the
centre issues are dated by the centre, so neither depends on the kiosk's clock. The TLS
certificates of the link to the centre are checked by OpenSSL against the system clock with no
allowance of ours; only a clock off by more than a certificate's margin (usually weeks) trips
that, and the maintenance panel's link test then shows the TLS step failing.

Five minutes: the customary allowance for clock skew (Kerberos's default), far more than a
clock kept by NTP is ever off and enough for months of drift without it, yet small against the
lives of the codes it stretches (minutes for a login code, days for an appointment code).
A clock further off than this cannot be allowed for without accepting expired codes, so the
kiosk measures its offset against the centre's at each heartbeat and tells the technician
(``kiosk.maintenance.clock_check``).
"""

from __future__ import annotations

from datetime import timedelta

CLOCK_TOLERANCE = timedelta(minutes=5)
