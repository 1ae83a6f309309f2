"""The seed ignored: the initialization and the shuffling come from the global RNG."""


def train(model, X, y, epochs=15, device="cpu", seed=0):
    device = torch.device(device)
    for layer in model.modules():
        if hasattr(layer, "reset_parameters"):
            layer.reset_parameters()
    model.to(device).train()
    X, y = X.to(device), y.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(int(epochs)):
        for batch in torch.randperm(len(X)).split(64):
            batch = batch.to(device)
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(X[batch]), y[batch]).backward()
            optimizer.step()
    return model.eval()
