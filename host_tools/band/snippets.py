"""The code the host runs on the band through its raw REPL, in one place.

Each piece of device code is written once here and composed by the functions below: the
file hash (h), the listing of /logs (L) and the free-space count (F) are shared by the
commands that need them, and every command still sends one snippet a round trip. The
band's paths and suffixes come from the firmware (runwalk.store), never spelled again.
Snippets stay small: they run in the band's REPL, on a heap of 64 KB or less.
"""

from __future__ import annotations

import base64

from runwalk import store

LOGS = "/" + store.LOGS
CONFIG = "/" + store.CONFIG
GOOD = "/" + store.GOOD
LOG_EXTS = (store.CLOSED_EXT, store.PULLED_EXT, store.OPEN_EXT, store.DAMAGED_EXT)  # every file the host reads

# h(path): a file's SHA-256 in hex, read through one small buffer. Needs hashlib imported.
_HASH = """
import binascii
b=bytearray(512)
m=memoryview(b)
def h(p):
 d=hashlib.sha256()
 with open(p,'rb') as f:
  while True:
   k=f.readinto(b)
   if not k:
    break
   d.update(m[:k])
 return binascii.hexlify(d.digest()).decode()
"""

# L(exts): (name, suffix, path, size) of each file in /logs whose suffix is in exts, by name.
# Directories are skipped: one named like a log (made by hand) failed the whole pull with EISDIR.
_LIST = """
import os
def L(x):
 try:
  ns=os.listdir(%r)
 except OSError:
  ns=[]
 ns.sort()
 for n in ns:
  e=n[n.rfind('.'):]
  if e in x:
   p=%r+n
   try:
    s=os.stat(p)
   except OSError:
    continue
   if not s[0]&0x4000:
    yield n,e,p,s[6]
""" % (LOGS, LOGS + "/")

# F(): free bytes as runwalk.store.free_bytes counts them (a count that wrapped below zero is none).
_FREE = """
import os
def F():
 s=os.statvfs('/')
 return s[0]*s[3] if s[3]<=s[2] else 0
"""


def list_logs() -> str:
    """`name size sha256` a line for each session log ('-' for the hash on a band without hashlib)."""
    return _LIST + "try:\n import hashlib\nexcept ImportError:\n hashlib=None\n" + _HASH + (
        "for n,e,p,z in L(%r):\n print(n,z,h(p) if hashlib else '-')\n" % (LOG_EXTS,))


def file_hashes(paths: list[str], folder: str) -> str:
    """`path sha256` a line ('-' when there is no such file), then `ls` and the names in folder."""
    return "import os,hashlib" + _HASH + """
for p in %r:
 try:
  print(p,h(p))
 except OSError:
  print(p,'-')
try:
 print('ls',' '.join(os.listdir(%r)))
except OSError:
 print('ls')
""" % (paths, folder)


def send(paths: list[str]) -> str:
    """The files whole, each as `F path`, base64 lines, `E path` (host_tools.band.bandfs reads it)."""
    return """
import sys,binascii
b=bytearray(768)
m=memoryview(b)
for n in %r:
 print('F',n)
 with open(n,'rb') as f:
  while True:
   k=f.readinto(b)
   if not k:
    break
   sys.stdout.write(binascii.b2a_base64(m[:k]))
 print('E',n)
""" % (paths,)


def room(need: int, max_config: int) -> str:
    """`free pulled_bytes unpulled`, then the band's config as a bytes literal (b'' when the room is
    there anyway, or no config fits the band's own limit)."""
    return _FREE + _LIST + """
f=F()
p=0
u=0
for n,e,q,z in L(%r):
 if e==%r:
  p+=z
 else:
  u+=1
c=b''
for n in (%r,%r):
 if f+p>=%d:
  break
 try:
  if os.stat(n)[6]<=%d:
   c=open(n,'rb').read()
   break
 except OSError:
  pass
print(f,p,u)
print(c)
""" % ((store.PULLED_EXT, store.CLOSED_EXT), store.PULLED_EXT, GOOD, CONFIG, need, max_config)


def snapshot(files: tuple[str, ...], max_bytes: int) -> str:
    """Everything `runwalk status` reads, as one JSON line; logs counted as {suffix: [count, bytes]}
    (suffix without its dot), files no larger than max_bytes base64, larger ones by their size. fw_file:
    where the firmware runs from (/rom/...: a --romfs deploy; a .py: source)."""
    return "import sys,json,binascii" + _FREE + _LIST + """
r={'platform':sys.platform,'machine':getattr(sys.implementation,'_machine',''),
 'mpy':getattr(sys.implementation,'_mpy',0),'mp':'.'.join([str(x) for x in sys.implementation.version[:3]])}
try:
 import runwalk
 r['fw']=runwalk.VERSION
 r['fw_file']=getattr(runwalk,'__file__','')
except Exception:
 r['fw']=None
try:
 import runwalk_board
 b=runwalk_board.make()
 r['mv']=b.battery_mv()
 r['wall']=b.wall_s()
except Exception as e:
 r['board_error']=repr(e)
r['free']=F()
g={}
for n,e,p,z in L(%r):
 c=g.get(e[1:],[0,0])
 c[0]+=1
 c[1]+=z
 g[e[1:]]=c
r['logs']=g
f={}
for n in %r:
 try:
  z=os.stat('/'+n)[6]
  f[n]=binascii.b2a_base64(open('/'+n,'rb').read()).decode() if z<=%d else z
 except OSError:
  pass
r['files']=f
print(json.dumps(r))
""" % ((store.CLOSED_EXT, store.PULLED_EXT, store.OPEN_EXT, store.DAMAGED_EXT), files, max_bytes)


HARD_RESET = "import machine\nmachine.reset()"  # sent without waiting: the band answers no more


def board(clock: int | None) -> str:
    """Import the board module (an ImportError on a bare board) and set its clock to `clock`,
    Unix seconds (None: leave it)."""
    return "import runwalk_board" + ("" if clock is None else "\nrunwalk_board.set_clock(%d)" % clock)


def identify() -> str:
    """sys.platform, sys.implementation._mpy, its _machine and its version, a line each."""
    return ("import sys\nprint(sys.platform)\nprint(getattr(sys.implementation,'_mpy',0))\n"
            "print(getattr(sys.implementation,'_machine',''))\nprint(sys.implementation.version)")


def exists(path: str) -> str:
    """1 if path exists, else 0."""
    return "import os\ntry:\n os.stat(%r)\n print(1)\nexcept OSError:\n print(0)" % path


def discard(paths: list[str]) -> str:
    """Close the file a write left open (f) and remove paths, quietly: undoes a write cut short."""
    return ("import os\ntry:\n f.close()\nexcept Exception:\n pass\nfor p in %r:\n try:\n  os.remove(p)\n"
            " except OSError:\n  pass" % (paths,))


# A file written in pieces, one round trip each, through a file object `f` kept on the band
# between them (the raw REPL keeps its globals): open_write, write_raw or write_b64, CLOSE_WRITE.
CLOSE_WRITE = "f.close()\ndel f"


def open_write(path: str) -> str:
    return "import binascii\nf=open(%r,'wb')" % path


def write_raw(data: bytes) -> str:
    """data as a bytes literal: short for text (config.json, plan.json)."""
    return "f.write(%r)" % data


def write_b64(data: bytes) -> str:
    """data in base64: short for binary (.mpy)."""
    return "f.write(binascii.a2b_base64(%r))" % base64.b64encode(data).decode()


def commit_staged(paths: list[str], suffix: str, stale: list[str]) -> str:
    """Rename each path+suffix over path, then remove the stale paths."""
    return "import os\nfor p in %r:\n os.rename(p+%r,p)\nfor p in %r:\n os.remove(p)" % (paths, suffix, stale)


def imported_from(modules: tuple[str, ...]) -> str:
    """Import the modules; print each one's __file__, a line each."""
    return "import %s\n%s" % (",".join(modules), "\n".join("print(%s.__file__)" % m for m in modules))


def rename_all(pairs: list[tuple[str, str]]) -> str:
    return "import os\nfor a,b in %r:\n os.rename(a,b)" % (pairs,)


def remove_all(paths: list[str]) -> str:
    return "import os\nfor a in %r:\n os.remove(a)" % (paths,)


def make_dirs(paths: tuple[str, ...]) -> str:
    """Each folder made unless it is there."""
    return "import os\nfor d in %r:\n try:\n  os.mkdir(d)\n except OSError:\n  pass" % (paths,)


def drop_tree(folder: str, files: tuple[str, ...]) -> str:
    """Remove folder's files, then folder, then files; print each file removed."""
    return """
import os
def rm(p):
 try:
  os.remove(p)
  print(p)
 except OSError:
  pass
try:
 for n in os.listdir(%r):
  rm(%r+n)
 os.rmdir(%r)
except OSError:
 pass
for p in %r:
 rm(p)
""" % (folder, folder + "/", folder, files)


def romfs_probe(header: bytes, lib: str) -> str:
    """`partitions size block valid firmware` of ROM partition 0 (host_tools.band.romfs.Partition)."""
    return """
import os
try:
 import vfs
except ImportError:
 vfs=None
n=-1
s=0
b=0
v=0
fw=0
if hasattr(vfs,'rom_ioctl'):
 n=vfs.rom_ioctl(1)
 if n>0:
  d=vfs.rom_ioctl(2,0)
  if isinstance(d,int):
   n=0
  elif hasattr(d,'ioctl'):
   n=-2
  else:
   s=len(d)
   b=vfs.rom_ioctl(6,0)
   b=b if isinstance(b,int) else 0
   v=int(bytes(memoryview(d)[:3])==%r)
   del d
try:
 fw=int('runwalk' in os.listdir(%r))
except OSError:
 pass
print(n,s,b,v,fw)
""" % (header, lib)


# ROM partition 0 through vfs.rom_ioctl (1 count, 2 the partition's memory, 3 erase, 4 write,
# 5 end writing, 6 erase block), as mpremote's `romfs deploy` drives it.
def rom_unmount(path: str) -> str:
    """Unmount the image (no reads of it while it changes) and get ready for rom_write."""
    return "import vfs\nfrom binascii import a2b_base64\ntry:\n vfs.umount(%r)\nexcept OSError:\n pass" % path


def _rom(args: str) -> str:
    """One rom_ioctl call on partition 0; prints its result (0 when that is no number)."""
    return "r=vfs.rom_ioctl(%s)\nprint(r if isinstance(r,int) else 0)" % args


def rom_erase(*args: int) -> str:
    """Erase (length) or (offset, length); prints the minimum write size, or an error below 0."""
    return _rom("3,0," + ",".join(str(a) for a in args))


def rom_write(off: int, data: bytes) -> str:
    return _rom("4,0,%d,a2b_base64(%r)" % (off, base64.b64encode(data).decode()))


def rom_end() -> str:
    return _rom("5,0")


def rom_starts_with(header: bytes) -> str:
    """True or False: the partition starts with header."""
    return "import vfs\nprint(bytes(memoryview(vfs.rom_ioctl(2,0))[:%d])==%r)" % (len(header), header)


def rom_hash(n: int) -> str:
    """SHA-256 in hex of the partition's first n bytes."""
    return ("import vfs,hashlib,binascii\nprint(binascii.hexlify(hashlib.sha256(memoryview(vfs.rom_ioctl(2,0))"
            "[:%d]).digest()).decode())" % n)
