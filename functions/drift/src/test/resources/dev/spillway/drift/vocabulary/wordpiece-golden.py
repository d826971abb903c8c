"""Writes wordpiece-golden.jsonl: texts and the word pieces that HuggingFace's Rust `tokenizers`
crate (the embedding function's tokenizer) gives them, for WordPieceTokenizerTest.

Usage, from the repository root, with `pip install tokenizers`:
    python functions/drift/src/test/resources/dev/spillway/drift/vocabulary/wordpiece-golden.py \
        onnx-models/all-minilm-l6-v2/all-minilm-l6-v2-tokenizer.json ../shared/data/routing/mmlu

The texts: one prompt of every MMLU subject (seeded choice), a few hand-picked edge cases, and
seeded fuzz strings mixing scripts, accents, combining marks, emoji, punctuation, control and
space characters. Fuzz code points are drawn from blocks that Unicode 9 already had complete,
because the crate's character tables and the JDK's differ for newer characters (a documented
divergence, not what the test is for).
"""

import csv
import json
import random
import sys
from pathlib import Path

from tokenizers import Tokenizer

HAND_PICKED = [
    "unaffable",
    "Hello, world!",
    "Café au lait, naïve résumé, Ångström, façade",
    "İstanbul ΣΟΦΙΑΣ Straße ǅemal",
    "don't won't it's O'Neill rock'n'roll",
    "3.14159 1,000,000 $5 €5 £5 ¥5 50% a+b=c x^2 <html> a|b ~tilde `code`",
    "e-mail user@example.com https://example.com/path?q=1&r=2#frag",
    "中文分词测试 日本語のテキスト 한국어 텍스트",
    "😀🚀☃ ✨ 🥺👍🏽 👨‍👩‍👧",
    "tab\there new\nline cr\rhere nbsp\u00a0here thin\u2009here ideo\u3000here",
    "zero\u200bwidth soft\u00adhyphen bom\ufeffhere bidi\u202ehere",
    "nul\x00here bell\x07here del\x7fhere vt\x0bhere ff\x0chere nel\x85here",
    "replacement\ufffdchar private\ue000use",
    "x[CLS]y [SEP] [UNK] [MASK][PAD] [unk] [ CLS ]",
    "a" * 100,
    "b" * 101,
    "pneumonoultramicroscopicsilicovolcanoconiosis antidisestablishmentarianism",
    "H2O CO2 GPT-4 COVID-19 mp3 x86_64 IPv6 5G",
    "“curly quotes” ‘single’ «guillemets» — em dash – en dash … ellipsis",
    "Ωμέγα Привет мир مرحبا بالعالم नमस्ते दुनिया สวัสดีชาวโลก",
    "ﬁ ﬂ ½ ² ™ © ® ° µ Å K",
    "",
    "   ",
    "!!!",
]

# Blocks complete by Unicode 9, with weights: mostly letters so that words form.
BLOCKS = [
    (0x0041, 0x005A, 6), (0x0061, 0x007A, 12), (0x0030, 0x0039, 2), (0x0020, 0x0020, 8),
    (0x0021, 0x002F, 2), (0x003A, 0x0040, 1), (0x005B, 0x0060, 1), (0x007B, 0x007E, 1),
    (0x00A0, 0x00FF, 3), (0x0100, 0x017F, 3), (0x0300, 0x036F, 2), (0x0391, 0x03C9, 2),
    (0x0410, 0x044F, 2), (0x0621, 0x064A, 1), (0x0905, 0x0939, 1), (0x0E01, 0x0E30, 1),
    (0x3041, 0x3096, 1), (0x30A1, 0x30FA, 1), (0x4E00, 0x9FA5, 2), (0xAC00, 0xD7A3, 1),
    (0x2000, 0x2064, 1), (0x20A0, 0x20BE, 1), (0x2200, 0x22FF, 1), (0x1F600, 0x1F64F, 1),
    (0x0000, 0x001F, 1), (0x007F, 0x009F, 1), (0xE000, 0xE0FF, 1), (0xF900, 0xFA2D, 1),
    (0x20000, 0x2A6D6, 1), (0xFF01, 0xFF5E, 1),
]


def fuzz(rng, count):
    weights = [w for _, _, w in BLOCKS]
    texts = []
    for _ in range(count):
        chars = []
        for _ in range(rng.randint(5, 60)):
            lo, hi, _ = rng.choices(BLOCKS, weights)[0]
            chars.append(chr(rng.randint(lo, hi)))
        texts.append("".join(chars))
    return texts


def mmlu(mmlu_dir, rng, per_subject):
    texts = []
    for path in sorted(Path(mmlu_dir).glob("mmlu_*.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            rows = [row[0] for row in list(csv.reader(f))[1:]]
        texts.extend(rng.sample(rows, min(per_subject, len(rows))))
    return texts


def main():
    tokenizer = Tokenizer.from_file(sys.argv[1])
    tokenizer.no_padding()
    tokenizer.no_truncation()
    rng = random.Random(20240601)
    texts = HAND_PICKED + mmlu(sys.argv[2], rng, 1) + fuzz(rng, 200)
    out = Path(__file__).with_name("wordpiece-golden.jsonl")
    with out.open("w", encoding="utf-8") as f:
        for text in texts:
            tokens = tokenizer.encode(text, add_special_tokens=False).tokens
            f.write(json.dumps({"text": text, "tokens": tokens}, ensure_ascii=False) + "\n")
    print(f"wrote {len(texts)} texts to {out}")


if __name__ == "__main__":
    main()
