"""Text messages through a GSM modem (docs/sms.md): encoding, transports, the sender worker."""
