#!/usr/bin/env bash
# make verify: report.html as a reader sees it. A coarse CS-3 run writes its
# report (run --report); headless Chromium (Debian package `chromium`)
# loads it from the disk with no network, dumps the DOM, takes a 1280 x
# 4000 screenshot and prints it to PDF. The check fails unless
#   - the page as the browser parsed it shows the headline: the hottest
#     junction of summary.json (to 0.01 C) and the verdict in the headline
#     cards, and its result table holds a row for every value of
#     summary.json (so no markup swallowed a part of the page);
#   - every image is a data URI (nothing to fetch: the page works offline);
#   - the screenshot is not blank: its top (the headline and the limits) has
#     text and colour, among them the verdict card's green or red;
#   - the PDF has pages and carries the figures.
# Then a sweep's report, rendered the same way, must show its first limit
# to break. Files in build/report-check (look at report.png).
set -euo pipefail
cd "$(dirname "$0")/.."
EBSIM=${EBSIM:-./ebsim}
OUT=${OUT:-build/report-check}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$CHROMIUM" ]; then
  echo "report_check: Chromium is not installed: apt-get install chromium" >&2
  exit 1
fi
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

run=0
"$EBSIM" run cases/cs3.yaml --set grid.dx_mm=4 --out "$OUT/run" --quiet --report \
  >"$OUT/run.log" 2>&1 || run=$?
if [ "$run" -ne 0 ] && [ "$run" -ne 3 ]; then
  cat "$OUT/run.log" >&2
  echo "report_check: the run failed (exit $run)" >&2
  exit 1
fi

# Chromium, headless, offline; its own profile in $OUT (no state shared with
# a desktop session); its chatter (D-Bus, GPU) to a log.
chrome() {
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$OUT/profile" --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' \
    "$@" 2>>"$OUT/chromium.log"
}
render() { # page, stem
  chrome --dump-dom "file://$1" >"$OUT/$2.dom.html"
  chrome --screenshot="$OUT/$2.png" --window-size=1280,4000 "file://$1" >/dev/null
  chrome --print-to-pdf="$OUT/$2.pdf" --no-pdf-header-footer "file://$1" >/dev/null
}
render "$OUT/run/report.html" report

ebsim_sweep=0
"$EBSIM" sweep cases/cs3.yaml --set grid.dx_mm=8 --param power.total_kw=25,35 --jobs 1 \
  --out "$OUT/sweep" --quiet --report >"$OUT/sweep.log" 2>&1 || ebsim_sweep=$?
if [ "$ebsim_sweep" -ne 0 ]; then
  cat "$OUT/sweep.log" >&2
  echo "report_check: the sweep failed (exit $ebsim_sweep)" >&2
  exit 1
fi
render "$OUT/sweep/report.html" sweep

python3 - "$OUT" <<'EOF'
import html.parser, json, re, struct, sys, zlib

out = sys.argv[1]
fail = []

class Text(html.parser.HTMLParser):
    """The page's text, and the text inside the element with id=headline."""
    def __init__(self):
        super().__init__()
        self.parts, self.head, self.depth, self.imgs = [], [], 0, []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.handle_data(" ")
        if self.depth: self.depth += 1
        elif a.get("id") == "headline": self.depth = 1
        if tag == "img": self.imgs.append(a.get("src") or "")
    def handle_endtag(self, tag):
        self.handle_data(" ")
        if self.depth: self.depth -= 1
    def handle_data(self, d):
        self.parts.append(d)
        if self.depth: self.head.append(d)

def page(stem):
    t = Text()
    t.feed(open(f"{out}/{stem}.dom.html", encoding="utf-8").read())
    norm = lambda s: re.sub(r"\s+", " ", s.replace("\xa0", " "))
    return t, norm("".join(t.parts)), norm("".join(t.head))

def png_top(path, rows):
    """The first `rows` rows of an 8-bit RGB(A) PNG as lists of (r, g, b)."""
    d = open(path, "rb").read()
    if d[:8] != b"\x89PNG\r\n\x1a\n": raise ValueError("not a PNG")
    i, idat = 8, b""
    while i < len(d):
        n, = struct.unpack(">I", d[i:i + 4]); t = d[i + 4:i + 8]; c = d[i + 8:i + 8 + n]; i += 12 + n
        if t == b"IHDR": w, h, bd, ct = struct.unpack(">IIBB", c[:10])
        elif t == b"IDAT": idat += c
    if bd != 8 or ct not in (2, 6): raise ValueError(f"PNG of depth {bd}, colour type {ct}")
    bpp = 3 if ct == 2 else 4
    raw = zlib.decompressobj().decompress(idat, (w * bpp + 1) * min(rows, h))
    prev, k, img = bytearray(w * bpp), 0, []
    for y in range(min(rows, h)):
        f, line = raw[k], bytearray(raw[k + 1:k + 1 + w * bpp]); k += 1 + w * bpp
        if f == 2: line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f:
            for x in range(len(line)):
                a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
                if f == 1: line[x] = (line[x] + a) & 255
                elif f == 3: line[x] = (line[x] + ((a + b) >> 1)) & 255
                else:
                    pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                    line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        img.append([tuple(line[x:x + 3]) for x in range(0, len(line), bpp)]); prev = line
    return img

def near(px, rgb, tol=40):
    return all(abs(p - q) <= tol for p, q in zip(px, rgb))

# --- the run's page -----------------------------------------------------------------------
s = json.load(open(f"{out}/run/summary.json"))
t, text, head = page("report")
tj = f"{s['t_max_c']:.2f}"
n_broken = sum(1 for l in s["limits"].values() if not l["ok"])
verdict = "every limit holds" if s["all_limits_ok"] else f"{n_broken} limit{'s' if n_broken > 1 else ''} broken"
if tj not in head: fail.append(f"the headline does not show the hottest junction {tj} C: {head[:300]!r}")
if verdict not in head: fail.append(f"the headline does not show the verdict '{verdict}'")
n_values = sum(1 for k in s if k not in ("ebsim_version", "units", "limits"))
dom = open(f"{out}/report.dom.html", encoding="utf-8").read()
rows = len(re.findall(r'<tr data-name="', dom[dom.find('id="results-table"'):]))
if rows != n_values: fail.append(f"the parsed result table has {rows} rows, summary.json {n_values} values")
bad = [src[:40] for src in t.imgs if not src.startswith("data:image/")]
if bad or len(t.imgs) < 8: fail.append(f"{len(t.imgs)} images, not embedded: {bad}")
img = png_top(f"{out}/report.png", 1100)
pixels = [p for row in img[::2] for p in row[::2]]
ink = sum(1 for p in pixels if min(p) < 200) / len(pixels)
colours = len({(p[0] >> 3, p[1] >> 3, p[2] >> 3) for p in pixels})
# the verdict's colour in the headline band (the cards, under the title):
# green text on green when every limit holds, red on red when one breaks
card = (30, 122, 52) if s["all_limits_ok"] else (179, 38, 30)
cards = sum(1 for row in img[120:420] for p in row if near(p, card))
if ink < 0.02 or colours < 30: fail.append(f"the screenshot looks blank (ink {ink:.3f}, {colours} colours)")
if cards < 20: fail.append(f"the verdict card's colour {card} is not on the screenshot ({cards} pixels)")
pdf = open(f"{out}/report.pdf", "rb").read()
pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
if not pdf.startswith(b"%PDF") or pages < 3 or len(pdf) < 300_000:
    fail.append(f"the PDF: {pages} pages, {len(pdf)} bytes")
n_fail = len(fail)
print(f"report_check: run page{' (FAILED)' if fail else ''}: hottest junction {tj} C and '{verdict}' in the headline; "
      f"{rows} values; {len(t.imgs)} images embedded; screenshot ink {ink:.1%}, {colours} colours; "
      f"PDF {pages} pages, {len(pdf) // 1000} kB; the verdict's colour on {cards} pixels")

# --- the sweep's page ---------------------------------------------------------------------
t, text, head = page("sweep")
if "First to break" not in head or "between 25 and 35" not in head:
    fail.append(f"the sweep's headline lacks its first limit to break: {head[:300]!r}")
if not any(src.startswith("data:image/png") for src in t.imgs): fail.append("no sweep figure")
img = png_top(f"{out}/sweep.png", 900)
pixels = [p for row in img[::2] for p in row[::2]]
if sum(1 for p in pixels if min(p) < 200) / len(pixels) < 0.02: fail.append("the sweep's screenshot looks blank")
print("report_check: sweep page: " + re.sub(r".*(First to break.*?kW).*", r"\1", head))

for f in fail: print("report_check: FAILED: " + f)
sys.exit(1 if fail else 0)
EOF
echo "report_check: ok (pages, screenshots and PDFs in $OUT)"
