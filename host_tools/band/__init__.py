"""Talking to the band over USB: the connection, its files, its room, its ROMFS, its energy."""
