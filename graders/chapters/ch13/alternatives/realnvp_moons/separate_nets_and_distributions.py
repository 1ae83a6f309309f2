"""Correct, written another way: separate s and t networks (LeakyReLU units), s = scale · tanh(·)
with a learnable scale, the complement mask as a second buffer, torch.distributions for the base
density, and its own training setup (4 layers of width 32, batches of 256 drawn without
replacement within an epoch)."""


class AffineCoupling(nn.Module):
    def __init__(self, mask, hidden):
        super().__init__()
        mask = _check_mask(mask)
        d = mask.numel()
        self.register_buffer("mask", mask)
        self.register_buffer("free", 1 - mask)
        self.s_net = nn.Sequential(nn.Linear(d, hidden), nn.LeakyReLU(), nn.Linear(hidden, hidden), nn.LeakyReLU(),
                                   nn.Linear(hidden, d))
        self.t_net = nn.Sequential(nn.Linear(d, hidden), nn.LeakyReLU(), nn.Linear(hidden, hidden), nn.LeakyReLU(),
                                   nn.Linear(hidden, d))
        self.scale = nn.Parameter(torch.ones(d))

    def _st(self, kept):
        return self.scale * torch.tanh(self.s_net(kept)) * self.free, self.t_net(kept) * self.free

    def forward(self, x):
        x = _check_input(x, self.mask.numel(), name="x")
        s, t = self._st(x * self.mask)
        return x * self.mask + self.free * (t + x * s.exp()), torch.sum(s, dim=-1)

    def inverse(self, y):
        y = _check_input(y, self.mask.numel(), name="y")
        s, t = self._st(y * self.mask)
        return y * self.mask + self.free * ((y - t) / s.exp())


class Flow(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.steps = nn.ModuleList(list(layers))

    def forward(self, x):
        total = torch.zeros(x.shape[0], dtype=x.dtype, device=x.device)
        for step in self.steps:
            x, logdet = step(x)
            total += logdet
        return x, total

    def inverse(self, z):
        for step in self.steps[::-1]:
            z = step.inverse(z)
        return z

    def log_prob(self, x):
        z, logdet = self.forward(x)
        base = torch.distributions.Normal(torch.zeros_like(z), torch.ones_like(z))
        return base.log_prob(z).sum(dim=-1) + logdet


def train_flow(X, steps, lr, device="cpu", seed=0):
    device = torch.device(device)
    d = X.shape[1]
    init = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng(devices=[]):
        torch.default_generator.manual_seed(int(torch.randint(0, 2**31, (1,), generator=init)))
        flow = Flow([AffineCoupling(torch.arange(d) % 2 == k % 2, 32) for k in range(4)])
    flow.to(device, X.dtype)
    data = X.to(device)
    opt = torch.optim.Adam(flow.parameters(), lr=lr)
    order = torch.randperm(len(data), generator=init).to(device)
    position = 0
    with torch.enable_grad():
        for _ in range(steps):
            if position + 256 > len(data):
                order, position = torch.randperm(len(data), generator=init).to(device), 0
            batch = data[order[position:position + 256]]
            position += 256
            opt.zero_grad()
            (-flow.log_prob(batch).mean()).backward()
            opt.step()
    return flow
