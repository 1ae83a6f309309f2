# target: ch06/mlp.py
# attacks: ch06.mlp_backprop
# outcome: loses-points
# at-most: 0
# statuses: student_error failed
# message: ^mlp_forward raised ValueError
"""mlp_forward prints and raises, and mlp_backward returns, text made to act on the TA's
terminal or page: ANSI and OSC 8 escapes (clear the screen, a javascript: hyperlink), rich
markup (an unbalanced closing tag, a link), a carriage return before a fake "38 / 38 passed", bidi
overrides and isolates, zero-width characters, NUL, an 8-bit CSI, bell and backspace. Every
command that prints it must show it escaped (tests/graders/cli, tests/graders/report)."""

HOSTILE = '\x1b[2J \x1b]8;;javascript:alert(1)\x07click\x1b]8;;\x07 [/bold] [link=javascript:x]y[/link] \r38 / 38 passed \u202etxt.exe\u202c \u2066x\u2069 a\u200db\u200bc nul\x00 \x9b2J \x07\x08'


def mlp_forward(params, X, act="relu", last_linear=False):
    print(HOSTILE)
    raise ValueError(HOSTILE)


def mlp_backward(params, cache, Y):
    return HOSTILE
