"The package as installed: modules import, the demo command runs, errors are clear, the engine is exact on real prompts."
import configparser, importlib, os, subprocess, sys
from pathlib import Path
import pytest, torch
import semkv_nb
from semkv_nb._modidx import d as modidx

ROOT = Path(__file__).resolve().parents[1]
ONE_THREAD = {**os.environ, "OMP_NUM_THREADS": "1"}   # on 2 busy cores, a second torch thread only adds spin-waits

def test_version_matches_settings():
    cfg = configparser.ConfigParser(); cfg.read(ROOT/"settings.ini")
    assert semkv_nb.__version__ == cfg["DEFAULT"]["version"]

def test_every_module_imports():
    mods = set(modidx["syms"])
    assert len(mods) >= 5
    for m in mods: importlib.import_module(m)

def test_demo_command_runs():
    "`python -m semkv_nb.demo` as installed, on short articles: it reuses (or says why not), times both methods and prints both summaries."
    r = subprocess.run([sys.executable, "-m", "semkv_nb.demo", "--max-words", "40", "--max-new-tokens", "4", "--repeats", "1"],
                       capture_output=True, text=True, timeout=600, env=ONE_THREAD)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "SemShareKV summary:" in r.stdout and "full recompute:" in r.stdout and "ROUGE-L between them" in r.stdout
    assert "reused" in r.stdout or "fell back" in r.stdout
    assert "time to first token" in r.stdout and "(one run on cpu; a CPU shows only that it runs" in r.stdout or torch.cuda.is_available()

def test_missing_gguf_is_a_clear_error(monkeypatch):
    from semkv_nb.core import load_model
    monkeypatch.setenv("SEMKV_GGUF", "/nonexistent/model.gguf")
    with pytest.raises(FileNotFoundError, match="SEMKV_GGUF"): load_model()
    with pytest.raises(FileNotFoundError, match="not found"): load_model("/nonexistent/x.gguf")

def test_engine_exact_on_a_real_long_prompt(smol):
    "Full prefill and own-cache reuse through the engine equal the model's forward on a ~600-token Multi-News prompt."
    from semkv_nb.core import chat_ids
    from semkv_nb.data import load_multi_news, summary_prompt
    from semkv_nb.engine import prefill, Plan, TensorSource, FixedRecompute
    model, tok = smol
    row = load_multi_news(n=3)[2]
    ids = chat_ids(tok, summary_prompt(row.passages, max_words=250))
    assert ids.shape[1] > 300
    with torch.no_grad(): ref = model(ids, use_cache=True)
    p = prefill(model, ids)
    torch.testing.assert_close(p.logits, ref.logits[:, -1], atol=2e-4, rtol=1e-4)
    own = TensorSource.from_hf(ref.past_key_values)
    q = prefill(model, ids, Plan(reuse=own, compute=FixedRecompute([[ids.shape[1] - 1]])))
    torch.testing.assert_close(q.logits, ref.logits[:, -1], atol=2e-4, rtol=1e-4)
    assert q.computed == [1] * 30

def test_prefill_takes_a_token_list_and_refuses_a_prompt_past_the_context(smol):
    "A list of ids works like the tensor; a prompt longer than the context window is refused with both numbers."
    from semkv_nb.core import chat_ids
    from semkv_nb.engine import prefill
    model, tok = smol
    ids = chat_ids(tok, "Name three rivers.")
    torch.testing.assert_close(prefill(model, ids[0].tolist()).logits, prefill(model, ids).logits)
    ctx = model.config.max_position_embeddings
    with pytest.raises(ValueError, match=f"{ctx + 434:,} tokens but the model's context window is {ctx:,}: shorten"):
        prefill(model, torch.zeros(1, ctx + 434, dtype=torch.long))

@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message on a machine without CUDA")
def test_demo_on_a_missing_device_says_what_to_do(capsys):
    "The command's `main` ends with one line that says what to do, before any model is loaded (`test_demo_command_runs` runs the command itself)."
    from semkv_nb.demo import main
    with pytest.raises(SystemExit) as e: main(["--device", "cuda"])
    assert e.value.code == 2
    assert "sees no CUDA GPU: use device='cpu'" in capsys.readouterr().err.strip().splitlines()[-1]

def test_bench_decode_command_on_cpu():
    "`python -m semkv_nb.bench decode` prints one row per backend and share of layers (no captured step on a CPU)."
    from semkv_nb.bench import main
    rows = main(["decode", "--device", "cpu", "--new", "4"])
    assert [(r["backend"], r["graph"]) for r in rows] == [("hf", False)] * 3 + [("fast", False)] * 3
    assert all(r["new_tokens"] == 4 and r["tokens_per_s"] > 0 and r["graph_ms"] is None for r in rows)

def test_bench_slack_command_on_cpu(tmp_path, capsys):
    "`python -m semkv_nb.bench slack` prints one row per band and setting and writes them with the delays it used; on a CPU every host delay shows in full (nothing is queued to hide it); a delay must be a positive number."
    import json
    from semkv_nb.bench import main
    # one intra-op thread: on a shared 2-core machine PyTorch's threads wait on each other, and an undelayed call once took 20x its time (its delayed ones less than their delay more)
    threads = torch.get_num_threads(); torch.set_num_threads(1)
    try: rows = main(["slack", "--device", "cpu", "--pairs", "4", "--rounds", "3", "--decision-ms", "100", "--layer-ms", "20", "--end-ms", "100", "--out", str(tmp_path / "s.json")])
    finally: torch.set_num_threads(threads)
    assert [(r["tokens"], r["point"]) for r in rows] == [(b, p) for b in (64, 128) for p in ("none", "decision", "layers", "end")]
    assert all(r["ttft_ms"] >= r["injected_ms"] > 0 for r in rows if r["point"] != "none")   # a delayed call waits out its whole delay
    assert all(r["added_ms"] >= 0.7 * r["injected_ms"] for r in rows if r["point"] != "none"), [(r["tokens"], r["point"], r["injected_ms"], r["added_ms"], r["ttft_ms"]) for r in rows]   # ... and on a CPU nothing queued hides it
    meta = json.loads((tmp_path / "s.json").read_text())["meta"]
    assert meta["delays"] == {"decision": [100.0], "layers": [20.0], "end": [100.0]} and meta["rounds"] == 3
    assert (tmp_path / "s_requests.json").exists()
    with pytest.raises(SystemExit) as e: main(["slack", "--device", "cpu", "--end-ms", "0"])
    assert e.value.code == 2 and "--end-ms: must be a number in (0, inf), got '0'" in capsys.readouterr().err
