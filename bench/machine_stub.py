# A `machine` module (and `esp32`) for the bench's WebAssembly port, which has none: every name
# it is asked for is an object that takes any call or attribute. Enough for a board
# module to import whole, so its heap (its code and names, and runwalk.edges) can be
# measured (bench/wasmband.mjs boardheap); nothing of it runs.


class _Any:
    def __init__(self, *args, **kw):
        pass

    def __call__(self, *args, **kw):
        return self

    def __getattr__(self, name):
        return self


def __getattr__(name):
    return _Any()
