"""A simulated GSM modem on a pty: a small AT responder that Gammu's real AT driver talks to.

Tests and ``bench/sms.py`` start one (``with AtModem() as modem: modem.device``) and point the
server's ``[sms]`` settings at ``modem.device``: Gammu opens the pty as it would a USB dongle's
``/dev/ttyUSB0`` and runs its whole connection path (wake-up, echo, error mode, identification,
PIN, signal, network, PDU mode, ``AT+CMGS`` with the PDU after the ``>`` prompt). The modem
records every PDU it accepted (``sent``), answers ``+CMGS: <ref>``, and can be switched to act
out the faults the center must see (no SIM, no network, the SMS center refusing, silence).

It is not a GSM network: it sends nothing anywhere. Each sent PDU is kept as hex, in order.
"""

from __future__ import annotations

import contextlib
import os
import select
import termios
import threading
import time
import tty
from dataclasses import dataclass, field

CTRL_Z = b"\x1a"
ESC = b"\x1b"


@dataclass
class ModemState:
    """What the simulated modem answers; tests change it while it runs."""

    sim: str = "READY"  # AT+CPIN?: READY, SIM PIN, or "" for no SIM (+CME ERROR: 10)
    network: int = 1  # AT+CREG?: 1 home, 5 roaming, 0 not registered, 3 denied
    signal: int = 20  # AT+CSQ: 0-31, 99 unknown
    cms_error: int | None = None  # AT+CMGS answers +CMS ERROR: n (e.g. 330 SMSC unknown, 500)
    silent: bool = False  # answers nothing at all (a modem hung or unplugged)
    send_delay_s: float = 0.0  # time the network takes to accept one part (a real one: ~2-6 s)
    smsc: str = "+9613000000"
    delivery_reports: bool = True  # a status report is stored for each part that asked for one
    # From the hold_from-th PDU on, the modem answers nothing until ``release`` is set: a test
    # kills the server while the modem holds a part ("in the middle of sending").
    hold_from: int | None = None
    release: threading.Event = field(default_factory=threading.Event)


@dataclass
class AtModem:
    """A pty whose other end answers AT commands like a GSM modem (one thread)."""

    state: ModemState = field(default_factory=ModemState)
    sent: list[str] = field(default_factory=list)  # accepted PDUs, hex, in order
    commands: list[str] = field(default_factory=list)  # every command line received
    pdus_received: int = 0  # PDUs handed over, answered or not yet
    received_at: list[float] = field(default_factory=list)  # time.time() of each PDU's arrival
    stored: dict[int, tuple[int, str]] = field(default_factory=dict)  # SIM memory: (stat, PDU)
    device: str = ""

    def __post_init__(self) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        attrs = termios.tcgetattr(self._slave)
        attrs[3] &= ~termios.ECHO
        termios.tcsetattr(self._slave, termios.TCSANOW, attrs)
        self.device = os.ttyname(self._slave)
        self._echo = True
        self._pdu_mode = False
        self._ref = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="at-modem", daemon=True)

    def __enter__(self) -> AtModem:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)

    def deliver(self, number: str, text: str) -> None:
        """A citizen's message arrives: stored on the SIM as an SMS-DELIVER (UCS-2)."""
        body = text.encode("utf-16-be")
        tpdu = "04" + _address(number) + "0008" + _STAMP + f"{len(body):02X}" + body.hex().upper()
        self._store(0, _smsc(self.state.smsc) + tpdu)

    def _store(self, stat: int, pdu: str) -> None:
        with self._lock:
            index = max(self.stored, default=0) + 1
            self.stored[index] = (stat, pdu)

    def sent_count(self) -> int:
        with self._lock:
            return len(self.sent)

    # -- the conversation ---------------------------------------------------------------------
    def _write(self, data: bytes) -> None:
        with contextlib.suppress(OSError):
            os.write(self._master, data)

    def _ok(self, *lines: str) -> None:
        body = "".join(f"\r\n{line}\r\n" for line in lines)
        self._write((body + "\r\nOK\r\n").encode())

    def _error(self, text: str = "ERROR") -> None:
        self._write(f"\r\n{text}\r\n".encode())

    def _run(self) -> None:
        buffer = b""
        pending_pdu: int | None = None  # AT+CMGS=<n> seen: collecting the PDU until Ctrl-Z
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self._master, 4096)
            except OSError:
                return
            if self.state.silent:
                continue
            buffer += chunk
            while True:
                if pending_pdu is not None:
                    if ESC in buffer:
                        buffer = buffer.split(ESC, 1)[1]
                        pending_pdu = None
                        self._write(b"\r\nOK\r\n")
                        continue
                    if CTRL_Z not in buffer:
                        break
                    pdu, buffer = buffer.split(CTRL_Z, 1)
                    if self._echo:
                        self._write(pdu + CTRL_Z)
                    self._accept_pdu(pdu.decode(errors="replace").strip())
                    pending_pdu = None
                    continue
                if b"\r" not in buffer:
                    break
                line, buffer = buffer.split(b"\r", 1)
                buffer = buffer.lstrip(b"\n")
                text = line.decode(errors="replace").strip()
                if not text:
                    continue
                if text == ESC.decode():
                    continue
                text = text.lstrip(ESC.decode())
                with self._lock:
                    self.commands.append(text)
                if self._echo:
                    self._write(line + b"\r")
                pending_pdu = self._answer(text)

    def _accept_pdu(self, pdu: str) -> None:
        state = self.state
        with self._lock:
            self.pdus_received += 1  # before the network's delay: "in the middle of sending"
            self.received_at.append(time.time())
            held = state.hold_from is not None and self.pdus_received >= state.hold_from
        if held:
            state.release.wait(60)
        if state.send_delay_s:
            time.sleep(state.send_delay_s)
        if state.cms_error is not None:
            self._error(f"+CMS ERROR: {state.cms_error}")
            return
        if state.network not in (1, 5):
            self._error("+CMS ERROR: 331")  # no network service
            return
        with self._lock:
            self.sent.append(pdu)
            self._ref = (self._ref + 1) % 256
            ref = self._ref
        self._ok(f"+CMGS: {ref}")
        if state.delivery_reports and _asks_report(pdu):
            recipient = _recipient(pdu)
            report = "06" + f"{ref:02X}" + recipient + _STAMP + _STAMP + "00"
            self._store(0, _smsc(state.smsc) + report)

    def _answer(self, cmd: str) -> int | None:
        """Answer one command line; returns the PDU length when a ``>`` prompt was given."""
        upper = cmd.upper()
        state = self.state
        if upper in ("AT", "ATZ", "AT&F"):
            self._ok()
        elif upper in ("ATE1", "ATE0"):
            self._echo = upper == "ATE1"
            self._ok()
        elif upper == "AT+CMEE=1" or upper == "AT+CMEE=2":
            self._ok()
        elif upper == "AT+CGMI":
            self._ok("Nafitha")
        elif upper == "AT+CGMM":
            self._ok("Simulated GSM modem")
        elif upper == "AT+CGMR":
            self._ok("1.0")
        elif upper in ("AT+CGSN", "AT+GSN"):
            self._ok("356938035643809")
        elif upper == "AT+CIMI":
            if not state.sim:
                self._error("+CME ERROR: 10")
            else:
                self._ok("415010000000001")
        elif upper == "AT+CPIN?":
            if not state.sim:
                self._error("+CME ERROR: 10")
            else:
                self._ok(f"+CPIN: {state.sim}")
        elif upper == "AT+CSQ":
            self._ok(f"+CSQ: {state.signal},99")
        elif upper == "AT+CREG?":
            self._ok(f"+CREG: 0,{state.network}")
        elif upper == "AT+CREG=?":
            self._ok("+CREG: (0-2)")
        elif upper.startswith("AT+CREG="):
            self._ok()
        elif upper == "AT+CGATT?":
            self._ok(f"+CGATT: {int(state.network in (1, 5))}")
        elif upper == "AT+CGREG?":
            self._ok(f"+CGREG: 0,{state.network}")
        elif upper.startswith("AT+CGREG=") or upper.startswith("AT+CFUN="):
            self._ok()
        elif upper == "AT+COPS?":
            self._ok('+COPS: 0,2,"41501"' if state.network in (1, 5) else "+COPS: 0")
        elif upper.startswith("AT+COPS="):
            self._ok()
        elif upper == "AT+CSCS=?":
            self._ok('+CSCS: ("GSM","UCS2","IRA")')
        elif upper == "AT+CSCS?":
            self._ok('+CSCS: "GSM"')
        elif upper.startswith("AT+CSCS="):
            self._ok()
        elif upper == "AT+CMGF=?":
            self._ok("+CMGF: (0,1)")
        elif upper == "AT+CMGF?":
            self._ok(f"+CMGF: {0 if self._pdu_mode else 1}")
        elif upper.startswith("AT+CMGF="):
            self._pdu_mode = upper.endswith("0")
            self._ok()
        elif upper == "AT+CSCA?":
            self._ok(f'+CSCA: "{state.smsc}",145')
        elif upper.startswith("AT+CSCA="):
            self._ok()
        elif upper == "AT+CSMS?":
            self._ok("+CSMS: 0,1,1,1")
        elif upper == "AT+CPMS=?":
            self._ok('+CPMS: ("SM"),("SM"),("SM")')
        elif upper == "AT+CPMS?":
            n = len(self.stored)
            self._ok(f'+CPMS: "SM",{n},10,"SM",{n},10,"SM",{n},10')
        elif upper.startswith("AT+CPMS"):
            n = len(self.stored)
            self._ok(f"+CPMS: {n},10,{n},10,{n},10")
        elif upper.startswith("AT+CMGL"):
            lines = []
            with self._lock:
                for index, (stat, pdu) in sorted(self.stored.items()):
                    lines += [f"+CMGL: {index},{stat},,{_tpdu_length(pdu)}", pdu]
            self._ok(*lines)
        elif upper.startswith("AT+CMGR="):
            found = self.stored.get(int(upper.split("=", 1)[1] or 0))
            if found is None:
                self._error("+CMS ERROR: 321")
            else:
                self._ok(f"+CMGR: {found[0]},,{_tpdu_length(found[1])}", found[1])
        elif upper.startswith("AT+CMGD="):
            with self._lock:
                self.stored.pop(int(upper.split("=", 1)[1].split(",")[0] or 0), None)
            self._ok()
        elif upper.startswith("AT+CMGS="):
            if not state.sim:
                self._error("+CMS ERROR: 310")
                return None
            self._write(b"\r\n> ")
            return int(upper.split("=", 1)[1] or 0)
        elif upper.startswith("AT+CNMI"):
            self._ok("+CNMI: (0-2),(0-3),(0-3),(0-2),(0,1)") if upper.endswith("?") else self._ok()
        elif upper.startswith("AT+CSMP"):
            self._ok()
        else:  # AT+MODE=2, AT+CPROT=?, vendor commands: an older modem says ERROR
            self._error()
        return None


_STAMP = "62113201000000"  # 2026-11-23 10:00:00 +00, as semi-octets


def _semi_octets(digits: str) -> str:
    padded = digits + ("F" if len(digits) % 2 else "")
    return "".join(padded[i + 1] + padded[i] for i in range(0, len(padded), 2))


def _address(number: str) -> str:
    """A TP address: digit count, type (international), semi-octets."""
    digits = number.lstrip("+")
    return f"{len(digits):02X}91" + _semi_octets(digits)


def _smsc(number: str) -> str:
    """The SMS center's address as a PDU starts: octet count, type, semi-octets."""
    digits = number.lstrip("+")
    return f"{(len(digits) + 1) // 2 + 1:02X}91" + _semi_octets(digits)


def _tpdu_length(pdu: str) -> int:
    """Octets after the SMS center's address (what +CMGL and +CMGR announce)."""
    return len(pdu) // 2 - 1 - int(pdu[:2], 16)


def _submit(pdu: str) -> str:
    return pdu[2 + 2 * int(pdu[:2], 16) :]


def _asks_report(pdu: str) -> bool:
    """Whether an SMS-SUBMIT has its status-report-request bit (0x20) set."""
    return bool(int(_submit(pdu)[:2], 16) & 0x20)


def _recipient(pdu: str) -> str:
    """The destination address field of an SMS-SUBMIT, as it is (length, type, semi-octets)."""
    tpdu = _submit(pdu)
    digits = int(tpdu[4:6], 16)
    return tpdu[4 : 8 + digits + digits % 2]


__all__ = ["AtModem", "ModemState"]
