"""`runwalk deploy` cut short (Ctrl-C, a lost cable): the runner is told what the band runs now, and
the next deploy finishes the job."""

from __future__ import annotations

from typing import Any

import pytest
from simtools import SimBand

from host_tools.commands import cli, deploy


@pytest.fixture()
def sim(make_band: Any) -> SimBand:
    return make_band(speed=20).start()  # (conftest: switched off after the test)


def _ctrl_c_at_the_third_file(monkeypatch: pytest.MonkeyPatch) -> None:
    real = deploy.stage_file
    calls = []

    def stage(*args: object, **kw: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(deploy, "stage_file", stage)


def test_a_deploy_after_one_cut_short_finishes(sim: SimBand, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: the files the cut deploy had staged were renamed into place by the next deploy and then
    # removed as stale: it failed with "runwalk: OSError: [Errno 2] ENOENT" (the one after that worked).
    monkeypatch.setenv("RUNWALK_PORT", sim.port)
    _ctrl_c_at_the_third_file(monkeypatch)
    assert cli.main(["deploy"]) == 130  # .mpy: the sim's new image holds source
    monkeypatch.undo()
    assert any(n.endswith(deploy.STAGE) for n in sim.list_dir("lib/runwalk"))  # what the cut left
    r = sim.runwalk("deploy")
    assert r.returncode == 0 and "all verified" in r.stdout, r.stderr
    assert not any(n.endswith(deploy.STAGE) for n in sim.list_dir("lib/runwalk"))
    status = sim.runwalk("status").stdout
    assert "up to date (`runwalk deploy` would change nothing)" in status, status


@pytest.mark.parametrize("replace", [False, True])
def test_ctrl_c_mid_deploy_says_what_the_band_runs(sim: SimBand, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str], replace: bool) -> None:
    # Before: "runwalk: interrupted", whether the old firmware was still whole or (--replace) gone.
    monkeypatch.setenv("RUNWALK_PORT", sim.port)
    _ctrl_c_at_the_third_file(monkeypatch)
    code = cli.main(["deploy"] + (["--replace"] if replace else []))
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 130 and len(err) == 1 and err[0].startswith("runwalk: interrupted; "), err
    monkeypatch.undo()
    firmware = [ln for ln in sim.runwalk("status").stdout.splitlines() if ln.startswith("  firmware")][0]
    if replace:
        assert "the band has no app until a deploy ends: run `runwalk deploy --replace` again" in err[0]
        assert "none on the band" in firmware
    else:
        assert err[0] == "runwalk: interrupted; nothing was deployed (the firmware on the band is unchanged)"
        assert "1.0.0 on the band" in firmware
    r = sim.runwalk("deploy", *(["--replace"] if replace else []))
    assert r.returncode == 0 and "all verified" in r.stdout, r.stderr
