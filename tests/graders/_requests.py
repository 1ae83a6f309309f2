"""Counting the requests a grading sends to its worker sessions, and its hypothesis runs."""
from __future__ import annotations


def sent_requests(monkeypatch) -> list[str]:
    """The ops of the session requests sent from now on, in order (until ``monkeypatch`` is undone)."""
    from graders.grading.client import SessionClient
    sent: list[str] = []
    original = SessionClient._send_request

    def counting(self, op, *args, **kwargs):
        sent.append(op)
        return original(self, op, *args, **kwargs)
    monkeypatch.setattr(SessionClient, "_send_request", counting)
    return sent


def property_runs(monkeypatch) -> list[str]:
    """The names of the checks run through hypothesis the usual way from now on (not replayed),
    in order (until ``monkeypatch`` is undone)."""
    from graders.grading import engine
    runs: list[str] = []
    original = engine._run_property

    def counting(check, *args, **kwargs):
        runs.append(check.name)
        return original(check, *args, **kwargs)
    monkeypatch.setattr(engine, "_run_property", counting)
    return runs
