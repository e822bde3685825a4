"""Command line: ``itaku questions | generate ANSWERS.json --out DIR | identify FILE | register FILE… --out X``."""
from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from itaku import edition as editions, model
from itaku.answers import AnswersError, AnswersFileError, load_file, load_notes
from itaku.identify import IdentifyError, identify
from itaku.sets import generate
from itaku.rewording import unplaced


def cmd_questions(args: argparse.Namespace) -> int:
    corpus = model.load()
    print(f"質問票（スキーマ {corpus.schema_version}、コーパス {corpus.version}）\n")
    for step in corpus.steps:
        print(f"■ {step['title']}")
        for q in step["questions"]:
            req = "（必須）" if q.get("required") else ""
            print(f"  - {q['key']}: {q['label']}{req} [{q['type']}]")
            for c in q.get("choices", []):
                print(f"      {c['value']} = {c['label']}")
            for c in q.get("columns", []):  # a list answer: [{column: value, …}, …]
                print(f"      列 {c['key']}: {c['label']}" + "".join(f" / {x['value']} = {x['label']}"
                                                                  for x in c.get("choices", [])))
            if "show_when" in q:
                print("      表示条件あり")
            print(textwrap.indent(textwrap.fill(q["help"], 60), "      "))
        print()
    return 0


def add_edition_option(parser: argparse.ArgumentParser) -> None:
    """``--edition FILE``: the edition.js (or edition.json) the site uses; commands call ``corpus_for``."""
    parser.add_argument("--edition", metavar="FILE", default=None,
                        help="団体の設定 edition.js（又は同じ内容の edition.json）。省略時は組み込みの版")


def corpus_for(args: argparse.Namespace) -> model.Corpus:
    """The corpus with ``--edition`` in force; EditionError (Japanese, naming the file and field) if unusable."""
    path = getattr(args, "edition", None)
    return editions.from_path(model.load(), path) if path else model.load()


def corpus_or_report(args: argparse.Namespace) -> model.Corpus | None:
    """corpus_for, or None after saying on stderr why the edition cannot be used."""
    try:
        return corpus_for(args)
    except editions.EditionError as exc:
        print("エラー: 団体の設定を使えません。", file=sys.stderr)
        for message in exc.problems:
            print(f"  - {message}", file=sys.stderr)
        return None


class InputError(Exception):
    """A file or folder named on the command line that cannot be used (message in Japanese)."""


def read_input(name: str) -> bytes:
    """The bytes of an input file; InputError in Japanese when it is missing, a folder or unreadable."""
    path = Path(name)
    if not path.exists():
        raise InputError(f"{name}：ファイルがありません。名前と場所を確かめてください。")
    if path.is_dir():
        raise InputError(f"{name}：フォルダです。ファイルを指定してください。")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}：読めません（{_reason(exc)}）。") from None


def _reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "読み書きする権限がありません"
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return "同じ名前のファイルがあります"
    if isinstance(exc, IsADirectoryError):
        return "同じ名前のフォルダがあります"
    return "システムのエラー " + str(exc.errno or "")


def out_folder(name: str) -> Path:
    """The ``--out`` folder of generate, made if needed; InputError in Japanese when it cannot be."""
    out = Path(name)
    if out.exists() and not out.is_dir():
        raise InputError(f"{name}：同じ名前のファイルがあるため、出力先のフォルダにできません。別の名前を指定してください。")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{name}：出力先のフォルダを作れません（{_reason(exc)}）。") from None
    return out


def cmd_generate(args: argparse.Namespace) -> int:
    corpus = corpus_or_report(args)
    if corpus is None:
        return 2
    try:
        loaded = load_file(corpus, read_input(args.answers))
        files = generate(corpus, loaded.answers, loaded.removed, loaded.ids, loaded.reworded)
        for note in unplaced(corpus, loaded.reworded):
            print(f"注意: {note}", file=sys.stderr)
        out = out_folder(args.out)
    except (AnswersFileError, InputError) as exc:
        print(f"エラー: {exc}", file=sys.stderr)
        return 2
    except AnswersError as exc:
        print("エラー: 回答に問題があります。", file=sys.stderr)
        for message in exc.errors.values():
            print(f"  - {message}", file=sys.stderr)
        return 2
    try:
        for name, data in files.items():  # everything was rendered before the first write
            if "/" in name:  # one counterparty's set, in its own folder
                (out / name).parent.mkdir(exist_ok=True)
            (out / name).write_bytes(data)
            print(out / name)
    except OSError as exc:
        print(f"エラー: {out}：文書を書き込めません（{_reason(exc)}）。", file=sys.stderr)
        return 2
    for key, flag in loaded.flagged.items():
        print(f"注意: {corpus.question(key)['label']}（{flag}）を確認してください。", file=sys.stderr)
    for note in load_notes(corpus, loaded):
        print(f"注意: {note}", file=sys.stderr)
    return 0


def cmd_identify(args: argparse.Namespace) -> int:
    corpus = model.load()
    try:
        result = identify(corpus, read_input(args.file))
    except (IdentifyError, InputError) as exc:
        print(f"エラー: {exc}", file=sys.stderr)
        return 2
    stamp = result["stamp"]
    print(f"コーパスの版: {stamp.get('corpus_version')}（現在 {result['current_version']}）")
    print(f"回答のハッシュ: {stamp.get('answers_hash')}")
    if stamp.get("edition_hash"):
        print(f"団体の設定: {stamp.get('edition_name')}（版 {str(stamp['edition_hash'])[:8]}）")
    else:
        print("団体の設定: （刻印に記録なし。団体の設定を刻印する前の版で作られた文書です）")
    if stamp.get("phase"):
        print(f"文書の種類: {stamp.get('phase')}")
    if result["up_to_date"]:
        print("この文書は最新の版で作られています。")
    for change in result["changes"]:
        titles = "、".join(c["title"] for c in change["clauses"]) or "（条文の変更なし）"
        print(f"{change['version']}（{change['date']}）: {change['summary']} 変更された条文: {titles}")
    return 0


def cmd_register(args: argparse.Namespace) -> int:
    """The oversight register of many job records: the same workbook as the register page."""
    from datetime import date

    from itaku import register
    from itaku.render.register_xlsx import render_register

    corpus = corpus_or_report(args)
    if corpus is None:
        return 2
    try:
        as_of = register.parse_as_of(args.as_of) if args.as_of else date.today()
    except register.RegisterError as exc:
        print(f"エラー: {exc}", file=sys.stderr)
        return 2
    files, names = [], []
    for name in args.files:  # a folder stands for the .json files in it (and its subfolders), sorted
        folder = Path(name)
        if folder.is_dir():
            found = sorted(str(p) for p in folder.rglob("*") if p.suffix.lower() == ".json" and p.is_file())
            if not found:
                print(f"エラー: {name}：フォルダに業務記録ファイル（.json）がありません。", file=sys.stderr)
            names += found
        else:
            names.append(name)
    for name in names:
        try:
            files.append((name, read_input(name)))
        except InputError as exc:
            print(f"エラー: {exc}", file=sys.stderr)
    reg, outcomes = register.load(corpus, files)
    for outcome in outcomes:
        if outcome["message"]:
            print(("注意: " if outcome["kind"] != "refused" else "エラー: ") + outcome["message"], file=sys.stderr)
    refused = sum(o["kind"] == "refused" for o in outcomes) + len(names) - len(files)
    if refused:
        print(f"読み込めなかったファイル: {refused} 件（上の一覧）", file=sys.stderr)
    out = Path(args.out)
    if not reg.records:
        # Never replace a good register.xlsx with an empty one because no input could be read.
        print(f"エラー: 読み込める業務記録がないため、{out} は作りません（あれば、そのままです）。", file=sys.stderr)
        return 2
    if out.is_dir():
        print(f"エラー: {out}：フォルダです。--out には register.xlsx のようなファイル名を指定してください。", file=sys.stderr)
        return 2
    tab = register.tabulate(corpus, reg.records.values(), as_of)
    try:
        out.write_bytes(render_register(tab))
    except OSError as exc:
        print(f"エラー: {out}：書き込めません（{_reason(exc)}）。", file=sys.stderr)
        return 2
    counts = tab["counts"]
    print(f"{out}: 業務 {counts['jobs']} 件（基準日 {tab['as_of']}、期限超過 {counts['overdue']} 件、"
          f"60日以内に終了 {counts['ending_soon']} 件）")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="itaku", description="委託先個人情報管理キット")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("questions", help="質問票を表示する").set_defaults(func=cmd_questions)
    gen = sub.add_parser("generate", help="回答ファイルから文書一式を作る")
    gen.add_argument("answers")
    gen.add_argument("--out", required=True)
    add_edition_option(gen)
    gen.set_defaults(func=cmd_generate)
    ide = sub.add_parser("identify", help="文書を作ったコーパスの版と、その後に変わった条文を示す")
    ide.add_argument("file")
    ide.set_defaults(func=cmd_identify)
    reg = sub.add_parser("register", help="業務記録（job.json）から委託台帳（register.xlsx）を作る")
    reg.add_argument("files", nargs="+", metavar="FILE", help="業務記録ファイル（job.json）又はそれを入れたフォルダ")
    reg.add_argument("--as-of", help="基準日（YYYY-MM-DD、省略すると今日）")
    reg.add_argument("--out", default="register.xlsx")
    add_edition_option(reg)
    reg.set_defaults(func=cmd_register)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        # `itaku questions | head`: the reader stopped early; nothing more to say. stdout is pointed
        # at devnull so that Python's own flush at exit does not raise again.
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
