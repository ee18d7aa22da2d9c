"""Build the docs site offline and keep README.md in sync with nbs/index.ipynb.

    python tests/docs_site.py build    # nbdev's notebook processing (runs show_doc) + smalldocs -> _docs/
    python tests/docs_site.py check    # list local links to missing pages, files or anchors, and unrendered maths
    python tests/docs_site.py readme   # nbs/index.ipynb -> README.md (what `nbdev_readme` does with Quarto)

Users with Quarto can keep using `nbdev_docs` / `nbdev_preview`; this is the path that needs no Quarto binary.
"""
import html, json, re, shutil, subprocess, sys
from html.parser import HTMLParser
from urllib.parse import urlsplit, unquote
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def build(root:Path=ROOT)->Path:
    "Process the notebooks as nbdev does for Quarto, then render the site with smalldocs into `root/_docs`."
    from nbdev.config import get_config
    from nbdev.quarto import proc_nbs
    from nbdev.doclinks import _build_modidx
    import os
    old = os.getcwd(); os.chdir(root)
    try:
        cfg = get_config()
        _build_modidx()
        shutil.rmtree(root/"_proc", ignore_errors=True)
        cache = Path(proc_nbs(cfg.nbs_path, n_workers=0))
        local_links(cache, f"{cfg.doc_host.rstrip('/')}/{cfg.doc_baseurl.strip('/')}/")
        exe = shutil.which("smalldocs", path=str(Path(sys.executable).parent)) or shutil.which("smalldocs")
        if exe is None: raise FileNotFoundError("smalldocs is not installed: pip install smalldocs (or use nbdev_docs with Quarto)")
        subprocess.run([exe, "render", "--quiet", str(cache)], check=True)
        out = root/cfg.doc_path.name
        shutil.rmtree(out, ignore_errors=True)
        shutil.move(str(cache/cfg.doc_path.name), str(out))
        for page in out.rglob("*.html"): page.write_text(offline_html(page.read_text()))
        return out
    finally: os.chdir(old)

def local_links(proc:Path,     # nbdev's processed notebooks (`_proc/`), rewritten in place
                site_url:str    # the published site's address, e.g. https://semkv-nb.github.io/semkv_nb/
               ):
    "Point nbdev's cross-references at the pages smalldocs writes: `{site_url}engine.html#x` -> `03_engine.html#x`."
    # nbdev links a symbol to `<output-file>` on the published site (Quarto names pages by the notebook's `output-file`,
    # `engine.html`); smalldocs names a page after its notebook (`03_engine.html`) and ignores `output-file`.
    nbs = sorted(proc.glob("*.ipynb"))
    pages = {}
    for nb in nbs:
        m = re.search(r"^output-file: (\S+)$", "".join(json.loads(nb.read_text())["cells"][0]["source"]), re.M)
        if m: pages[m.group(1)] = nb.with_suffix(".html").name
    names = "|".join(re.escape(k) for k in sorted(pages, key=len, reverse=True))
    page_ref = re.compile(rf"(?<![\w./-])({names})(?=[#\"')\s\\]|$)")
    for nb in nbs:
        text = nb.read_text()
        new = page_ref.sub(lambda m: pages[m.group(1)], text.replace(site_url, ""))
        new = re.sub(r"(\.html#)_+(?=\w)", r"\1", new)   # smalldocs drops a private name's leading `_` from its anchor
        if new != text: nb.write_text(new)

_MATH = re.compile(r'<span class="math (inline|display)">\\[(\[](.*?)\\[)\]]</span>', re.S)
_KATEX = re.compile(r'<(?:link|script)[^>]*(?:href|src)="https://cdn\.jsdelivr\.net/npm/katex[^"]*"[^>]*>(?:</script>)?\s*')
_CODE_LINK = re.compile(r'\[`?([\w.]+)`?\]\(([^)\s]+)\)')

def offline_html(page:str)->str:
    "Maths as MathML (no KaTeX from a CDN), and markdown links left inside rendered signatures as real links."
    from latex2mathml.converter import convert
    def math(m):
        tex = html.unescape(m.group(2))
        return f'<span class="math {m.group(1)}">{convert(tex, display="block" if m.group(1) == "display" else "inline")}</span>'
    page = _KATEX.sub("", _MATH.sub(math, page))
    # docments comments in a show_doc signature are code, so nbdev's `[`Name`](page#name)` links stay raw there
    return re.sub(r'<span class="co">[^<]*</span>',
                  lambda m: _CODE_LINK.sub(r'<a href="\2"><code>\1</code></a>', m.group(0)), page)

class _Refs(HTMLParser):
    "Every `href`/`src` and every `id` on a page."
    def __init__(self):
        super().__init__(); self.refs, self.ids = [], set()
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src") and v: self.refs.append(v)
            if k == "id" and v: self.ids.add(v)

def _parse(page:Path)->_Refs:
    p = _Refs(); p.feed(page.read_text()); return p

def site_problems(site:Path=ROOT/"_docs")->list[str]:
    "Local links to a missing page, file or anchor, raw TeX left for a CDN's KaTeX, and docstring boilerplate, page by page."
    from configparser import ConfigParser
    cfg = ConfigParser(); cfg.read(ROOT/"settings.ini"); d = cfg["DEFAULT"]
    site_url = f"{d['doc_host'].rstrip('/')}/{d['doc_baseurl'].strip('/')}/"    # links there must be local offline
    problems, parsed = [], {}
    def ids(page:Path):
        if page not in parsed: parsed[page] = _parse(page).ids
        return parsed[page]
    for page in sorted(site.rglob("*.html")):
        name, refs = page.relative_to(site), _parse(page).refs
        for ref in refs:
            if ref.startswith(site_url): problems.append(f"{name}: link to the published site {ref}"); continue
            u = urlsplit(ref)
            if u.scheme or u.netloc or ref.startswith(("mailto:", "data:", "javascript:")): continue
            target = (page.parent/unquote(u.path)).resolve() if u.path else page
            if target.is_dir(): target = target/"index.html"
            if not target.exists(): problems.append(f"{name}: link to missing {ref}"); continue
            if u.fragment and target.suffix == ".html" and unquote(u.fragment) not in ids(target):
                problems.append(f"{name}: link to missing anchor {ref}")
        text = page.read_text()
        if re.search(r"\\\(|\\\[", re.sub(r"<(pre|code|script)\b.*?</\1>", "", text, flags=re.S)):
            problems.append(f"{name}: raw TeX \\( or \\[ outside code (maths not rendered)")
        if "cdn.jsdelivr.net/npm/katex" in text: problems.append(f"{name}: loads KaTeX from a CDN")
        if "Base class for protocol classes" in text: problems.append(f"{name}: typing.Protocol's docstring shown for a class without its own")
        if re.search(r"\[`\w+`\]\(", text): problems.append(f"{name}: raw markdown link left in the HTML")
    return problems

_DIRECTIVE = re.compile(r"^\s*#\|")

def readme_text(nb_path:Path=ROOT/"nbs"/"index.ipynb")->str:
    "Markdown for README.md from the index notebook: markdown cells, visible code cells and their text outputs."
    nb = json.loads(nb_path.read_text())
    parts = []
    for c in nb["cells"]:
        src = "".join(c["source"])
        if c["cell_type"] == "markdown": parts.append(src.strip()); continue
        if c["cell_type"] != "code": continue
        lines = src.splitlines()
        flags = [l for l in lines if _DIRECTIVE.match(l)]
        if any(re.search(r"\b(hide|exec: false)\b", f) for f in flags) and not any("echo: false" in f for f in flags): continue
        code = "\n".join(l for l in lines if not _DIRECTIVE.match(l)).strip()
        if code and not any("echo: false" in f for f in flags): parts.append(f"```python\n{code}\n```")
        for o in c.get("outputs", []):
            txt = "".join(o.get("text", "")) or "".join(o.get("data", {}).get("text/markdown", "")) or "".join(o.get("data", {}).get("text/plain", ""))
            if txt.strip(): parts.append(f"```\n{txt.rstrip()}\n```")
    return "\n\n".join(p for p in parts if p) + "\n"

def write_readme(root:Path=ROOT)->Path:
    with open(root/"README.md", "w", newline="") as f: f.write(readme_text(root/"nbs"/"index.ipynb"))
    return root/"README.md"

if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "build"
    if what == "build": print("site written to", build())
    elif what == "readme": print("wrote", write_readme())
    elif what == "check":
        problems = site_problems()
        print("\n".join(problems) or "no broken local links, no raw maths"); sys.exit(1 if problems else 0)
    else: sys.exit(f"unknown command {what!r}: use build, check or readme")
