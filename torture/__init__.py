"""The power-cut campaign on the virtual wristband: `python -m torture` (see campaign.py)."""
