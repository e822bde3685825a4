"""clauses/kinds.yml: the kinds of work, copied into the ``work_kinds`` question, and their checks."""
from __future__ import annotations

from typing import Any

from itaku.build.validate_base import KEY_RE, unique
from itaku.kinds import PREFIX, PRESETTABLE, QUESTION

WHERE = "clauses/kinds.yml"
MIN_KINDS = 12
SHORT_MAX = 12  # characters of a preset question's short name


def fill_choices(corpus: dict[str, Any]) -> None:
    """A question with ``choices_from: kinds`` gets the kinds (value, label, help) as its choices."""
    kinds = [k for k in (corpus.get("kinds") or {}).get("kinds") or [] if isinstance(k, dict)]
    for step in (corpus.get("questions") or {}).get("steps") or []:
        for q in step.get("questions") or []:
            if q.get("choices_from") == "kinds":
                q["choices"] = [{"value": k.get("id"), "label": k.get("label"), "help": k.get("help")} for k in kinds]


def validate_kinds(data: dict[str, Any], questions: dict[str, dict[str, Any]], problems: list[str]) -> None:
    """The kinds and their presets; adds the derived keys ``kind_<id>`` to ``questions`` for later conditions."""
    kinds = data.get("kinds")
    if QUESTION not in questions:
        problems.append(f"clauses/questions.yml: 業務の類型の質問「{QUESTION}」がありません")
    if not isinstance(kinds, list) or len(kinds) < MIN_KINDS:
        problems.append(f"{WHERE}: kinds（業務の類型のリスト、{MIN_KINDS}以上）が必要です")
        return
    unique([k.get("id") if isinstance(k, dict) else None for k in kinds], f"{WHERE} の類型 id", problems)
    merge = data.get("merge") or {}
    for kind in kinds:
        kid = kind.get("id") if isinstance(kind, dict) else None
        if not isinstance(kid, str) or not KEY_RE.match(kid):
            problems.append(f"{WHERE}: 類型 id「{kid}」は英小文字の snake_case にしてください")
            continue
        if not kind.get("label") or not kind.get("help"):
            problems.append(f"{WHERE}: {kid}: label と help（1行の説明）が必要です")
        for key, value in (kind.get("presets") or {}).items():
            _preset(f"{WHERE}: {kid}: presets の「{key}」", questions.get(key), value, merge.get(key), problems)
        questions[PREFIX + kid] = {"key": PREFIX + kid, "type": "derived", "values": [True, False],
                                   "label": f"業務の類型：{kind.get('label')}"}
    for key, rule in merge.items():
        q = questions.get(key)
        if q is None or q.get("type") != "choice":
            problems.append(f"{WHERE}: merge の「{key}」は選択肢（choice）の質問ではありません")
            continue
        values = [c.get("value") for c in q.get("choices") or []]
        if any(v not in values for v in [*(rule.get("order") or []), *([rule["join"]] if "join" in rule else [])]):
            problems.append(f"{WHERE}: merge の「{key}」に選択肢にない値があります")


def _preset(where: str, q: dict[str, Any] | None, value: Any, rule: Any, problems: list[str]) -> None:
    if q is None or q.get("type") not in PRESETTABLE or q.get("key") == QUESTION:
        problems.append(f"{where}: 設定できるのは、はい/いいえ・選択肢・複数選択の質問だけです")
        return
    if not 0 < len(str(q.get("short") or "")) <= SHORT_MAX:  # the list under 業務の類型 names it so (issue 30)
        problems.append(f"{where}: 質問「{q['key']}」に short（{SHORT_MAX}字以内の短い名前）が必要です")
    values = [c.get("value") for c in q.get("choices") or []]
    if q["type"] == "bool" and not isinstance(value, bool):
        problems.append(f"{where}: true か false を書いてください")
    elif q["type"] == "choice":
        if value not in values:
            problems.append(f"{where}: 値「{value}」は選択肢にありません")
        if not isinstance(rule, dict) or value not in (rule.get("order") or []):
            problems.append(f"{where}: 類型どうしの合わせ方を merge（order）に書いてください")
    elif q["type"] == "multi" and (not isinstance(value, list) or any(v not in values for v in value)):
        problems.append(f"{where}: 選択肢の値のリストを書いてください")
