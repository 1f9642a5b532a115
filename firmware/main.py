# Starts the band: the board module chosen at deploy (/lib/runwalk_board.py) and the app.
# (Not "board": some ports, nrf among them, have a built-in module of that name,
# and a file cannot shadow a built-in.)
import runwalk_board as board
from runwalk.app import App

App(board.make()).run()
