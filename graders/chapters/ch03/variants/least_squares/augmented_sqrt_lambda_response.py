"""The book's ex 3.4 typo taken literally: ỹ = [y; √λ] instead of [y; 0]."""


def ridge_augmented(X, y, lam):
    p = X.shape[0]
    X_aug = np.hstack([X, np.sqrt(lam) * np.eye(p)])
    y_aug = np.concatenate([y, np.sqrt(lam) * np.ones(p)])
    return X_aug, y_aug
