// The heap bench on a 32-bit MicroPython: the WebAssembly port (wasm32: 4-byte
// pointers and object headers, as on the Pico, the XIAO ESP32-C3 and the XIAO
// nRF52840), in Node.js, for `make bench`:
//   node bench/wasmband.mjs MPY_DIR ROOT SCRIPT [board]
//   node bench/wasmband.mjs MPY_DIR ROOT SCRIPT boardheap STUB_DIR
//   node bench/wasmband.mjs MPY_DIR ROOT SCRIPT boardlive STUB_DIR
//   node bench/wasmband.mjs MPY_DIR - - names STUB_DIR MODULE,MODULE,...
//   node bench/wasmband.mjs - - - intern NAMES_JSON
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
// With `names`, MPY_DIR's modules are imported into a fresh interpreter (STUB_DIR's
// `machine` first) and the names they intern are printed: the names a band holds
// for them. With `intern`, the names in NAMES_JSON are interned into a fresh
// interpreter and the heap their pools and text take is printed: what those names
// cost a band (bench/run.py takes off those its port has built in).
// Prints the port's interned-name summary, then one JSON line.
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";
import fs from "fs";
import path from "path";

const [mpyDir, root, script, boardNames] = process.argv.slice(2);
const MODE_ARG = process.argv[6];
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
mp.runPython('import sys\nsys.path[:] = ["/lib"]\nimport gc, micropython');
// Heap held by interned names (their pools and their text), from the port's own count.
function qstrBytes() {
  const before = out;
  out = "";
  mp.runPython("micropython.qstr_info()");
  const m = out.match(/n_total_bytes=(\d+)/);
  out = before;
  return Number(m[1]);
}
function dumpNames() {
  out = "";
  mp.runPython("micropython.qstr_info(1)");
  const names = [];
  for (const l of out.split("\n")) {
    const m = l.match(/^Q\((.*)\)\r?$/);
    if (m) names.push(m[1]);
  }
  out = "";
  return names;
}
if (boardNames === "intern") {
  // getattr() interns the name it is given (mp_obj_str_get_qstr), as loading a .mpy does.
  mp.FS.writeFile("/names.json", fs.readFileSync(MODE_ARG));
  // The harness's code uses only names the port has built in, so the names given
  // start the pools from empty, as a band's own do.
  mp.runPython('import json\nwith open("/names.json") as file:\n    data = json.load(file)\n' +
    "for key in data:\n    getattr(None, key, None)");
  const names = dumpNames();
  const wanted = JSON.parse(fs.readFileSync(MODE_ARG));
  const extra = names.filter((n) => !wanted.includes(n));
  if (extra.length) throw new Error("the harness interned names of its own: " + extra.join(" "));
  process.stdout.write(JSON.stringify({ qstr_bytes: qstrBytes(), interned: names.length, names }) + "\n");
  process.exit(0);
}
copy(mpyDir, "/lib");
if (boardNames === "names") {
  copy(MODE_ARG, "/lib");
  mp.runPython("import machine");
  const stub = dumpNames();  // the stand-in `machine`'s own names: not a band's
  for (const m of process.argv[7].split(",")) mp.runPython("import " + m);
  process.stdout.write(JSON.stringify({ names: dumpNames(), stub }) + "\n");
  process.exit(0);
}
mp.FS.mkdirTree("/band");
mp.FS.writeFile("/band/config.json", fs.readFileSync(path.join(root, "config.json")));
mp.FS.writeFile("/band.script", fs.readFileSync(script));
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
  copy(MODE_ARG, "/lib");
  mp.runPython("import machine\nimport runwalk");
  const before = heap();
  mp.runPython("import runwalk_board");
  process.stdout.write(JSON.stringify({ board_heap: heap() - before }) + "\n");
  process.exit(0);
}
let machineHeap = 0;
let machineNames = 0;
const live = boardNames === "boardlive";
if (live) {
  // The board module imported whole and kept for the whole run, as on a band: its
  // code and names in the same heap and interned-name pools as the firmware's.
  copy(MODE_ARG, "/lib");
  const beforeMachine = heap();
  const namesBefore = qstrBytes();
  mp.runPython("import machine");
  machineHeap = heap() - beforeMachine;  // the stand-in `machine`, which a band has in its firmware
  machineNames = qstrBytes() - namesBefore;
  mp.runPython("import runwalk_board");
} else if (boardNames) {
  mp.runPython("try:\n import runwalk_board\nexcept Exception:\n pass\nsys.modules.pop('runwalk_board', None)");
}
const beforeStandIn = heap();
const standInNamesBefore = live ? qstrBytes() : 0;
mp.runPython("import bandboard");
const standIn = heap() - beforeStandIn;  // the stand-in's code and names (bench/run.py reports it)
const standInNames = live ? qstrBytes() - standInNamesBefore : 0;
const bb = mp.globals.get("bandboard");
const board = bb.BenchBoard(bb.read_script("/band.script"), false);
mp.runPython("from runwalk.app import App");
const importHeap = heap();
const app = mp.globals.get("App")(board, "/band");
app.boot();
const readyHeap = heap();
let peak = readyHeap;
let peakAt = board.t;
// The heap less what interned names hold: names are accounted apart (bench/run.py).
let peakUnnamed = live ? readyHeap - qstrBytes() : 0;
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
  if (live) peakUnnamed = Math.max(peakUnnamed, used - qstrBytes());
}
const names = live ? dumpNames() : [];
mp.runPython("import micropython\nmicropython.qstr_info()");
process.stdout.write(out);
process.stdout.write(JSON.stringify({
  peak, peak_at: peakAt, ended: board.ended, sleeps: board.sleeps, t: board.t,
  import_heap: importHeap, ready_heap: readyHeap, stand_in_heap: standIn, machine_heap: machineHeap,
  peak_unnamed: peakUnnamed, stand_in_names: standInNames, machine_names: machineNames, names,
}) + "\n");
