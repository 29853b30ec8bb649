"""One screen per module."""


class ReloadOnReturn:
    """Reload a screen when it shows again after a dialog or another screen.

    Not on its first show: on_mount has just loaded it, and loading twice in
    a row leaves a DataTable drawn with its header widths.
    """

    _suspended = False

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def on_screen_resume(self) -> None:
        if self._suspended:
            self.reload_on_return()

    def reload_on_return(self) -> None:
        raise NotImplementedError
