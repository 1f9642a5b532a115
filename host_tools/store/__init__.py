"""The laptop's session store and the session model read from a log."""
