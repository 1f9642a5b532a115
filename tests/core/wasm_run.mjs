// Runs the firmware core's test modules on a 32-bit MicroPython: the WebAssembly
// port (wasm32), in Node.js, for `make core-wasm`. On a 32-bit port small ints
// have 31 bits and time.ticks_* wrap at 2**30, as on the boards; the unix port's
// ticks wrap at 2**62 and its ints never leave the small-int range here.
//   node tests/core/wasm_run.mjs DIR [module ...]
// DIR holds runwalk/*.mpy and tests/*.mpy (the Makefile builds it). Each module
// runs in a fresh interpreter, as `make core-mp` does; exit status 1 on failure.
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";
import fs from "fs";
import path from "path";

const [dir, ...names] = process.argv.slice(2);
const modules = names.length ? names : fs.readdirSync(path.join(dir, "tests"))
  .filter((n) => n.startsWith("test_") && n.endsWith(".mpy")).map((n) => n.slice(0, -4)).sort();

function copy(mp, src, dst) {
  mp.FS.mkdirTree(dst);
  for (const n of fs.readdirSync(src)) mp.FS.writeFile(dst + "/" + n, fs.readFileSync(path.join(src, n)));
}

let failed = 0;
for (const name of modules) {
  let out = "";
  const mp = await loadMicroPython({
    heapsize: 256 * 1024,
    stdout: (d) => { out += Buffer.from(d).toString(); },
    stderr: (d) => { out += Buffer.from(d).toString(); },
    linebuffer: false,
  });
  copy(mp, path.join(dir, "runwalk"), "/lib/runwalk");
  copy(mp, path.join(dir, "tests"), "/tests");
  mp.FS.mkdirTree("/tmp");
  try {
    mp.runPython(`import sys\nsys.path[:] = ["/tests", "/lib"]\nimport mp_run\n_rc = mp_run.main(["${name}"])`);
    if (mp.globals.get("_rc") !== 0) failed += 1;
  } catch (e) {
    out += "FAIL " + name + ": " + e + "\n";
    failed += 1;
  }
  process.stdout.write(out.replace("core tests on micropython", "core tests on 32-bit micropython (wasm)"));
}
process.exit(failed ? 1 : 0);
