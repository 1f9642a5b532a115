"""What the wheel carries (the project's metadata is in pyproject.toml).

Every package under host_tools/ is found, so a new one cannot be left out. The firmware stays
where design.md §2 puts it and is mapped in: firmware/lib/runwalk/ is the `runwalk` package (the
host imports its validator and log decoder), firmware/ becomes host_tools/firmware/ (main.py and
lib/runwalk/: exactly what is copied onto a band) and boards/ becomes host_tools/boards/.
host_tools/firmware_files.py finds them, in a wheel or in a checkout.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["host_tools", "host_tools.*"]), "runwalk", "host_tools.firmware",
              "host_tools.boards"],
    package_dir={"runwalk": "firmware/lib/runwalk", "host_tools.firmware": "firmware", "host_tools.boards": "boards"},
    package_data={"host_tools.firmware": ["lib/runwalk/*.py"]},
)
