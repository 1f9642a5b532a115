"""The `runwalk` command: configure the band, pull its sessions, export them."""
