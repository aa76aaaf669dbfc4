"""A disk that loses what was not synced when the power is pulled: ext4 on a loop device.

The kiosk's data folder is an ext4 file system in an image file, mounted through a loop
device with ``commit=600`` (no timed journal commit in a short run). ``ext4`` keeps writes
in its page cache until something syncs them (``fsync``, ``fdatasync``, ``syncfs``) or
writeback finds them (after 30 s by default); only then does the loop device write them
into the image file. ``cut(...)`` copies the image file as it stands (what reached the
disk) and mounts the copy instead of the original: the journal is replayed and everything
that lived only in the page cache (unsynced data, directory entries, sizes) is gone, as
after a power cut. The loop device itself has no volatile cache, so what it was handed
counts as on the platter; this is the model of a disk that honours flushes.

Needs root, ``losetup``, ``mount`` and ``mkfs.ext4`` (util-linux, mount, e2fsprogs).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

IMAGE_BYTES = 64 * 1024 * 1024
MOUNT_OPTIONS = "commit=600"


def usable() -> str | None:
    """Why a power-cut disk cannot be made here, or None when it can."""
    if os.geteuid() != 0:
        return "needs root (mount and losetup)"
    if not Path("/dev/loop-control").exists():
        return "no loop devices (/dev/loop-control)"
    for tool in ("losetup", "mount", "umount", "mkfs.ext4"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    return None


def _run(*argv: str) -> str:
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout.strip()


class PowerDisk:
    """An image file mounted at ``mount_point``; ``cut`` pulls the power on it."""

    def __init__(self, folder: Path) -> None:
        self.image = folder / "disk.img"
        self.mount_point = folder / "mnt"
        self.loop: str | None = None

    def create(self) -> PowerDisk:
        """Make a fresh empty file system and mount it."""
        self.mount_point.mkdir(exist_ok=True)
        with open(self.image, "wb") as image:
            image.truncate(IMAGE_BYTES)
        _run("mkfs.ext4", "-q", "-F", str(self.image))
        return self.mount()

    def mount(self) -> PowerDisk:
        self.loop = _run("losetup", "--find", "--show", str(self.image))
        try:
            _run("mount", "-t", "ext4", "-o", MOUNT_OPTIONS, self.loop, str(self.mount_point))
        except subprocess.CalledProcessError:
            _run("losetup", "-d", self.loop)
            self.loop = None
            raise
        return self

    def unmount(self) -> None:
        """Unmount cleanly (everything is written to the image)."""
        if self.loop is None:
            return
        _run("umount", str(self.mount_point))
        _run("losetup", "-d", self.loop)
        self.loop = None

    def cut(self) -> None:
        """Pull the power: keep only what reached the disk, then boot (mount) again.

        Every process with a file open on the disk must already be dead."""
        at_cut = self.image.with_name("at-cut.img")
        shutil.copyfile(self.image, at_cut)  # the image as the disk holds it now
        self.unmount()  # this writes the page cache to the old image, which is then dropped
        os.replace(at_cut, self.image)
        self.mount()
