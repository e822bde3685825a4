"""The sets of a job let to several counterparties (issue 26 item 5): one complete set of files per
counterparty, and the files that hold them together.

For an ordinary job everything is ``itaku.outputs``. With ``counterparties`` (itaku.parties) each row gets
its own answers (its name, its count, its job id) and so its own job: documents, checklists, plan, forms,
answers.json and job.json. The page offers ``documents.zip`` (every set, one folder per counterparty, and
the job's own answers.json at the top), one ``party-N.zip`` per counterparty (that set's documents.zip) and
the job's answers.json; ``itaku generate`` writes the same sets into one folder per counterparty.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping

from itaku import parties
from itaku.answers import Answers, answers_document, answers_hash, job_ids, validate
from itaku.filenames import download_name, party_folder
from itaku.job import Job, build_job
from itaku.model import Corpus
from itaku.outputs import ZIP_NAME, build_outputs, file_label, member_name, to_json, zip_bytes
from itaku.schema import canonical_json

ANSWERS_NAME = "answers.json"


def party_output(number: int) -> str:
    """The page's ``data-output`` of one counterparty's set (its documents.zip)."""
    return f"party-{number}.zip"


@dataclass(frozen=True)
class PartySet:
    """One counterparty's answers and the folder its files go in."""

    answers: Answers
    folder: str

    @property
    def name(self) -> str:
        return str(self.answers.party["name"])

    def job(self, corpus: Corpus) -> Job:
        return build_job(corpus, self.answers)


def party_sets(corpus: Corpus, answers: Answers) -> list[PartySet]:
    """The counterparties' answers (none for an ordinary job), each validated as a job of its own: its name as
    受託者名, its count as 取扱件数, the job's removed clauses and rewordings; its job id from the job's."""
    values = answers.values
    listed = parties.rows(values)
    if not listed:
        return []
    whole = job_ids(answers)
    out = []
    for index, row in enumerate(listed):
        own = validate(corpus, parties.party_values(values, row), answers.removed, answers.reworded)
        ids = {"job_id": parties.party_id(whole["job_id"], row["name"])}
        if whole.get("previous_job_id"):
            ids["previous_job_id"] = parties.party_id(whole["previous_job_id"], row["name"])
        own = replace(own, ids=ids, party=parties.party_info(values, index, whole["job_id"]))
        out.append(PartySet(own, party_folder(index + 1, row["name"])))
    return out


def stamp(corpus: Corpus, answers: Answers) -> str:
    """The stamp of the job's documents.zip (the zip comment): the job's own answers and id, no company."""
    return canonical_json({
        "format": "itaku-stamp/1", "corpus_version": corpus.version, "schema_version": corpus.schema_version,
        "answers_hash": answers_hash(answers), "job_id": job_ids(answers)["job_id"], "phase": "documents",
        "company": "", "role": "委託元", "edition_name": corpus.edition["org_name"], "edition_hash": corpus.edition["hash"],
    })


def page_outputs(sets: list[PartySet]) -> list[str]:
    """What the page lists for a job with several counterparties, in order."""
    return [ZIP_NAME, *(party_output(n) for n in range(1, len(sets) + 1)), ANSWERS_NAME]


def page_downloads(answers: Answers, sets: list[PartySet]) -> list[dict[str, str]]:
    """Each file the page offers: data-output, the name it is saved under, its label and who it is for."""
    label = file_label(answers)
    rows = [{"output": ZIP_NAME, "name": download_name(ZIP_NAME, label), "label": "文書一式（全ての相手方）",
             "for": f"庁内で保管（相手方ごとのフォルダ {len(sets)} 組。中の文書を各相手方に渡す）"}]
    for n, one in enumerate(sets, start=1):
        rows.append({"output": party_output(n), "name": download_name(ZIP_NAME, label, party=one.name),
                     "label": f"相手方{n}の文書一式（{one.name}）", "for": "この相手方の分だけ（業務記録 job.json を含む）"})
    rows.append({"output": ANSWERS_NAME, "name": download_name(ANSWERS_NAME, label), "label": "回答（業務全体）",
                 "for": "庁内で保管（来年度の作成・相手方の追加に使う）"})
    return rows


def set_files(corpus: Corpus, one: PartySet) -> dict[str, bytes]:
    """Every file of one counterparty's set (its documents.zip included), keyed by ``data-output``."""
    return build_outputs(one.job(corpus))


def whole_zip(corpus: Corpus, answers: Answers, sets: list[PartySet], files: list[Mapping[str, bytes]]) -> bytes:
    """The job's documents.zip: each set in its folder under its own download names (its own documents.zip left
    out: the folder holds the same files), and the job's answers.json at the top."""
    members = {download_name(ANSWERS_NAME, file_label(answers)): to_json(answers_document(corpus, answers))}
    for one, got in zip(sets, files):
        job = one.job(corpus)
        members.update({f"{one.folder}/{member_name(job, name)}": data for name, data in got.items() if name != ZIP_NAME})
    created = answers.values["created_on"]
    return zip_bytes(members, created, stamp(corpus, answers))


def page_files(corpus: Corpus, answers: Answers, sets: list[PartySet], only: str | None = None) -> dict[str, bytes]:
    """The files the page asks for (``only``: one of ``page_outputs``; documents.zip makes every set)."""
    if only == ANSWERS_NAME:
        return {ANSWERS_NAME: to_json(answers_document(corpus, answers))}
    for n, one in enumerate(sets, start=1):
        if only == party_output(n):
            return {only: set_files(corpus, one)[ZIP_NAME]}
    every = [set_files(corpus, one) for one in sets]
    out = {party_output(n): got[ZIP_NAME] for n, got in enumerate(every, start=1)}
    out[ANSWERS_NAME] = to_json(answers_document(corpus, answers))
    out[ZIP_NAME] = whole_zip(corpus, answers, sets, every)
    return out


def generate_all(corpus: Corpus, answers: Answers) -> dict[str, bytes]:
    """Every file of the job by path, for ``itaku generate --out``: an ordinary job's files as ``outputs``
    makes them; with counterparties the job's answers.json and documents.zip, and each set in its folder."""
    sets = party_sets(corpus, answers)
    if not sets:
        return build_outputs(build_job(corpus, answers))
    every = [set_files(corpus, one) for one in sets]
    out = {ANSWERS_NAME: to_json(answers_document(corpus, answers)), ZIP_NAME: whole_zip(corpus, answers, sets, every)}
    for one, got in zip(sets, every):
        out.update({f"{one.folder}/{name}": data for name, data in got.items()})
    return out


def generate(corpus: Corpus, raw: Mapping[str, object], removed: Mapping[str, object] | None = None,
             ids: Mapping[str, str] | None = None, reworded: Mapping[str, object] | None = None) -> dict[str, bytes]:
    """``outputs.generate`` for any job: validate, then every file by path (``generate_all``)."""
    return generate_all(corpus, replace(validate(corpus, raw, removed, reworded), ids=dict(ids or {})))
