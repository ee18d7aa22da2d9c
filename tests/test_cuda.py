"The engine on a CUDA device: exact against the model's own forward pass and generate (skipped without a GPU)."
import pytest, torch
pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")

from semkv_nb.core import tiny_model
from semkv_nb.engine import prefill, generate, Plan, TensorSource, FixedRecompute, BudgetEviction

@pytest.mark.parametrize("arch", ["llama", "mistral", "qwen2", "qwen3"])
def test_full_prefill_matches_forward_on_cuda(arch):
    m = tiny_model(arch).cuda()
    ids = torch.randint(0, 128, (1, 300), device="cuda")
    with torch.no_grad(): ref = m(ids, use_cache=True)
    p = prefill(m, ids, all_logits=True, timed=True)
    torch.testing.assert_close(p.logits, ref.logits, atol=1e-4, rtol=1e-4)
    torch.testing.assert_close(p.cache.layers[-1].k, ref.past_key_values.layers[-1].keys, atol=1e-4, rtol=1e-4)
    assert p.peak_bytes is not None and p.peak_bytes > 0

def test_reuse_and_generate_on_cuda():
    m = tiny_model("llama").cuda()
    ids = torch.randint(0, 128, (1, 200), device="cuda")
    full = prefill(m, ids)
    own = TensorSource([(L.k, L.v) for L in full.cache.layers])
    q = prefill(m, ids, Plan(reuse=own, compute=FixedRecompute([None, torch.arange(0, 200, 10, device="cuda")])))
    torch.testing.assert_close(q.logits, full.logits, atol=1e-4, rtol=1e-4)
    g = generate(m, prefill(m, ids, Plan(evict=BudgetEviction(lambda l, n: n, window=8))), max_new_tokens=20, eos=[])
    hf = m.generate(ids, max_new_tokens=20, do_sample=False, min_new_tokens=20)[0, 200:].tolist()
    assert g.tokens == hf

def test_bf16_shaped_prefill_close():
    from semkv_nb.timing import shaped_model, SHAPES
    SHAPES["small-bf16"] = dict(SHAPES["llama3-8b"], num_hidden_layers=2, hidden_size=1024, intermediate_size=2048, num_attention_heads=8, num_key_value_heads=2)
    m = shaped_model("small-bf16")
    ids = torch.randint(0, 1000, (1, 1024), device="cuda")
    with torch.no_grad(): ref = m(ids, logits_to_keep=1).logits[:, -1]
    p = prefill(m, ids)
    assert (p.logits.float() - ref.float()).abs().max() < 0.05 * ref.float().abs().max()

def test_graph_decode_on_cuda():
    "After a fast prefill on a GPU, generate replays the captured step (`fast.DecodeGraph`): the same tokens as Hugging Face's generate."
    m = tiny_model("llama").cuda()
    ids = torch.randint(0, 128, (1, 200), device="cuda")
    g = generate(m, prefill(m, ids, backend="fast"), max_new_tokens=20, eos=[], timed=True)
    assert g.graph_ms is not None                      # "auto" took the captured path
    hf = m.generate(ids, max_new_tokens=20, do_sample=False, min_new_tokens=20)[0, 200:].tolist()
    assert g.tokens == hf
    assert g.prefill.cache.end == 219                  # the decode graph's entries end at 218: extend goes on at 219

@pytest.mark.parametrize("compile", [False, True])
def test_graph_prefill_on_cuda(compile):
    "Captured reuse prefills (graph backend, layers up to the ranking begun while the reference is chosen; plain and compiled steps) give the engine's logits, kept positions and keys; a warmed-up range serves without new captures; the process's SDPA priority order is left as it was."
    from semkv_nb.semsharekv import SemShareKV
    from semkv_nb.engine import prefill
    from semkv_nb.data import synthetic_pair
    m = tiny_model("llama", num_hidden_layers=6, max_position_embeddings=4096, initializer_range=0.3).cuda()   # spread-out scores: no ties for eviction's top-k
    m(torch.zeros(1, 16, dtype=torch.long, device="cuda"))   # (PyTorch sets its own SDPA priority order once CUDA attention has run)
    order = torch._C._get_sdp_priority_order()
    sk = SemShareKV(m, None, backend="graph", graph_tokens=1024, query_chunk=None, graph_compile=compile, ahead_tokens=0)   # (the ahead path: test_graph_prefill_ahead_on_cuda)
    assert sk.warmup_graphs((280, 560)) > 0
    g = sk.graphs                                            # what the executor holds: buffers, pool, and the instantiated graphs outside the allocator
    assert g.graph_bytes >= 0 and g.held_bytes() == g.static_bytes() + g.pool_bytes() + g.graph_bytes > g.static_bytes()
    from torch._dynamo.utils import counters
    before, traced = sk.graphs.captures, counters["stats"]["unique_graphs"]
    for n, e in [(290, 0.05), (400, 0.1), (555, 0.2)]:
        ref, tgt = synthetic_pair(n, 128, e, seed=n + 1)
        tgt[0, :8] = (ref[0, :8] + 1) % 128   # no shared prefix: its tokens' deviations would all be ~0 and their ranking a float tie
        sk.add_reference(ref.cuda(), key=f"r{n}")
        pre, rep = sk.prefill(tgt.cuda(), ref_key=f"r{n}")
        a = prefill(m, tgt.cuda(), sk.plan(tgt.cuda(), ref_key=f"r{n}")[0], backend="fast")
        assert pre.backend == "graph" and (a.logits - pre.logits).abs().max() < 1e-4 and a.kept == pre.kept, ((a.logits - pre.logits).abs().max(), a.kept, pre.kept)
        bad = [(l, int((x.pos != y.pos).sum()), float((x.k - y.k).abs().max())) for l, (x, y) in enumerate(zip(a.cache.layers, pre.cache.layers)) if not torch.equal(x.pos, y.pos) or (x.k - y.k).abs().max() >= (1e-3 if compile else 1e-4)]   # (compiled: fused float32 reductions)
        assert not bad, (n, bad)
    packed, sk.graphs.packed = sk.graphs.packed, not sk.graphs.packed   # the other staging layout through the same graphs: the same bits
    again, _ = sk.prefill(tgt.cuda(), ref_key=f"r{n}")
    assert packed and torch.equal(again.logits, pre.logits) and again.kept == pre.kept
    sk.graphs.packed = packed
    assert sk.graphs.captures == before
    assert counters["stats"]["unique_graphs"] == traced, "served requests compiled again after warm-up (the anchor's n-gram match, or a step)"
    assert torch._C._get_sdp_priority_order() == order

@pytest.mark.parametrize("protect", ["computed", "window", "ranked"])
def test_graph_prefill_protect_on_cuda(protect):
    "Captured reuse prefills under both retention rules (`EvictionPolicy.protect`), with deep budgets below the computed sets: the engine's logits, kept counts, positions and keys; 'window' keeps exactly the schedule."
    from semkv_nb.semsharekv import SemShareKV
    from semkv_nb.engine import prefill
    from semkv_nb.data import synthetic_pair
    from semkv_nb.retention import DecayEviction
    m = tiny_model("llama", num_hidden_layers=6, max_position_embeddings=4096, initializer_range=0.3).cuda()
    ev = DecayEviction([1.0, 1.0, 0.4, 0.3, 0.2, 0.15], window=32, protect=protect)
    sk = SemShareKV(m, None, backend="graph", graph_tokens=1024, query_chunk=None, evict=ev)
    ref, tgt = synthetic_pair(517, 128, 0.2, seed=9); tgt[0, :8] = (ref[0, :8] + 1) % 128
    sk.add_reference(ref.cuda(), key="r")
    pre, _ = sk.prefill(tgt.cuda(), ref_key="r")
    a = prefill(m, tgt.cuda(), sk.plan(tgt.cuda(), ref_key="r")[0], backend="fast")
    assert pre.backend == "graph" and (a.logits - pre.logits).abs().max() < 1e-4 and a.kept == pre.kept, (a.kept, pre.kept)
    bad = [(l, int((p.pos != q.pos).sum()), float((p.k - q.k).abs().max())) for l, (p, q) in enumerate(zip(a.cache.layers, pre.cache.layers)) if not torch.equal(p.pos, q.pos) or (p.k - q.k).abs().max() >= 1e-4 * q.k.abs().max()]
    assert not bad, bad   # (layer, kept positions that differ, largest key difference: float32 sums in another order, relative to the keys' size)
    if protect == "window": assert pre.kept[2:] == [round(x * 517) for x in ev.schedule[2:]]
    else: assert any(k > round(x * 517) for k, x in zip(pre.kept[2:], ev.schedule[2:]))   # budgets raised to the computed sets
    if protect == "ranked":                                 # forced positions other than the unmatched: refused before anything is staged
        from semkv_nb.engine import Plan
        plan = sk.plan(tgt.cuda(), ref_key="r")[0]
        bad = Plan(reuse=plan.reuse, compute=plan.compute.forcing(torch.arange(5, device="cuda")), evict=plan.evict, tail=plan.tail)
        with pytest.raises(ValueError, match="needs the forced positions to be the unmatched ones"): sk.graphs.run(tgt.cuda(), bad)
        again = sk.graphs.run(tgt.cuda(), plan)
        assert (again.logits - pre.logits).abs().max() < 1e-4 and again.kept == pre.kept   # (served without `begin`: its first layers captured anew)

@pytest.mark.parametrize("compile", [False, True])
def test_graph_prefill_capturing_call_on_cuda(compile):
    "Without a warm-up, the call that captures a bucket (its steps run eagerly first, then are captured and replayed) gives the same logits, kept positions and keys as the replays after it, and the engine's result: the eager run's writes over the hidden states are undone before the capture."
    from semkv_nb.semsharekv import SemShareKV
    from semkv_nb.engine import prefill
    from semkv_nb.data import synthetic_pair
    m = tiny_model("llama", num_hidden_layers=6, max_position_embeddings=4096, initializer_range=0.3).cuda()
    sk = SemShareKV(m, None, backend="graph", graph_tokens=1024, query_chunk=None, graph_compile=compile)
    ref, tgt = synthetic_pair(450, 128, 0.1, seed=7); tgt[0, :8] = (ref[0, :8] + 1) % 128
    sk.add_reference(ref.cuda(), key="r")
    first, _ = sk.prefill(tgt.cuda(), ref_key="r")
    assert sk.graphs.captures > 0                            # this call captured its bucket
    caps = sk.graphs.captures
    again, _ = sk.prefill(tgt.cuda(), ref_key="r")
    assert sk.graphs.captures == caps                        # ... and this one replayed it
    a = prefill(m, tgt.cuda(), sk.plan(tgt.cuda(), ref_key="r")[0], backend="fast")
    for x in (first, again):
        assert (a.logits - x.logits).abs().max() < 1e-4 and a.kept == x.kept, ((a.logits - x.logits).abs().max(), a.kept, x.kept)
        assert all(torch.equal(p.pos, q.pos) and (p.k - q.k).abs().max() < (1e-3 if compile else 1e-4) for p, q in zip(a.cache.layers, x.cache.layers))
    assert torch.equal(first.logits, again.logits) and all(torch.equal(p.k, q.k) for p, q in zip(first.cache.layers, again.cache.layers))

@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_rearrange_kernel_on_cuda(dtype):
    "The Triton rearrangement writes what `rearranged_kv` computes (float32: to rounding; bf16: within one rounding of the float32 result) at lengths below, at and above a row block, into buffers with a spare entry it leaves alone; the executor picks it on CUDA and its steps serve a request."
    from semkv_nb.graph import rearrange_kernel, rearrange_kernel_runs, rearranged_kv, GraphPrefill
    g = torch.Generator().manual_seed(0)
    Hkv, D, Nm, m = 2, 64, 3000, 2500
    sk, sv = (torch.randn(1, Hkv, Nm, D, generator=g).to("cuda", dtype) for _ in range(2))
    for n in (1, 15, 16, 700, 2049, 2999):
        src = torch.randint(0, m, (n,), generator=g).cuda()
        cos, sin = (torch.randn(n, D, generator=g).to("cuda", dtype) for _ in range(2))
        matched = (torch.rand(n, 1, generator=g) > 0.2).to("cuda", dtype)
        K, V = (torch.full((1, Hkv, Nm + 1, D), 7.0, device="cuda", dtype=dtype) for _ in range(2))
        assert rearrange_kernel_runs(K.device, D)
        rearrange_kernel(K[:, :, :n], V[:, :, :n], sk, sv, src, cos, sin, matched)
        kr, vr = rearranged_kv(*(t.float() for t in (sk, sv)), src, cos.float(), sin.float(), matched.float())
        tol = dict(atol=1e-5, rtol=1e-5) if dtype == torch.float32 else dict(atol=2e-2, rtol=1e-2)
        torch.testing.assert_close(K[:, :, :n].float(), kr, **tol); torch.testing.assert_close(V[:, :, :n].float(), vr, atol=0, rtol=0)
        assert (K[:, :, n:] == 7).all() and (V[:, :, n:] == 7).all()
        pk, pv = (torch.full_like(t, 5.0) for t in (sk, sv))              # packed: the reference's m rows per head, head after head, at the start
        pk.view(-1)[:Hkv * m * D].copy_(sk[:, :, :m].flatten()); pv.view(-1)[:Hkv * m * D].copy_(sv[:, :, :m].flatten())
        K2, V2 = torch.empty_like(K), torch.empty_like(V)
        rearrange_kernel(K2[:, :, :n], V2[:, :, :n], pk, pv, src, cos, sin, matched, head_stride=torch.tensor(m * D, device="cuda"))
        assert torch.equal(K2[:, :, :n], K[:, :, :n]) and torch.equal(V2[:, :, :n], V[:, :, :n])
    with pytest.raises(ValueError, match="head_stride must be one int64"): rearrange_kernel(K[:, :, :n], V[:, :, :n], sk, sv, src, cos, sin, matched, head_stride=torch.tensor(m * D))
    with pytest.raises(ValueError, match="use rearrange_into"): rearrange_kernel(*(t.cpu() for t in (K, V, sk, sv, src, cos, sin, matched)))
    mt = tiny_model("llama", num_hidden_layers=3).cuda()
    gp, plain = GraphPrefill(mt, max_tokens=512), GraphPrefill(mt, max_tokens=512, kernel=False)
    assert gp.kernel and gp.packed and not plain.kernel and not plain.packed
    with pytest.raises(ValueError, match="packed=True stages references"): GraphPrefill(mt, max_tokens=512, kernel=False, packed=True)

def test_graph_gqa_attention_on_cuda():
    "Where `rows_attention` does not run (here: the Triton kernels off), the captured steps' masked attention in bf16 runs as grouped-query SDPA (one mask row per position) where a kernel other than math runs it, and gives what the folded layout gives; forced either way, both serve the same requests."
    from semkv_nb.semsharekv import SemShareKV
    from semkv_nb.graph import GraphPrefill, gqa_masked_runs, MASKED_SDPA
    from semkv_nb.data import synthetic_pair
    m = tiny_model("llama", num_hidden_layers=4, max_position_embeddings=4096, initializer_range=0.3, head_dim=64, dtype=torch.bfloat16).cuda()
    sk = SemShareKV(m, None, backend="fast", query_chunk=None)
    ref, tgt = synthetic_pair(700, 128, 0.1, seed=4); tgt[0, :8] = (ref[0, :8] + 1) % 128
    sk.add_reference(ref.cuda(), key="r")
    plan = sk.plan(tgt.cuda(), ref_key="r")[0]
    g, f = GraphPrefill(m, max_tokens=1024, chunk=256, kernel=False), GraphPrefill(m, max_tokens=1024, chunk=256, kernel=False, gqa=False)
    assert g.gqa == gqa_masked_runs("cuda", torch.bfloat16, 64, MASKED_SDPA) and not f.gqa and not (g.rows_kernel or f.rows_kernel)   # (else both would run rows_attention)
    a, b = g.run(tgt.cuda(), plan), f.run(tgt.cuda(), sk.plan(tgt.cuda(), ref_key="r")[0])
    assert a.kept == b.kept and (a.logits.float() - b.logits.float()).abs().max() <= 0.02 * b.logits.float().abs().max(), (a.logits - b.logits).abs().max()


def test_match_many_on_cuda():
    "Scoring several references at once on the GPU gives each reference's own `match(..., ties=False)`, and the similarity of each."
    from semkv_nb.lsh import LSHMatcher, prompt_similarity, prompt_similarities
    g = torch.Generator().manual_seed(0)
    refs = [torch.randn(n, 256, generator=g).cuda().bfloat16() for n in (300, 57, 1100)]
    t = torch.cat([refs[2][:400], torch.randn(200, 256, generator=g).cuda().bfloat16()])
    mt = LSHMatcher(256, block=64)
    ms = mt.match_many(refs, t)
    for mm, r in zip(ms, refs):                         # (equal distances: either call may name another nearest token)
        one = mt.match(r, t, ties=False)
        assert torch.equal(mm.score, one.score) and torch.equal(mm.idx >= 0, one.idx >= 0) and int(mm.idx.max()) < r.shape[0]
    assert prompt_similarities(ms) == [prompt_similarity(None, None, match=m) for m in ms]
    assert max(prompt_similarities(ms)) == prompt_similarities(ms)[2]

def test_signs_float16_on_cuda():
    "On CUDA the sign rows are float16 (`LSHMatcher.signs`): the nearest tokens and scores of float32 distances, from rows of either type."
    from semkv_nb.lsh import LSHMatcher
    g = torch.Generator().manual_seed(3)
    refs = [torch.randn(n, 512, generator=g).cuda() for n in (700, 1300)]
    t = torch.cat([refs[1][:500], torch.randn(300, 512, generator=g).cuda()])
    mt = LSHMatcher(512, n_bits=16, n_tables=4, block=256)
    sg, rows = mt.signs(t), [mt.signs(r) for r in refs]
    assert sg.dtype == torch.float16 and set(sg.unique().tolist()) == {-1.0, 1.0}
    got = mt.match_signs(rows, t)
    for r, m in zip(rows, got):
        h = (mt.bits - sg.float() @ r.float().T) / 2                    # float32 distances
        best = h.min(-1).values
        assert m.score.dtype == torch.float32 and torch.equal(m.score, 1 - best / mt.bits)
        hit = m.idx >= 0
        assert hit.any() and torch.equal(h[hit].gather(1, m.idx[hit][:, None])[:, 0], best[hit])   # a nearest token (ties: any of them)
    for a, b in zip(mt.match_signs([r.float() for r in rows], t), got):   # float32 rows (kept from elsewhere): the same match
        assert torch.equal(a.score, b.score) and torch.equal(a.idx, b.idx)
    assert torch.equal(mt.match(refs[1], t).score, got[1].score)       # the tie-breaking match: the same scores

def test_compiled_anchor_on_cuda():
    "On the GPU the anchor's n-gram match and moves run compiled: the same anchored match as the eager functions, at several lengths (one compile serves them all), and the gate reads the same coverage from it."
    from semkv_nb.gate import NgramAnchor, CoverageGate, ngram_match, ngram_coverage
    from semkv_nb.data import synthetic_pair
    on, off, gate = NgramAnchor(), NgramAnchor(compile=False), CoverageGate()
    for n, e in ((40, 0.1), (600, 0.05), (1037, 0.2), (5000, 0.1)):
        r, t = (x[0].cuda() for x in synthetic_pair(n, 32000, e, seed=n))
        a = on.anchored(r, t)
        assert torch.equal(a, ngram_match(r, t, 8)) and torch.equal(on.moved(a), off.moved(a))
        assert torch.equal(on(r, t).idx, off(r, t).idx)
        assert gate.decide(r, t, anchored=a).score == float(ngram_coverage(r, t, 8).float().mean())

def test_warmup_eager_backend_on_cuda():
    "`SemShareKV.warmup` on an eager backend compiles the anchor's n-gram match at start-up: it compiles there (after a reset of the compiler's in-process caches) and requests in the warmed range compile nothing."
    import torch._dynamo
    from torch._dynamo.utils import counters
    from semkv_nb.semsharekv import SemShareKV
    from semkv_nb.data import synthetic_pair
    torch._dynamo.reset()                                  # as a fresh process: what earlier tests compiled is forgotten
    m = tiny_model("llama", num_hidden_layers=4, max_position_embeddings=4096).cuda()
    sk = SemShareKV(m, None, backend="fast")
    start = counters["stats"]["unique_graphs"]
    assert sk.warmup((280, 560)) == 0
    traced = counters["stats"]["unique_graphs"]
    assert traced > start, "warmup compiled nothing"
    for n, e in [(290, 0.05), (420, 0.1), (555, 0.2)]:
        ref, tgt = synthetic_pair(n, 128, e, seed=n + 1)
        sk.add_reference(ref.cuda(), key=f"r{n}")
        pre, rep = sk.prefill(tgt.cuda(), ref_key=f"r{n}")
        assert rep.fell_back is None and pre.backend == "fast", rep.fell_back
    assert counters["stats"]["unique_graphs"] == traced, "served requests compiled after warmup"

def test_profile_stream_on_cuda():
    "`profile_stream` on CUDA sees the captured prefill's kernels: GEMMs among them, the GPU's busy time within their summed time; the decision's parts are timed, with the reference named or looked up."
    from semkv_nb.stream import profile_stream, stream_requests
    m = tiny_model("llama", num_hidden_layers=4, max_position_embeddings=4096).cuda()
    for search in (False, True):                           # (search: no ref_key, the store's index proposes from the fourth request)
        rows = profile_stream(m, stream_requests(128, n=2 + 3 * search, bands={300: (280, 340)}), backend="graph", search=search, progress=False)
        for r in rows:
            assert r["reused"] and r["same_ref"] and r["kernels"] > 0 and 0 < r["busy_ms"] <= r["kernel_ms"] + 1e-6 and r["gemm_ms"] > 0 and r["ttft_ms"] > 0, r
            assert min(r["lookup_ms"], r["score_ms"], r["gate_ms"], r["source_ms"]) > 0, r   # the decision's timed parts

def test_probe_slack_on_cuda():
    "`probe_slack` on CUDA: every request reused, `begin`'s state read at the decision's end, and a delay after `run` returns mostly shown (a tiny model leaves the GPU far less than 2 ms of queued work)."
    from semkv_nb.stream import probe_slack, slack_summary, stream_requests
    m = tiny_model("llama", num_hidden_layers=4, max_position_embeddings=4096).cuda()
    rows = probe_slack(m, stream_requests(128, n=3, bands={300: (280, 340)}), delays={"decision": (2.0,), "end": (2.0,)}, rounds=3, progress=False)
    assert len(rows) == 3 * 3 and all(r["reused"] for r in rows), rows
    for r in rows:
        if r["point"] is None: assert 0 <= r["begin_done"] <= 1 and 0 < r["decision_end_ms"] < r["run_end_ms"] <= r["ttft_ms"], r
    tab = slack_summary(rows)
    assert [r["point"] for r in tab] == ["none", "decision", "end"], tab
    assert tab[2]["added_ms"] > 1.0, tab                  # the median request: most of the 2 ms shows

def test_graph_prefill_ahead_on_cuda():
    "With `ahead_tokens`, `begin` runs full layers after the rank layer while the reference is chosen (captured per padded length at start-up): the prefill is the engine's for the same plan, and serving captures nothing new."
    from semkv_nb.semsharekv import SemShareKV
    from semkv_nb.data import synthetic_pair
    from semkv_nb.retention import DecayEviction
    m = tiny_model("llama", num_hidden_layers=6, max_position_embeddings=4096, initializer_range=0.3).cuda()
    sk = SemShareKV(m, None, backend="graph", graph_tokens=1024, query_chunk=None, evict=DecayEviction([1.0] * 4 + [0.7, 0.5], window=32), ahead_tokens=2304)
    assert sk.warmup_graphs((280, 560)) > 0
    before = sk.graphs.captures
    for n, e, a in [(290, 0.05, 2), (400, 0.1, 2), (555, 0.2, 1)]:
        ref, tgt = synthetic_pair(n, 128, e, seed=n + 1)
        tgt[0, :8] = (ref[0, :8] + 1) % 128
        sk.add_reference(ref.cuda(), key=f"r{n}")
        pre, rep = sk.prefill(tgt.cuda(), ref_key=f"r{n}")
        plan = sk.plan(tgt.cuda(), ref_key=f"r{n}")[0]
        assert plan.compute.full_after == a and pre.computed[:a + 2] == [n] * (a + 2)
        want = prefill(m, tgt.cuda(), plan, backend="fast")
        assert pre.backend == "graph" and (want.logits - pre.logits).abs().max() < 1e-4 and want.kept == pre.kept and want.computed == pre.computed
    assert sk.graphs.captures == before

def test_rotary_formula_on_cuda():
    "`Rotary.cos_sin` on a GPU gives the rotary module's own bits, and computes them itself (the module's wrapper skipped) on this stack."
    from semkv_nb.rope import Rotary
    r = Rotary(tiny_model("llama").cuda())
    pos = torch.randint(-300_000, 300_000, (500,), device="cuda")
    for a, b in zip(r.cos_sin(pos), r._module(pos)): assert torch.equal(a, b)
    assert r._formula_ok("cuda")
