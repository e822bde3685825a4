"""Names under which the pages save files, so a downloaded file can be filed as it is.

The pages keep ``data-output`` (``specification.docx``, ``record.xlsx`` …) as
their contract; the file the browser saves is named for the job and what the
file is: 「令和9年度○○業務_特記仕様書.docx」. A job record updated on a
checklist page carries the check's date and phase, so it never overwrites
the original job.json in the same folder.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Mapping

# data-output → (what the file is, who it is for). Unknown outputs keep their own name.
OUTPUTS: Mapping[str, tuple[str, str]] = {
    "specification.docx": ("特記仕様書", "入札参加者に渡す（契約書に付けて受託者に渡す）"),
    "checklist-selection.xlsx": ("選定時の確認表", "庁内で使う（選定委員が事業者の資料をもとに記入する）"),
    "checklist-before.xlsx": ("遵守確認表_契約前", "入札参加者に渡し、受託者に記入して返してもらう"),
    "checklist-after.xlsx": ("遵守確認表_契約後", "受託者に記入して返してもらう"),
    "supervision-plan.docx": ("監督計画", "庁内で保管・決裁"),
    "forms.docx": ("様式集", "受託者に渡す"),
    "reoutsourcing-application.docx": ("再委託承諾申請書", "受託者に渡す（記入して返してもらう）"),
    "reoutsourcing-approval.docx": ("再委託承諾書", "庁内で決裁し、受託者に渡す"),
    "deviations.docx": ("条文の採否一覧", "庁内で保管・決裁"),
    "internal-approval.docx": ("委託前の庁内協議・承認票", "庁内で決裁（個人情報保護担当課と協議）"),
    "notices.docx": ("周知文と自己点検の依頼", "入札参加者・受託者に渡す（庁内で起案・決裁）"),
    "contract-clauses.docx": ("契約書本文の条文例と点検票", "庁内で使う（契約担当課と点検・決裁）"),
    "approvals.docx": ("承諾申請書と承諾書", "受託者に渡す（申請を受けて庁内で決裁し、承諾書を渡す）"),
    "inspection.docx": ("実地調査記録票・検査調書・三点の確認票", "庁内で記入・保管・決裁"),
    "answers.json": ("回答", "庁内で保管（来年度の作成に使う）"),
    "job.json": ("業務記録", "庁内で保管（確認のページで使う）"),
    "documents.zip": ("文書一式", "庁内で保管（中の文書を相手ごとに渡す）"),
    "record.xlsx": ("実施状況確認記録", "庁内で保管・決裁"),
    "record.json": ("確認記録", "庁内で保管"),
}
PHASES = {"before": "契約前", "after": "契約後", "selection": "選定"}
MAX_WORK_NAME = 60
MAX_PARTY_NAME = 40
_YEAR = re.compile(r"(令和|平成)\s*(元|\d+)\s*年度|\d{4}\s*年度")  # a 年度 that names a year (not 「年度末」)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_part(text: str, limit: int = MAX_WORK_NAME) -> str:
    """Text usable in a Windows file name: no \\ / : * ? " < > | or control characters, no trailing dot."""
    text = unicodedata.normalize("NFC", str(text))
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip()[:limit]
    return text.rstrip(". ") or ""


def download_name(output: str, work_name: str = "", date: str = "", phase: str = "", party: str = "") -> str:
    """「業務名[_相手方]_文書名[_段階][_日付].拡張子」; without a work name just the document name. ``party``: the
    counterparty of one set of a job let to several (its own part, so a long work name never cuts it off)."""
    label = OUTPUTS.get(output, (output.rsplit(".", 1)[0], ""))[0]
    ext = output.rsplit(".", 1)[-1] if "." in output else ""
    parts = [p for p in (safe_part(work_name), safe_part(party, MAX_PARTY_NAME), label, PHASES.get(phase, ""),
                         safe_part(date, 20)) if p]
    return "_".join(parts) + (f".{ext}" if ext else "")


def job_label(work_name: str, fiscal: str = "") -> str:
    """The work name files are saved under: led by the contract's 年度 (``fiscal``) when the part of the name
    a file name keeps has none, so next year's set never takes last year's names (「令和9年度_○○の管理運営」)."""
    return work_name if not fiscal or _YEAR.search(safe_part(work_name)) else f"{fiscal}_{work_name}"


def audience(output: str) -> str:
    """Who the file is for, as the download list says it."""
    return OUTPUTS.get(output, ("", ""))[1]


def download_names(outputs: list[str], work_name: str, date: str = "", phase: str = "", party: str = "") -> dict[str, str]:
    return {o: download_name(o, work_name, date, phase, party) for o in outputs}


def party_folder(number: int, name: str) -> str:
    """The folder of one counterparty's set inside the job's documents.zip (and under ``itaku generate --out``)."""
    return f"{number:02d}_{safe_part(name, MAX_PARTY_NAME) or '相手方'}"
