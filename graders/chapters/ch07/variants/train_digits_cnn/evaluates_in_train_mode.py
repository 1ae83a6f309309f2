"""A model with dropout, evaluated in training mode (no model.eval()): its predictions are noisy."""


def build_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5),
        nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(64, 10),
    )


def evaluate(model, X, y, device="cpu"):
    model.to(device)
    with torch.no_grad():
        predicted = model(X.to(device)).argmax(dim=1)
    return float((predicted == y.to(device)).float().mean())
