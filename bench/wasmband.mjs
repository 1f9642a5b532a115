// The heap bench on a 32-bit MicroPython: the WebAssembly port (wasm32: 4-byte
// pointers and object headers, as on the Pico, the XIAO ESP32-C3 and the XIAO
// nRF52840), in Node.js, for `make bench`:
//   node bench/wasmband.mjs MPY_DIR ROOT SCRIPT [board]
//   node bench/wasmband.mjs MPY_DIR ROOT SCRIPT boardheap STUB_DIR
//   node bench/wasmband.mjs MPY_DIR ROOT SCRIPT boardlive STUB_DIR
// MPY_DIR holds the firmware and bench/bandboard.py as .mpy files (bench/run.py
// builds it); ROOT holds config.json; SCRIPT has `<ms> down|up` lines. They are
// copied into the port's in-memory filesystem, and the app loop runs one wake
// per call from here: this port collects garbage only between calls from
// JavaScript (it cannot scan the WebAssembly stack), so the heap in use is
// measured after each wake, as the unix run does at each sleep.
// With `board`, MPY_DIR's runwalk_board.mpy (a real board module) is loaded
// first for its names (bench/bandrun.py says why). With `boardheap`, that board
// module is imported whole instead, with STUB_DIR's stand-in `machine` module,
// and only the heap it takes (its code, names and runwalk.edges) is printed.
// With `boardlive`, that board module is imported whole (STUB_DIR's `machine`)
// and kept for the whole run, as a band keeps it; the heap the stand-in
// `machine` took is printed too (a band has `machine` in its firmware).
// Prints the port's interned-name summary, then one JSON line.
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";
import fs from "fs";
import path from "path";

const [mpyDir, root, script, boardNames] = process.argv.slice(2);
let out = "";
const mp = await loadMicroPython({
  heapsize: 64 * 1024,
  stdout: (d) => { out += Buffer.from(d).toString(); },
  linebuffer: false,
});

function copy(src, dst) {
  mp.FS.mkdirTree(dst);
  for (const n of fs.readdirSync(src)) {
    const p = path.join(src, n);
    if (fs.statSync(p).isDirectory()) copy(p, dst + "/" + n);
    else mp.FS.writeFile(dst + "/" + n, fs.readFileSync(p));
  }
}
copy(mpyDir, "/lib");
mp.FS.mkdirTree("/band");
mp.FS.writeFile("/band/config.json", fs.readFileSync(path.join(root, "config.json")));
mp.FS.writeFile("/band.script", fs.readFileSync(script));

mp.runPython('import sys\nsys.path[:] = ["/lib"]\nimport gc');
// Each attribute fetched from Python hands JavaScript a new proxy, which the
// port keeps alive: every callable is fetched once.
const gc = mp.globals.get("gc");
const collect = gc.collect;
const memAlloc = gc.mem_alloc;
function heap() {
  collect();
  return memAlloc();
}
if (boardNames === "boardheap") {
  copy(process.argv[6], "/lib");
  mp.runPython("import machine\nimport runwalk.ticks");
  const before = heap();
  mp.runPython("import runwalk_board");
  process.stdout.write(JSON.stringify({ board_heap: heap() - before }) + "\n");
  process.exit(0);
}
let machineHeap = 0;
if (boardNames === "boardlive") {
  // The board module imported whole and kept for the whole run, as on a band: its
  // code and names in the same heap and interned-name pools as the firmware's.
  copy(process.argv[6], "/lib");
  const beforeMachine = heap();
  mp.runPython("import machine");
  machineHeap = heap() - beforeMachine;  // the stand-in `machine`, which a band has in its firmware
  mp.runPython("import runwalk_board");
} else if (boardNames) {
  mp.runPython("try:\n import runwalk_board\nexcept Exception:\n pass\nsys.modules.pop('runwalk_board', None)");
}
const beforeStandIn = heap();
mp.runPython("import bandboard");
const standIn = heap() - beforeStandIn;  // the stand-in's code and names (bench/run.py reports it)
const bb = mp.globals.get("bandboard");
const board = bb.BenchBoard(bb.read_script("/band.script"), false);
mp.runPython("from runwalk.app import App");
const importHeap = heap();
const app = mp.globals.get("App")(board, "/band");
app.boot();
const readyHeap = heap();
let peak = readyHeap;
let peakAt = board.t;
const step = app.step;
const sleepUntil = board.sleep_until;
for (;;) {
  try {
    sleepUntil(step());
  } catch (e) {
    if (String(e).includes("StopIteration")) break;
    throw e;
  }
  const used = heap();
  if (used > peak) {
    peak = used;
    peakAt = board.t;
  }
}
mp.runPython("import micropython\nmicropython.qstr_info()");
process.stdout.write(out);
process.stdout.write(JSON.stringify({
  peak, peak_at: peakAt, ended: board.ended, sleeps: board.sleeps, t: board.t,
  import_heap: importHeap, ready_heap: readyHeap, stand_in_heap: standIn, machine_heap: machineHeap,
}) + "\n");
