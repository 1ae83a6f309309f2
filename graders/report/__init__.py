"""Everything a person reads: terminal tables (:mod:`.terminal`), per-student HTML feedback and
the class summary (:mod:`.html`), exports (:mod:`.exports`). The only place, with ``cli/``,
that uses rich."""
