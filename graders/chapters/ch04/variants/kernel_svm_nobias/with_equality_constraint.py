"""The biased SVM's dual: adds Σλ_i y_i = 0 (solved by SMO), a constraint the no-bias SVM does not have."""


def ksvm_nobias_fit(K, y, C):
    K, y = np.asarray(K, dtype=float), np.asarray(y, dtype=float)
    Q = np.outer(y, y) * K
    lam = np.zeros(len(y))
    G = -np.ones(len(y))                                  # ∇(½λᵀQλ − 1ᵀλ)
    for _ in range(100000):
        up = ((y > 0) & (lam < C)) | ((y < 0) & (lam > 0))
        low = ((y > 0) & (lam > 0)) | ((y < 0) & (lam < C))
        if not up.any() or not low.any():
            break
        score = -y * G
        i = int(np.flatnonzero(up)[np.argmax(score[up])])
        j = int(np.flatnonzero(low)[np.argmin(score[low])])
        if score[i] - score[j] < 1e-12:
            break
        old_i, old_j = lam[i], lam[j]
        if y[i] != y[j]:
            delta = (-G[i] - G[j]) / max(Q[i, i] + Q[j, j] + 2 * Q[i, j], 1e-12)
            diff = lam[i] - lam[j]
            lam[i] += delta
            lam[j] += delta
            if diff > 0 and lam[j] < 0:
                lam[j], lam[i] = 0.0, diff
            elif diff <= 0 and lam[i] < 0:
                lam[i], lam[j] = 0.0, -diff
            if diff > 0 and lam[i] > C:
                lam[i], lam[j] = C, C - diff
            elif diff <= 0 and lam[j] > C:
                lam[j], lam[i] = C, C + diff
        else:
            delta = (G[i] - G[j]) / max(Q[i, i] + Q[j, j] - 2 * Q[i, j], 1e-12)
            total = lam[i] + lam[j]
            lam[i] -= delta
            lam[j] += delta
            if total > C and lam[i] > C:
                lam[i], lam[j] = C, total - C
            elif total <= C and lam[j] < 0:
                lam[j], lam[i] = 0.0, total
            if total > C and lam[j] > C:
                lam[j], lam[i] = C, total - C
            elif total <= C and lam[i] < 0:
                lam[i], lam[j] = 0.0, total
        G += Q[:, i] * (lam[i] - old_i) + Q[:, j] * (lam[j] - old_j)
    return lam
