"""Clause and form text filled for a job: ``{{name}}`` and ``{{ref:id}}`` placeholders, the job's
wording, article lists in ascending order. A placeholder left unfilled is a corpus defect."""
from __future__ import annotations

import re

from itaku.job import Job, once
from itaku.wording import reword

PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


class GenerationError(RuntimeError):
    """A defect in the corpus found while generating (never the user's fault)."""


class UserText(str):
    """Text the user typed that becomes clause text (rows of a list answer): never filled, kept as typed."""


def fill(text: str, job: Job) -> str:
    """Replace {{name}} and {{ref:id}}; a leftover placeholder is a corpus defect."""
    if isinstance(text, UserText):
        return str(text)
    numbers = once(job, "_numbers", lambda: {s.clause["id"]: s.number for s in job.selected})  # fill runs per text

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.startswith("ref:"):
            target = name[4:].strip()
            # Running text keeps the corpus's half-width digits (平成15年、第66条第2項、第13条);
            # only headings and 項/号 labels use full-width figures.
            return f"第{numbers[target]}条" if target in numbers else "本特記事項の関係規定"
        if name not in job.values:
            raise GenerationError(f"未定義の差込み項目 {{{{{name}}}}}")
        return job.values[name]

    return sort_article_lists(PLACEHOLDER_RE.sub(sub, reword(job.corpus, job.context, text)))


ARTICLE_LIST_RE = re.compile(r"第\d+条(?:(?:、|及び|並びに|又は)第\d+条)+")


def sort_article_lists(text: str) -> str:
    """「第6条、第17条、第21条及び第20条」 → ascending numbers, separators kept in place."""
    def sub(m: re.Match[str]) -> str:
        numbers = sorted(int(n) for n in re.findall(r"第(\d+)条", m.group()))
        parts = re.split(r"第\d+条", m.group())
        return "".join(p + (f"第{n}条" if i < len(numbers) else "") for i, (p, n) in
                       enumerate(zip(parts, numbers + [0])))
    return ARTICLE_LIST_RE.sub(sub, text)
