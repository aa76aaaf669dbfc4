#!/usr/bin/env bash
# Install the Debian packages the kiosk and its tests need, when any is missing.
# Used by `make run` and `make test`. As root it installs; otherwise it prints the command.
set -euo pipefail

packages=(
  libzbar0            # pyzbar's decoder
  fonts-wqy-microhei  # CJK font: screens and receipts
  fonts-hanazono      # rare characters (CJK Extensions A-F) the main font lacks
  libmtdev1           # Kivy's touch input
  libgl1 libegl1 libgl1-mesa-dri  # OpenGL (Mesa software rendering offscreen)
  cups-client         # the A4 printer's CUPS queue: lpstat, cancel, lpadmin for technicians
  cage xwayland       # the kiosk session: a kiosk compositor, and X11 in it for Kivy's SDL (deploy/kiosk-session)
  espeak-ng           # voice guidance (kiosk/voice): Mandarin read from tone-numbered pinyin
  alsa-utils          # aplay: voice prompts to the speaker (ALSA; PipeWire's ALSA plugin where present)
)
if [ "${1:-}" = "--with-tests" ]; then
  packages+=(postgresql)  # the centre is tested against PostgreSQL as well as SQLite
  # systemd-analyze and systemd-sysusers check deploy/ (a booted Debian has it; containers lack it)
  packages+=(systemd)
  packages+=(chromium)  # the console's browser tests (Playwright drives Debian's chromium)
  # the A4 printer's tests start a private cupsd (tests/support/cups_server.py) and read the
  # printed PDFs back with pdftoppm
  packages+=(cups poppler-utils)
  packages+=(grim xdotool)  # the kiosk under cage: screenshots through the compositor, keys through Xwayland
  packages+=(e2fsprogs mount)  # the power-cut test: ext4 on a loop device (mkfs.ext4, losetup, mount)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    SUDO=sudo
  else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi
echo "Installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
