"""``graders.grading.returns``: the conversions of a student's value (as_array, as_float, as_int,
as_bool, as_sequence, describe) and the return declarations (Array, Float, Int, Bool, Tuple,
List, Record, Anything), what they accept, what they refuse, and the messages they fail with."""
from __future__ import annotations

import numpy as np
import pytest

from graders.grading.outcomes import CheckFailed
from graders.grading.returns import (
    Anything,
    Array,
    Bool,
    Float,
    Int,
    List,
    Record,
    Tensor,
    Tuple,
    as_array,
    as_bool,
    as_float,
    as_int,
    as_sequence,
    describe,
)
from graders.worker.wire import Handle, TensorData


def _message(convert, *args, **kwargs) -> str:
    with pytest.raises(CheckFailed) as info:
        convert(*args, **kwargs)
    return info.value.message


# --------------------------------------------------------------------------- describe
@pytest.mark.parametrize("value, words", [
    (Handle(1, 2, "Linear"), "a Linear object"),
    (np.zeros((2, 3)), "an array of shape (2, 3) and dtype float64"),
    (TensorData(np.zeros(2, dtype=np.float32), "bfloat16"), "a torch tensor of shape (2,) and dtype bfloat16"),
    ([1, 2, 3], "a list of 3 items"),
    ((1,), "a tuple of 1 items"),
    (None, "None"),
    (1.5, "a float (1.5)"),
    ("hi", "a str ('hi')"),
    ({"a": 1}, "a dict ({'a': 1})"),
    (True, "a bool (True)"),
])
def test_describe(value, words):
    assert describe(value) == words


def test_describe_shortens_long_values():
    assert len(describe("x" * 1000)) < 120


# --------------------------------------------------------------------------- as_array
def test_as_array_accepts_arrays_lists_tuples_and_numbers():
    a = np.arange(6.0).reshape(2, 3)
    assert as_array(a, name="A") is a
    np.testing.assert_array_equal(as_array([[1, 2], [3, 4]], name="A"), [[1, 2], [3, 4]])
    assert as_array((1.0, 2.0), name="v").shape == (2,)
    assert as_array(3, name="s").shape == ()
    assert as_array([True, False], name="m").dtype == bool
    assert as_array([1 + 2j], name="z").dtype.kind == "c"


def test_as_array_checks_shape_and_ndim():
    assert as_array([1.0, 2.0, 3.0], name="v", shape=(3,)).shape == (3,)
    assert as_array(np.zeros((2, 2)), name="A", ndim=2).shape == (2, 2)
    assert _message(as_array, np.zeros(2), name="v", shape=(3,)) == "v should have shape (3,); got shape (2,)"
    assert _message(as_array, np.zeros(3), name="A", shape=[3, 1]) == "A should have shape (3, 1); got shape (3,)"
    assert _message(as_array, [1.0, 2.0], name="A", ndim=2) == "A should be a 2-d array; got shape (2,)"
    # ndim is checked before shape
    assert _message(as_array, [1.0, 2.0], name="A", ndim=2, shape=(2, 1)) == "A should be a 2-d array; got shape (2,)"


def test_a_ragged_list_is_not_an_array():
    assert _message(as_array, [[1.0, 2.0], [3.0]], name="X") == \
        "X should be an array; got a list of 2 items that is not rectangular"


@pytest.mark.parametrize("value", [["a", "b"], [None, 1.0], [[1.0], ["x"]], [{"a": 1}]])
def test_a_list_of_non_numbers_is_refused(value):
    assert _message(as_array, value, name="X").startswith("X should be a numeric array; got a list of")


@pytest.mark.parametrize("value, words", [
    (None, "None"),
    ("1.0", "a str ('1.0')"),
    ({"w": 1.0}, "a dict ({'w': 1.0})"),
    (Handle(1, 2, "Linear"), "a Linear object"),
])
def test_as_array_refuses_what_is_not_an_array(value, words):
    assert _message(as_array, value, name="X") == f"X should be an array; got {words}"


def test_tensor_data_is_an_array_only_with_tensor_true():
    data = TensorData(np.arange(3.0, dtype=np.float32), "float32")
    assert _message(as_array, data, name="t") == \
        "t should be a numpy array; got a torch tensor of shape (3,) and dtype float32"
    assert as_array(data, name="t", tensor=True) is data.array
    assert _message(as_array, data, name="t", tensor=True, shape=(2,)) == "t should have shape (2,); got shape (3,)"


@pytest.mark.parametrize("value", [np.array([1.0, None], dtype=object), np.array(["a", "b"])])
def test_an_ndarray_of_a_non_numeric_dtype_is_refused(value):
    with pytest.raises(CheckFailed):
        as_array(value, name="X")


# --------------------------------------------------------------------------- as_float / as_int / as_bool
@pytest.mark.parametrize("value, number", [
    (2, 2.0), (2.5, 2.5), (np.float64(2.5), 2.5), (np.array(2.5), 2.5), (np.array([2.5]), 2.5),
    (np.array([[7]]), 7.0), (np.array([3], dtype=np.uint8), 3.0),
    (TensorData(np.array(3.0, dtype=np.float32), "float32"), 3.0),
])
def test_as_float_accepts_numbers_and_one_element_arrays(value, number):
    got = as_float(value, name="loss")
    assert type(got) is float and got == number


@pytest.mark.parametrize("value, words", [
    (True, "a bool (True)"),
    (None, "None"),
    ("1.0", "a str ('1.0')"),
    (np.array([1.0, 2.0]), "an array of shape (2,) and dtype float64"),
    (np.array([True]), "an array of shape (1,) and dtype bool"),
    (np.array(1 + 1j), "an array of shape () and dtype complex128"),
    (np.zeros(0), "an array of shape (0,) and dtype float64"),
    (1 + 0j, "a complex ((1+0j))"),
    ([1.0], "a list of 1 items"),
    (Handle(0, 1, "Net"), "a Net object"),
])
def test_as_float_refuses_bools_and_non_numbers(value, words):
    assert _message(as_float, value, name="loss") == f"loss should be a number; got {words}"


def test_as_int():
    assert as_int(3, name="k") == 3
    assert as_int(np.array(4), name="k") == 4 and type(as_int(np.array([4]), name="k")) is int
    assert _message(as_int, 3.0, name="k") == "k should be an integer; got a float (3.0)"
    assert _message(as_int, True, name="k") == "k should be an integer; got a bool (True)"
    assert _message(as_int, np.array(4.0), name="k") == \
        "k should be an integer; got an array of shape () and dtype float64"
    assert _message(as_int, np.array([1, 2]), name="k").startswith("k should be an integer; got an array of shape (2,)")


def test_as_bool():
    assert as_bool(True, name="ok") is True and as_bool(False, name="ok") is False
    assert as_bool(np.array(True), name="ok") is True
    assert as_bool(np.array([False]), name="ok") is False
    assert _message(as_bool, 1, name="ok") == "ok should be True or False; got a int (1)"
    assert _message(as_bool, 0.0, name="ok") == "ok should be True or False; got a float (0.0)"
    assert _message(as_bool, np.array([True, False]), name="ok").startswith("ok should be True or False; got an array")
    assert _message(as_bool, None, name="ok") == "ok should be True or False; got None"


def test_as_sequence():
    assert as_sequence((1, 2), name="s") == [1, 2]
    assert as_sequence([1, 2], name="s", length=2) == [1, 2]
    assert _message(as_sequence, (1, 2), name="s", length=3) == "s should have 3 items; got 2"
    assert _message(as_sequence, np.zeros(2), name="s") == \
        "s should be a list or tuple; got an array of shape (2,) and dtype float64"
    assert _message(as_sequence, {"a": 1}, name="s").startswith("s should be a list or tuple; got a dict")


# --------------------------------------------------------------------------- declarations
def test_array_declaration_names_the_function_result():
    np.testing.assert_array_equal(Array(shape=(2,)).convert([1, 2], "vec"), [1, 2])
    assert _message(Array(shape=(3,)).convert, np.zeros(2), "vec") == \
        "the result of vec should have shape (3,); got shape (2,)"
    assert _message(Array(ndim=2).convert, np.zeros(2), "f") == "the result of f should be a 2-d array; got shape (2,)"
    assert _message(Array(shape=(3,), label="θ").convert, np.zeros(2), "f") == \
        "θ should have shape (3,); got shape (2,)"


def test_array_declaration_takes_a_tensor_only_where_declared():
    data = TensorData(np.zeros((2, 2), dtype=np.float32), "float32")
    assert Array(shape=(2, 2), tensor=True).convert(data, "net").shape == (2, 2)
    assert _message(Array(shape=(2, 2)).convert, data, "net").startswith(
        "the result of net should be a numpy array; got a torch tensor")


def test_array_declaration_shape_entries_are_ints():
    assert Array(shape=[np.int64(2), 3.0]).shape == (2, 3)


def test_scalar_declarations():
    assert Float().convert(1, "f") == 1.0
    assert _message(Float().convert, True, "f") == "the result of f should be a number; got a bool (True)"
    assert Int().convert(5, "f") == 5
    assert _message(Int().convert, 1.0, "f") == "the result of f should be an integer; got a float (1.0)"
    assert Bool().convert(False, "f") is False
    assert _message(Bool().convert, 1, "f") == "the result of f should be True or False; got a int (1)"
    assert _message(Float(label="the loss").convert, None, "f") == "the loss should be a number; got None"


def test_anything_passes_the_value_as_it_came():
    marker = object()
    assert Anything().convert(marker, "f") is marker
    assert Tuple(Anything(), Int()).convert([marker, 2], "f") == (marker, 2)


def test_tuple_converts_each_item_and_names_its_place():
    result = Tuple(Array(shape=(2,)), Float()).convert((np.zeros(2), 1), "momentum_step")
    assert isinstance(result, tuple) and result[1] == 1.0 and type(result[1]) is float
    assert Tuple(Int(), Int()).convert([1, 2], "f") == (1, 2)
    assert _message(Tuple(Array(shape=(2,)), Float()).convert, (np.zeros(2), "x"), "f") == \
        "the result of f[1] should be a number; got a str ('x')"
    assert _message(Tuple(Array(shape=(2,)), Float()).convert, (np.zeros(3), 1.0), "f") == \
        "the result of f[0] should have shape (2,); got shape (3,)"
    assert _message(Tuple(Float(), Float()).convert, (1.0,), "f") == "the result of f should have 2 items; got 1"
    assert _message(Tuple(Float(), Float()).convert, 1.0, "f") == \
        "the result of f should be a list or tuple; got a float (1.0)"


def test_a_labelled_item_of_a_tuple_is_named_by_its_label():
    assert _message(Tuple(Array(shape=(2,)), Float(label="loss")).convert, (np.zeros(2), "x"), "f") == \
        "loss should be a number; got a str ('x')"
    assert _message(Tuple(Float(), Float(), label="the pair").convert, (1.0, None), "f") == \
        "the pair[1] should be a number; got None"


def test_list_converts_every_item():
    assert List(Int()).convert((1, 2, 3), "f") == [1, 2, 3]
    assert List(Float(), length=0).convert([], "f") == []
    assert _message(List(Int(), length=2).convert, [1, 2.5], "f") == \
        "the result of f[1] should be an integer; got a float (2.5)"
    assert _message(List(Int(), length=2).convert, [1, 2, 3], "f") == "the result of f should have 2 items; got 3"
    shapes = [a.shape for a in List(Array(ndim=1)).convert([[1.0], [1.0, 2.0]], "f")]
    assert shapes == [(1,), (2,)]


def test_record_converts_its_fields_and_keeps_the_others():
    result = Record(w=Array(shape=(2,)), b=Float()).convert({"w": [1.0, 2.0], "b": 1, "extra": "e"}, "svm")
    assert set(result) == {"w", "b", "extra"}
    assert isinstance(result["w"], np.ndarray) and result["b"] == 1.0 and type(result["b"]) is float
    assert result["extra"] == "e"


def test_record_messages():
    spec = Record(w=Array(ndim=1), b=Float())
    assert _message(spec.convert, {"w": [1.0, 2.0]}, "svm") == "the result of svm should have the key 'b'; it has 'w'"
    assert _message(spec.convert, {}, "svm") == "the result of svm should have the key 'w'; it has no keys"
    assert _message(spec.convert, [1.0], "svm") == \
        "the result of svm should be a dict with keys 'w', 'b'; got a list of 1 items"
    assert _message(Record(w=Array(shape=(2,))).convert, {"w": [1.0]}, "svm") == \
        "the result of svm['w'] should have shape (2,); got shape (1,)"


def test_nested_paths():
    spec = Record(p=Tuple(Float(), List(Int())))
    assert _message(spec.convert, {"p": (1.0, None)}, "fit") == \
        "the result of fit['p'][1] should be a list or tuple; got None"
    assert _message(spec.convert, {"p": (1.0, [1, 2, True])}, "fit") == \
        "the result of fit['p'][1][2] should be an integer; got a bool (True)"
    nested = Tuple(Record(w=Array(shape=(2,))), Float())
    assert _message(nested.convert, ({"w": [0.0]}, 1.0), "step") == \
        "the result of step[0]['w'] should have shape (2,); got shape (1,)"


def test_tensor_declaration_checks_tensorness_dtype_device_and_shape():
    value = TensorData(np.arange(6.0).reshape(2, 3), "float64", "cpu", False)
    assert Tensor((2, 3)).convert(value, "f").tolist() == [[0, 1, 2], [3, 4, 5]]
    assert Tensor(None, "float64").convert(value, "f").shape == (2, 3)
    with pytest.raises(CheckFailed, match="should be a torch tensor"):
        Tensor((2, 3)).convert(np.zeros((2, 3)), "f")
    with pytest.raises(CheckFailed, match="should keep the dtype torch.float32; got torch.float64"):
        Tensor((2, 3), "float32").convert(value, "f")
    with pytest.raises(CheckFailed, match="should be on the device 'cuda'; got a tensor on 'cpu'"):
        Tensor((2, 3), device="cuda").convert(value, "f")
    with pytest.raises(CheckFailed, match=r"should have shape \(3, 2\)"):
        Tensor((3, 2)).convert(value, "f")


def test_a_tensor_argument_carries_its_values_in_its_own_dtype():
    from graders.grading.context import CheckContext

    sent = CheckContext.tensor(np.ones(3), dtype="float32")
    assert sent.array.dtype == np.float32 and sent.dtype == "float32"
    assert CheckContext.tensor([1, 0], dtype="bool").array.dtype == np.bool_
    with pytest.raises(ValueError, match="dtype='float8' should be one of"):
        CheckContext.tensor(np.ones(3), dtype="float8")
