"""Build the docs site offline and keep README.md in sync with nbs/index.ipynb.

    python tests/docs_site.py build    # nbdev's notebook processing (runs show_doc) + smalldocs -> _docs/
    python tests/docs_site.py readme   # nbs/index.ipynb -> README.md (what `nbdev_readme` does with Quarto)

Users with Quarto can keep using `nbdev_docs` / `nbdev_preview`; this is the path that needs no Quarto binary.
"""
import json, re, shutil, subprocess, sys
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
        exe = shutil.which("smalldocs", path=str(Path(sys.executable).parent)) or shutil.which("smalldocs")
        if exe is None: raise FileNotFoundError("smalldocs is not installed: pip install smalldocs (or use nbdev_docs with Quarto)")
        subprocess.run([exe, "render", "--quiet", str(cache)], check=True)
        out = root/cfg.doc_path.name
        shutil.rmtree(out, ignore_errors=True)
        shutil.move(str(cache/cfg.doc_path.name), str(out))
        return out
    finally: os.chdir(old)

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
    else: sys.exit(f"unknown command {what!r}: use build or readme")
