"""The mask kept as a plain tensor attribute, not a registered buffer (.to(device) leaves it behind)."""


def _init_plain(self, mask, hidden):
    torch.nn.Module.__init__(self)
    mask = _check_mask(mask)
    d = mask.numel()
    self.net = nn.Sequential(nn.Linear(d, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                             nn.Linear(hidden, 2 * d))
    self.mask = mask


def _init_plain_additive(self, mask, hidden):
    torch.nn.Module.__init__(self)
    mask = _check_mask(mask)
    d = mask.numel()
    self.net = nn.Sequential(nn.Linear(d, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                             nn.Linear(hidden, d))
    self.mask = mask


AffineCoupling.__init__ = _init_plain
AdditiveCoupling.__init__ = _init_plain_additive
