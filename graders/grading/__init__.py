"""Grading one submission, on the grader's side of the trust boundary.

:mod:`.spec` (a chapter's exercises and checks), :mod:`.settings`, :mod:`.submission` (the files
as bytes), :mod:`.client` (a sandboxed worker and its sessions, over :mod:`.protocol`),
:mod:`.runners` and :mod:`.context` (where a check's calls go, and what a check sees),
:mod:`.engine` (exercises and checks in order), :mod:`.outcomes` and :mod:`.result` (how a call
or check ended; the result and its score), :mod:`.forbidden` (the static scan), :mod:`.pretty`
(values and calls as pasteable text), and :mod:`.replay` (a property's examples drawn once and
replayed, their calls planned on the reference).
"""
