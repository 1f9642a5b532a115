# Starts the band: the board module chosen at deploy (/lib/runwalk_board.py) and the app.
# (Not "board": some ports, nrf among them, have a built-in module of that name,
# and a file cannot shadow a built-in.)
try:
    import micropython

    # The boards' button handlers run in interrupt context (hard IRQs on rp2 and
    # esp32; the nrf port calls them from its GPIOTE interrupt): an error in one can be reported.
    micropython.alloc_emergency_exception_buf(100)
except (ImportError, AttributeError):  # CPython, or a port without it
    pass

import runwalk_board as board
from runwalk.app import App

b = board.make()
while True:
    try:
        App(b).run()
    except MemoryError:
        # Not even the built-in workout fits (App.run's guard needs some heap too): never
        # raise out of main.py, where on battery a watchdog would reset the band in a loop.
        # Sleep until the button, then start over.
        import gc

        gc.collect()
        b.motor(0)
        b.sleep_until(None, True)
