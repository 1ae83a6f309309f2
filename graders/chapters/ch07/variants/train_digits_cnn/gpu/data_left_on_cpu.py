"""The model moved to the device but the data left on the CPU (fails only where the device is a GPU)."""


def train(model, X, y, epochs=15, device="cpu", seed=0):
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for layer in model.modules():
            if hasattr(layer, "reset_parameters"):
                layer.reset_parameters()
    order = torch.Generator().manual_seed(seed)
    model.to(device).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(int(epochs)):
        for batch in torch.randperm(len(X), generator=order).split(64):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(X[batch]), y[batch]).backward()
            optimizer.step()
    return model.eval()
