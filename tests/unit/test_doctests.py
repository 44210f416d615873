"""The runnable examples in the core's docstrings are true."""

import doctest
import importlib
import pkgutil

import pytest

import dashboard

MODULES = sorted(m.name for m in pkgutil.iter_modules(dashboard.__path__, "dashboard."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert failures == 0
