"""A dependency-free progress bar for management commands, drawn on the command's stdout."""


class ProgressBar:
    """``[#####.....] 500/1000`` redrawn in place on a terminal, one line per 10 % otherwise."""

    def __init__(self, stdout, label, width=30):
        self.stdout = stdout
        self.label = label
        self.width = width
        self.interactive = stdout.isatty() if hasattr(stdout, "isatty") else False
        self._last_decile = -1

    def __call__(self, done, total):
        if total <= 0:
            return
        filled = self.width * done // total
        line = f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}"
        if self.interactive:
            self.stdout.write("\r" + line, ending="\n" if done == total else "")
            self.stdout.flush()
            return
        decile = 10 * done // total
        if decile != self._last_decile:
            self._last_decile = decile
            self.stdout.write(line)
