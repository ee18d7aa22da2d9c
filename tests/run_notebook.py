"""Execute notebooks top to bottom, `#| cuda` cells included, and save them with their outputs.

    python tests/run_notebook.py nbs/07a_exp_chunkkv.ipynb [more.ipynb ...] --out DIR [--skip cuda] [--skip-cells 6 7]

This is how the GPU experiment notebooks are executed on a GPU box before they are committed (nbdev_test only
checks notebooks; it does not save outputs), and how the library notebooks get their outputs on a CPU box
(`--skip cuda`: the skipped `#| cuda` cells keep the outputs they had). Stops at the first failing cell and says
which. Copy the results over nbs/ and run `nbdev_clean`, which keeps outputs (settings.ini: clear_all = False).
"""
import argparse, sys, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

def _skipper(flags, cells=()):
    "A preproc for `run_all` that skips cells carrying any of `flags` (e.g. `#| cuda` on a CPU box), or whose index is in `cells`: they keep their old outputs."
    def skip(cell):
        if cell.cell_type != "code": return False
        if cell.idx_ in cells: return True
        heads = [l.strip() for l in cell.source.splitlines() if l.strip().startswith("#|")]
        if any(h[2:].strip().split()[:1] and h[2:].strip().split()[0] in flags for h in heads): return True
        cell.outputs = []      # a cell that runs gets exactly its new outputs (execnb keeps old ones when it prints nothing)
        return False
    return skip

def run(path:Path, out:Path, skip=(), skip_cells=())->bool:
    nb = read_nb(path)
    t = time.time()
    sh = CaptureShell(path=path.parent)
    def checkpoint(cell):                                              # saved after every cell: a run killed by a time
        write_nb(nb, out/path.name)                                    # limit still leaves the cells it finished
        print(f"  {path.name}: cell done at {time.time()-t:.0f}s", flush=True)
    try: sh.run_all(nb, exc_stop=True, preproc=_skipper(set(skip), set(skip_cells)), postproc=checkpoint)
    except Exception as e:
        print(f"{path.name}: FAILED after {time.time()-t:.0f}s: {type(e).__name__}: {e}", flush=True)
        write_nb(nb, out/path.name); return False
    write_nb(nb, out/path.name)
    print(f"{path.name}: ok in {time.time()-t:.0f}s", flush=True)
    return True

if __name__ == "__main__":
    ap = argparse.ArgumentParser(); ap.add_argument("nbs", nargs="+"); ap.add_argument("--out", required=True)
    ap.add_argument("--skip", nargs="*", default=[], help="cell flags to skip, e.g. cuda")
    ap.add_argument("--skip-cells", nargs="*", type=int, default=[], help="indices of cells to skip (they keep their outputs)")
    a = ap.parse_args(); out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    ok = [run(Path(p), out, a.skip, a.skip_cells) for p in a.nbs]
    sys.exit(0 if all(ok) else 1)
