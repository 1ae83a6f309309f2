"""Counting the requests a grading sends to its worker sessions."""
from __future__ import annotations


def sent_requests(monkeypatch) -> list[str]:
    """The ops of the session requests sent from now on, in order (until ``monkeypatch`` is undone)."""
    from graders.client import Session
    sent: list[str] = []
    original = Session._send_request

    def counting(self, op, *args, **kwargs):
        sent.append(op)
        return original(self, op, *args, **kwargs)
    monkeypatch.setattr(Session, "_send_request", counting)
    return sent
