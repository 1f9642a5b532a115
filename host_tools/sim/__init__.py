"""The virtual wristband (`runwalk sim`, design 4.4).

The real firmware runs in the real MicroPython unix port, on the `boards/sim.py`
board, with a littlefs2 image file as its flash, behind a pty that the
unmodified `mpremote` talks to as it would to a board.

Modules: `flash` (the image), `deploy` (what a blank image receives),
`bootstrap` (the MicroPython side: mounts the image, runs main.py),
`child` (one MicroPython process on its own pty), `lifecycle` (that process
across resets), `repl` (what a board does around its REPL: Ctrl-C, soft and
hard reset), `hostport` (the pty the host talks to), `buttons` (keys and
`--button-fifo`), `supervisor` (the sim process and its select loop).
"""
