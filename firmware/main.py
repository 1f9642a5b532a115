# Starts the band: the board module chosen at deploy (/lib/board.py) and the app.
import board
from runwalk.app import App

App(board.make()).run()
