"""A progress bar for the commands' long imports and exports: drawn on a terminal,
silent anywhere else (a pipe, a file, a CI log, a test), so their output stays clean."""

import time

LABELS = {
    "read": "Read",
    "validated": "Checked",
    "writing": "Writing",
    "written": "Written",
    "exported": "Exported",
}


class TerminalProgress:
    """progress(stage, done, total) as the writer and the export service call it, drawn on
    `stream` (a command's stderr) when that is a terminal, or when `enabled` says so."""

    WIDTH = 30
    INTERVAL = 0.1  # seconds between two redraws of one stage

    def __init__(self, stream, *, enabled=None):
        self.stream = stream
        self.enabled = stream.isatty() if enabled is None else enabled
        self.stage = None
        self.drawn = 0.0
        self.open = False

    def __call__(self, stage, done, total):
        if not self.enabled:
            return
        now = time.monotonic()
        if stage == self.stage and done < total and now - self.drawn < self.INTERVAL:
            return
        if stage != self.stage and self.open:
            self._write("\n")
        self.stage, self.drawn = stage, now
        filled = self.WIDTH * done // total if total else self.WIDTH
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self._write(f"\r{LABELS.get(stage, stage):<8} [{bar}] {done}/{total}")
        self.open = True

    def close(self):
        """End the bar's line, so what the command says next starts on its own."""
        if self.open:
            self._write("\n")
            self.open = False

    def _write(self, text):
        # As written: no ending added, and not styled as an error on a terminal.
        self.stream.write(text, style_func=str, ending="")
        self.stream.flush()
