# ch07/arch.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""CNN architecture arithmetic (chapter 7): output shapes, receptive fields and parameter counts, and VGG16.

An architecture is a list of layers, each a dict with a ``"type"``:

* ``{"type": "conv", "in": Ci, "out": Co, "k": k, "s": 1, "p": 0, "d": 1}``: a k×k convolution
  with stride s, zero padding p on each side and dilation d (``s``, ``p``, ``d`` optional, with
  these defaults), with a bias per output channel: Co·Ci·k² + Co parameters;
* ``{"type": "pool", "k": k, "s": k}``: a k×k max or average pooling with stride s (``s``
  optional, k by default, as in PyTorch), no padding, no parameters;
* ``{"type": "linear", "in": n_in, "out": n_out}``: a fully connected layer on the flattened
  C·H·W input (n_in = C·H·W), with a bias: n_in·n_out + n_out parameters.

A convolution maps H to ⌊(H + 2p − d(k − 1) − 1)/s⌋ + 1 (a pooling is the case p = 0, d = 1).
The **receptive field** r of an output pixel is the side of the input square it depends on, and
the **jump** j the distance, in input pixels, between two neighbouring output pixels; layer by
layer, from r = j = 1 at the input,

    r ← r + (k − 1)·d·j,    j ← j·s:

a layer widens the field by its (dilated) kernel's extent, measured in the steps of the grid it
reads, which are j input pixels apart. Three 3×3 convolutions see 7×7 pixels, one 7×7 kernel's
field with fewer parameters (the VGG argument, §7.3).
"""
from __future__ import annotations

from ch07._validation import check_int

__all__ = ["out_shapes", "receptive_field", "param_count", "vgg16_layers"]


def out_shapes(layers, in_chw):
    """The (C, H, W) after each layer of an architecture, from the input's (C, H, W).

    Parameters
    ----------
    layers : list of dict
        The architecture (module docstring); a ``conv``'s ``in`` should be the channels it
        receives, a ``linear``'s ``in`` the size C·H·W of what it receives (not checked here).
    in_chw : tuple of three ints (C, H, W)
        The input's channels, height and width.

    Returns
    -------
    shapes : list of tuple (C, H, W), one per layer
        What each layer outputs: a conv (Co, Ho, Wo) with ``Ho = ⌊(H + 2p − d(k − 1) − 1)/s⌋ + 1``,
        a pooling (C, Ho, Wo) with p = 0, d = 1, a linear layer (n_out, 1, 1).

    Raises
    ------
    ValueError
        If a layer has an unknown type or misses a key, or in_chw is not three positive sizes.

    Examples
    --------
    >>> out_shapes([{"type": "conv", "in": 3, "out": 8, "k": 3, "p": 1}, {"type": "pool", "k": 2},
    ...             {"type": "linear", "in": 8 * 16 * 16, "out": 10}], (3, 32, 32))
    [(8, 32, 32), (8, 16, 16), (10, 1, 1)]
    """
    layers = _check_layers(layers)
    C, H, W = _check_chw(in_chw)
    # YOUR CODE HERE
    raise NotImplementedError()


def receptive_field(layers):
    """Receptive field and jump of the last layer's pixels, in input pixels.

    Parameters
    ----------
    layers : list of dict
        conv and pool layers only (module docstring).

    Returns
    -------
    rf : int
        The side of the input square one output pixel depends on: r ← r + (k − 1)·d·j from r = 1.
    jump : int
        The distance in input pixels between two neighbouring output pixels: j ← j·s from j = 1.

    Raises
    ------
    ValueError
        If a layer is a linear layer (its field is the whole input), has an unknown type or misses a key.

    Examples
    --------
    >>> conv3 = {"type": "conv", "in": 1, "out": 1, "k": 3}
    >>> receptive_field([conv3, conv3, conv3])               # three 3×3 convolutions see 7×7
    (7, 1)
    >>> receptive_field([conv3, {"type": "pool", "k": 2}, conv3])
    (8, 2)
    """
    layers = _check_layers(layers)
    for i, layer in enumerate(layers):
        if layer["type"] == "linear":
            raise ValueError(f"receptive_field takes conv and pool layers; got a linear layer at layers[{i}]")
    # YOUR CODE HERE
    raise NotImplementedError()


def param_count(layers):
    """The number of trainable parameters of an architecture, biases included.

    Parameters
    ----------
    layers : list of dict
        The architecture (module docstring).

    Returns
    -------
    count : int
        Σ over conv layers of Co·Ci·k² + Co, plus Σ over linear layers of n_in·n_out + n_out;
        pooling layers have none.

    Raises
    ------
    ValueError
        If a layer has an unknown type or misses a key.

    Examples
    --------
    >>> param_count([{"type": "conv", "in": 3, "out": 64, "k": 3}, {"type": "pool", "k": 2},
    ...              {"type": "linear", "in": 10, "out": 2}])
    1814
    """
    layers = _check_layers(layers)
    # YOUR CODE HERE
    raise NotImplementedError()


def vgg16_layers():
    """VGG16 (configuration D of Simonyan & Zisserman, book ex 7.1) for 224×224 RGB images, 1000 classes.

    Five blocks of 3×3 convolutions (stride 1, padding 1) with 64, 64 | 128, 128 | 256 ×3 | 512 ×3 |
    512 ×3 channels, each block followed by a 2×2 max pooling of stride 2, then three linear layers
    512·7·7 → 4096 → 4096 → 1000 (the ReLUs and dropouts have no parameters and are left out).

    Returns
    -------
    layers : list of dict
        18 conv and pool layers and 3 linear layers, in the module docstring's format: 13
        convolutions with 14,714,688 parameters, 138,357,544 in all.

    Examples
    --------
    >>> layers = vgg16_layers()
    >>> sum(layer["type"] == "conv" for layer in layers), param_count(layers)
    (13, 138357544)
    >>> out_shapes(layers, (3, 224, 224))[17]
    (512, 7, 7)
    """
    # YOUR CODE HERE
    raise NotImplementedError()


_REQUIRED = {"conv": ("in", "out", "k"), "pool": ("k",), "linear": ("in", "out")}


def _check_layers(layers):
    """Validate an architecture; return copies of its layers with the optional keys filled in."""
    if not isinstance(layers, (list, tuple)):
        raise ValueError(f"layers should be a list of dicts; got {type(layers).__name__}")
    checked = []
    for i, layer in enumerate(layers):
        if not isinstance(layer, dict) or layer.get("type") not in _REQUIRED:
            raise ValueError(f"layers[{i}] should be a dict with 'type' in {sorted(_REQUIRED)}; got {layer!r}")
        missing = [key for key in _REQUIRED[layer["type"]] if key not in layer]
        if missing:
            raise ValueError(f"layers[{i}] (a {layer['type']}) misses {missing}; got {layer!r}")
        full = {"s": layer["k"] if layer["type"] == "pool" else 1, "p": 0, "d": 1, **layer}
        for key in ("in", "out", "k", "s", "d"):
            if key in full:
                full[key] = check_int(full[key], name=f"layers[{i}][{key!r}]", lo=1)
        full["p"] = check_int(full["p"], name=f"layers[{i}]['p']", lo=0)
        checked.append(full)
    return checked


def _check_chw(chw):
    """Validate a (C, H, W) triple of positive sizes; return it as three ints."""
    if not isinstance(chw, (tuple, list)) or len(chw) != 3:
        raise ValueError(f"in_chw should be a triple (C, H, W); got in_chw={chw!r}")
    return tuple(check_int(n, name=f"in_chw[{i}]", lo=1) for i, n in enumerate(chw))
