# runwalk firmware core: pure logic, runs on MicroPython and CPython alike.
VERSION = "1.0.0"
