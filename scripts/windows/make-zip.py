"""Writes the Windows zip (called by scripts/package-windows).

Arguments: herald.exe, the zip to write, 使用说明.txt; stdin: the site's files, NUL-separated.
zipfile sets the UTF-8 flag on non-ASCII names, which Windows Explorer needs to show Chinese
names; this checks that it did, and that the test-only stand-in DLL is not in the zip.
"""

import sys
import time
import zipfile

exe, out, readme = sys.argv[1:4]
site = [p for p in sys.stdin.buffer.read().decode("utf-8").split("\0") if p]
if not site:
    sys.exit("no site files given (site.yaml, content/)")
top = "宣页网站/"
# Windows keeps the dates of the files it unpacks: one date for all, the time of packing.
stamp = time.localtime()[:6]


def add(z, arcname, data, executable=False):
    info = zipfile.ZipInfo(top + arcname, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o755 if executable else 0o644) << 16
    z.writestr(info, data)


with zipfile.ZipFile(out, "w") as z:
    with open(exe, "rb") as f:
        add(z, "herald.exe", f.read(), executable=True)
    with open(readme, encoding="utf-8") as f:
        # Notepad shows it right with a BOM and CRLF, old versions included.
        text = "\ufeff" + f.read().replace("\r\n", "\n").replace("\n", "\r\n")
    add(z, "使用说明.txt", text.encode("utf-8"))
    for p in site:
        with open(p, "rb") as f:
            add(z, p, f.read())

with zipfile.ZipFile(out) as z:
    names = z.infolist()
    bad = [i.filename for i in names if not i.filename.isascii() and not i.flag_bits & 0x800]
    if bad:
        sys.exit(f"zip names without the UTF-8 flag: {bad}")
    if any("bcryptprimitives" in i.filename.lower() for i in names):
        sys.exit("the test stand-in bcryptprimitives.dll must not be shipped")
    if z.testzip() is not None:
        sys.exit("the zip is damaged")
    print(f"{len(names)} files:")
    for i in names:
        flag = " (UTF-8 name)" if i.flag_bits & 0x800 else ""
        print(f"  {i.file_size:>10}  {i.filename}{flag}")
