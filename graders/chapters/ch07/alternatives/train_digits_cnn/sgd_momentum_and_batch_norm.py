"""Another model and optimizer: batch norm, dropout, and SGD with momentum, seeded by torch.manual_seed."""


def build_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 24, 3, padding=1), nn.BatchNorm2d(24), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(24, 48, 3, padding=1), nn.BatchNorm2d(48), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.2), nn.Linear(48 * 2 * 2, 10),
    )


def train(model, X, y, epochs=15, device="cpu", seed=0):
    torch.manual_seed(seed)
    for layer in model.modules():
        if hasattr(layer, "reset_parameters"):
            layer.reset_parameters()
    model.to(device).train()
    X, y = X.to(device), y.to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for _ in range(int(epochs)):
        permutation = torch.randperm(len(X)).to(device)
        for start in range(0, len(X), 32):
            batch = permutation[start:start + 32]
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(X[batch]), y[batch]).backward()
            optimizer.step()
    return model


def evaluate(model, X, y, device="cpu"):
    model.to(device)
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(X), 100):
            logits = model(X[start:start + 100].to(device))
            correct += int((logits.argmax(1) == y[start:start + 100].to(device)).sum())
    return correct / len(X)
