"""A real GSM modem through Gammu's AT driver (python-gammu): the only module importing ``gammu``.

Gammu owns the AT conversation (wake-up, echo, error mode, PIN, network, PDU mode, the
``AT+CMGS`` prompt) and the PDU encoding; this class maps its calls and errors to the sender's
interface. Parts are encoded by ``gammu.EncodeSMS`` (the same cut as ``server.sms.text``, a
property test holds them together) with the concatenation id fixed to the message id modulo 256,
so a retry of the parts left after a failure joins with the parts already on the citizen's phone.
Each part asks for a delivery report (``Type = "Status_Report"`` on a submit is Gammu's way).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import gammu

from server.sms.transport import DeliveryReport, ModemError, Outgoing, Received

# Gammu's errors by what the staff must do about them (docs/sms.md, "Health").
_ABSENT = {
    "ERR_DEVICENOTEXIST",
    "ERR_DEVICEOPENERROR",
    "ERR_DEVICELOCKED",
    "ERR_DEVICENOPERMISSION",
    "ERR_DEVICEBUSY",
    "ERR_DEVICEREADERROR",
    "ERR_DEVICEWRITEERROR",
    "ERR_DEVICENODRIVER",
    "ERR_TIMEOUT",
    "ERR_NOSIM",
    "ERR_SECURITYERROR",
    "ERR_NOTCONNECTED",
}
# A part handed over, then silence: the modem may have sent it (never resent, docs/sms.md).
_AMBIGUOUS = ("ERR_TIMEOUT", "ERR_DEVICEREADERROR", "ERR_DEVICEWRITEERROR")
_NO_NETWORK = {"ERR_NETWORK_ERROR"}
_REGISTERED = {"HomeNetwork", "RoamingNetwork"}


def _fault(exc: gammu.GSMError) -> ModemError:
    name = type(exc).__name__
    info = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {}
    detail = f"{name} in {info.get('Where', '?')}: {info.get('Text', '')}".strip()
    if name in _ABSENT:
        return ModemError("absent", detail)
    if name in _NO_NETWORK:
        return ModemError("no_network", detail)
    return ModemError("rejected", detail)


class GammuModem:
    """One modem on ``device`` (``/dev/ttyUSB0``, a pty in tests) over Gammu ``connection``."""

    def __init__(self, device: str, connection: str = "at") -> None:
        self.device = device
        self.connection = connection
        self._machine: Any = None

    def connect(self) -> None:
        self.close()
        machine = gammu.StateMachine()
        machine.SetConfig(0, {"Device": self.device, "Connection": self.connection, "Model": ""})
        try:
            machine.Init()
        except gammu.GSMError as exc:
            raise _fault(exc) from None
        self._machine = machine

    def close(self) -> None:
        machine, self._machine = self._machine, None
        if machine is not None:
            with contextlib.suppress(gammu.GSMError):
                machine.Terminate()

    def _ready(self) -> Any:
        if self._machine is None:
            self.connect()
        return self._machine

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        machine = self._ready()
        try:
            return getattr(machine, name)(*args, **kwargs)
        except gammu.GSMError as exc:
            fault = _fault(exc)
            if fault.kind == "absent":
                self.close()  # reconnect on the next call
            raise fault from None

    def health(self) -> None:
        security = self._call("GetSecurityStatus")
        if security is not None:
            raise ModemError("absent", f"the SIM asks for {security}")
        network = self._call("GetNetworkInfo")
        if network.get("State") not in _REGISTERED:
            raise ModemError("no_network", f"network state {network.get('State')}")

    def encode(self, message: Outgoing) -> list[dict[str, Any]]:
        """The message's parts as Gammu sends them (concatenation id = message id % 256)."""
        info = {
            "Class": -1,
            "Unicode": message.encoding == "ucs2",
            "Entries": [{"ID": "ConcatenatedTextLong", "Buffer": message.body}],
        }
        parts = gammu.EncodeSMS(info)
        for part in parts:
            udh = part.get("UDH") or {}
            text = udh.get("Text") or b""
            if len(text) >= 6 and text[1] == 0x00:  # 8-bit concatenation: 05 00 03 id total part
                udh["Text"] = text[:3] + bytes([message.id % 256]) + text[4:]
                udh["ID8bit"] = message.id % 256
            part["SMSC"] = {"Location": 1}
            part["Number"] = message.phone
            part["Type"] = "Status_Report"  # a submit that asks for a delivery report
        return parts

    def send(self, message: Outgoing, on_part: Callable[[str], None]) -> None:
        parts = self.encode(message)
        for part in parts[message.parts_sent :]:
            try:
                reference = self._call("SendSMS", part)
            except ModemError as exc:
                if exc.detail.startswith(_AMBIGUOUS):  # no answer after the PDU went out
                    raise ModemError(exc.kind, exc.detail, ambiguous=True) from None
                raise
            on_part(str(reference))

    def was_sent(self, message: Outgoing) -> bool | None:
        return None  # a modem keeps no record we can ask: the sender never resends it

    def receive(self) -> list[Received | DeliveryReport]:
        """What the SIM holds (messages and status reports), each removed once read."""
        found: list[Received | DeliveryReport] = []
        read: list[dict[str, Any]] = []
        where: dict[str, Any] = {"Start": True}
        for _ in range(255):  # a SIM holds a few dozen at most
            try:
                batch = self._call("GetNextSMS", Folder=0, **where)
            except ModemError as exc:
                if "ERR_EMPTY" in exc.detail or "ERR_NOTSUPPORTED" in exc.detail:
                    break
                raise
            if not batch:
                break
            read.extend(batch)
            where = {"Location": batch[-1]["Location"]}
        for sms in read:
            if sms.get("Type") == "Status_Report":
                delivered = sms.get("DeliveryStatus", 0) < 0x20  # TP-Status: 0x00-0x1F done
                found.append(DeliveryReport(str(sms["MessageReference"]), delivered))
            elif sms.get("Type") == "Deliver":
                found.append(Received(sms.get("Number", ""), sms.get("Text") or ""))
            with contextlib.suppress(ModemError):
                self._call("DeleteSMS", sms.get("Folder", 0), sms["Location"])
        return found


__all__ = ["GammuModem"]
