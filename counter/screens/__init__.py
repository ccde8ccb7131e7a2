"""The counter's screens, one module and one ``.kv`` file each, reachable by name."""

from __future__ import annotations

from counter.screens.book_for import BookForScreen
from counter.screens.call_chosen import CallChosenScreen
from counter.screens.files import FilesScreen
from counter.screens.login import LoginScreen
from counter.screens.open_file import OpenFileScreen
from counter.screens.outcome import OutcomeScreen
from counter.screens.pause import PauseScreen
from counter.screens.paused import PausedScreen
from counter.screens.receipt import ReceiptScreen
from counter.screens.serve import ServeScreen
from counter.screens.transfer import TransferScreen

SCREENS = (
    LoginScreen,
    ServeScreen,
    TransferScreen,
    CallChosenScreen,
    BookForScreen,
    OutcomeScreen,
    PauseScreen,
    PausedScreen,
    OpenFileScreen,
    FilesScreen,
    ReceiptScreen,
)
