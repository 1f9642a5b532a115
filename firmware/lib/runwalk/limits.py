# What config.json may hold: each range named once, for the validator
# (runwalk.workout), the stream reader (runwalk.cfgstream) and the host tools
# (through runwalk.workout). Its own module so that the stream reader need not
# bring the validator into the heap; both take what they use and forget it.
# Plain values, not const(): they are read from other modules, where MicroPython
# folds nothing. A field with a default is one tuple (lowest, highest, default):
# one interned name where three would do the same job.
MAX_SEGMENTS = 2000  # what the steps flatten to
MAX_SECONDS = 86400  # a step's s: 1 to this (24 hours)
MAX_LABEL = 24  # a step's label: at most this many characters
MAX_NAME = 40  # the name: 1 to this many characters
MAX_REPEAT = 999  # a repeat block's passes: 1 to this
MAX_DEPTH = 8  # repeat blocks nest this deep
WARN_S = (0, 60, 5)  # seconds
INTENSITY = (10, 100, 80)  # percent
LONG_MS = (500, 10000, 1500)  # button.long_ms
DOUBLE_MS = (100, 1000, 400)  # button.double_ms
