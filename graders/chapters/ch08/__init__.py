"""Chapter 8 — Graph neural networks. scikit-learn, POT and networkx are the grader's oracles
(networkx decides isomorphism and runs Weisfeiler–Lehman) and are forbidden in the submission."""
from graders.authoring import Chapter

chapter = Chapter("ch08", title="Graph neural networks", preload=("numpy",),
                  forbidden=("sklearn", "ot", "networkx"),
                  exercises=("graph_iso", "wl_test", "gin", "word2vec", "graph_embedding", "sym_graphs"))
