"""How much memory this process held at its peak during a span of the build (Linux; elsewhere unknown).

The kernel keeps each process's high-water mark of resident memory
(``VmHWM`` in ``/proc/self/status``), and writing ``5`` to
``/proc/self/clear_refs`` sets it back to the current resident size (Linux
4.0+).  So a stage's own peak is one write before it and one read after it:
two small system calls, no sampling.  Where either is refused (another
system, a sandbox), the peak is reported as 0, meaning unknown.
"""

from __future__ import annotations

__all__ = ["peak_resident", "proc_field", "reset_peak_resident", "resident"]

_STATUS = "/proc/self/status"
_CLEAR_REFS = "/proc/self/clear_refs"


def reset_peak_resident() -> None:
    """Start a new span: the peak is set back to what the process holds now (no-op where unsupported)."""
    try:
        with open(_CLEAR_REFS, "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        pass


def resident() -> int:
    """Bytes: what this process holds resident now; 0 if unknown."""
    return proc_field(_STATUS, b"VmRSS:")


def peak_resident() -> int:
    """Bytes: the most this process held resident since the last reset (or since it started); 0 if unknown."""
    return proc_field(_STATUS, b"VmHWM:")


def proc_field(path: str, field: bytes) -> int:
    """Bytes: the ``<field> <n> kB`` line of a ``/proc`` file such as ``path``; 0 when absent or unreadable."""
    try:
        with open(path, "rb") as found:
            for line in found:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return 0
    return 0
