"""Rendered prompts on disk, one WAV file per (engine identity, language, kind, text).

Under ``<data_dir>/voice-cache/``, files named by the SHA-256 of the key (the words are in no
file name), mode 0600. Only public prompts (``Kind.INSTRUCTION``) come here: ``Voice`` keeps a
name's or typed digits' audio in memory only. Size-bounded: after a write, the least recently
used files (by modification time, which a hit refreshes) go until the total is under
``max_bytes``. A file that cannot be read is a miss, never an error: the prompt is rendered again.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from kiosk.voice.prompt import Kind

SUFFIX = ".wav"


class RenderCache:
    """WAV files by key, at most ``max_bytes`` in all."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._total = sum(self._sizes().values())

    @staticmethod
    def key(identity: str, language: str, kind: Kind, text: str) -> str:
        """The file stem for one rendering: a hash, so no prompt's words show in a listing."""
        return hashlib.sha256("\x1f".join((identity, language, kind.value, text)).encode()).hexdigest()

    def get(self, key: str) -> bytes | None:
        """The WAV stored under ``key``, or None; a hit counts as a use (for eviction)."""
        path = self.folder / (key + SUFFIX)
        try:
            audio = path.read_bytes()
            os.utime(path)
        except OSError:
            return None
        return audio

    def put(self, key: str, audio: bytes) -> None:
        """Store ``audio`` (atomically: a reader never sees half a file), then trim to the bound."""
        path = self.folder / (key + SUFFIX)
        temporary = path.with_suffix(f".{threading.get_ident()}.tmp")
        with self._lock:
            try:
                old = path.stat().st_size if path.exists() else 0
                fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(audio)
                os.replace(temporary, path)
            except OSError:
                temporary.unlink(missing_ok=True)
                return  # a full or read-only disk costs a render next time, nothing more
            self._total += len(audio) - old
            if self._total > self.max_bytes:
                self._trim()

    def __contains__(self, key: str) -> bool:
        return (self.folder / (key + SUFFIX)).exists()

    def __len__(self) -> int:
        return len(self._sizes())

    @property
    def total_bytes(self) -> int:
        return self._total

    def _sizes(self) -> dict[Path, int]:
        sizes = {}
        for path in self.folder.glob("*" + SUFFIX):
            try:
                sizes[path] = path.stat().st_size
            except OSError:
                continue
        return sizes

    def _trim(self) -> None:
        """Delete least recently used files until the total is within the bound."""
        entries = []
        for path in self.folder.glob("*" + SUFFIX):
            try:
                info = path.stat()
            except OSError:
                continue
            entries.append((info.st_mtime_ns, path, info.st_size))
        entries.sort()
        total = sum(size for _, _, size in entries)
        for _, path, size in entries:
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
        self._total = total
