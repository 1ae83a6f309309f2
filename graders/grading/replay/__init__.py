"""A property check's examples, drawn once per process and replayed for every submission
(:mod:`.examples`), and the replay's calls planned on the reference and made in one stream
(:mod:`.plans`). Neither ever changes a verdict, only how long it takes."""
