"The docs site renders offline, every notebook gets a page, API references land on their pages, README follows index."
import json, re
from pathlib import Path
import pytest
from docs_site import ROOT, build, readme_text

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

def test_readme_matches_index():
    with open(ROOT/"README.md", newline="") as f: readme = f.read()
    assert readme == readme_text(), "README.md is stale: run `python tests/docs_site.py readme`"

def test_sidebar_lists_every_notebook():
    side = (ROOT/"nbs"/"sidebar.yml").read_text()
    missing = [nb.name for nb in (ROOT/"nbs").glob("*.ipynb") if nb.name not in side]
    assert not missing, f"add these notebooks to nbs/sidebar.yml: {missing}"
