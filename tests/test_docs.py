"The docs site renders offline, every notebook gets a page, API references land on their pages, README follows index."
import json, re
from pathlib import Path
import pytest
from docs_site import ROOT, build, readme_text, site_problems

@pytest.fixture(scope="module")
def site(): return build()

def _exports(nb:Path):
    "Names of functions/classes a notebook exports."
    cells = json.loads(nb.read_text())["cells"]
    names = []
    for c in cells:
        src = "".join(c["source"])
        if c["cell_type"] == "code" and src.startswith("#| export"):
            names += re.findall(r"^(?:def|class) ([A-Za-z]\w*)", src, re.M)
    return names

def test_every_notebook_has_a_page(site):
    nbs = sorted((ROOT/"nbs").glob("*.ipynb"))
    assert len(nbs) >= 5
    missing = [nb.name for nb in nbs if not (site/nb.with_suffix(".html").name).exists()]
    assert not missing, f"notebooks without a page: {missing}"

def test_api_reference_on_pages(site):
    checked = 0
    for nb in sorted((ROOT/"nbs").glob("*.ipynb")):
        names = _exports(nb)
        if not names: continue
        html = (site/nb.with_suffix(".html").name).read_text()
        for name in names:
            assert f'id="{name.lower()}"' in html, f"{name} has no API entry on {nb.stem}.html"
            checked += 1
    assert checked > 20

def test_site_complete_offline(site):
    "Every local link (href/src) reaches a page, file and anchor of the site; maths is MathML, not TeX for a CDN's KaTeX."
    assert len(list(site.glob("*.html"))) >= 30
    problems = site_problems(site)
    assert not problems, f"{len(problems)} problems on the offline site:\n" + "\n".join(problems[:40])

def test_cross_references_and_maths_rendered(site):
    "The checks above have something to check: nbdev's cross-references point at local pages, and maths is rendered."
    engine = (site/"03_engine.html").read_text()
    assert 'href="03_engine.html#prefill"' in (site/"05_semsharekv.html").read_text()
    assert "<math" in engine and "\\(" not in engine

def test_readme_matches_index():
    with open(ROOT/"README.md", newline="") as f: readme = f.read()
    assert readme == readme_text(), "README.md is stale: run `python tests/docs_site.py readme`"

def test_sidebar_lists_every_notebook():
    side = (ROOT/"nbs"/"sidebar.yml").read_text()
    missing = [nb.name for nb in (ROOT/"nbs").glob("*.ipynb") if nb.name not in side]
    assert not missing, f"add these notebooks to nbs/sidebar.yml: {missing}"

def test_crawler_finds_what_is_broken(tmp_path):
    (tmp_path/"b.html").write_text('<h2 id="x">x</h2>')
    (tmp_path/"a.html").write_text('<a href="b.html#x">ok</a> <a href="#top" id="top">ok</a> <a href="https://example.org/">ok</a>'
                                   '<a href="missing.html">1</a> <img src="img/p.png"> <a href="b.html#nope">3</a> <p>\\(S_l\\)</p>')
    problems = site_problems(tmp_path)
    assert len(problems) == 4 and all(p.startswith("a.html: ") for p in problems), problems
    assert any("missing.html" in p for p in problems) and any("img/p.png" in p for p in problems)
    assert any("anchor b.html#nope" in p for p in problems) and any("raw TeX" in p for p in problems)
