# shellcheck shell=bash
# Shared helpers for scripts/build, scripts/run and scripts/test (sourced, not run).
#
# - step NAME_JA NAME_EN [HINT_JA HINT_EN]: print the step's name; if a command
#   fails afterwards, the ERR trap says in Japanese and English which step
#   failed, which command and with which exit status, and exits non-zero.
# - ensure_venv: .venv with the project installed in editable mode with the
#   extras `site` and `test`; pip runs only when pyproject.toml changed
#   (stamp file .venv/.itaku-pyproject.sha256).
# - ensure_node_modules: `npm ci` from package-lock.json when node_modules is
#   missing or the lock changed (stamp file node_modules/.itaku-lock.sha256).
# - apt_install PKG...: apt-get install (with sudo only when not root).

set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Material for MkDocs prints a long notice about MkDocs 2 on every build.
export NO_MKDOCS_2_WARNING=1

VENV="$ROOT/.venv"
PY="$VENV/bin/python"
VENV_STAMP="$VENV/.itaku-pyproject.sha256"
NPM_STAMP="$ROOT/node_modules/.itaku-lock.sha256"

STEP_JA=""
STEP_EN=""
HINT_JA=""
HINT_EN=""

step() {
    STEP_JA="$1"
    STEP_EN="$2"
    HINT_JA="${3:-}"
    HINT_EN="${4:-}"
    printf '\n==> %s / %s\n' "$STEP_JA" "$STEP_EN"
}

on_err() {
    local status="$1" command="$2"
    {
        printf '\n'
        printf '失敗しました: ステップ「%s」\n' "${STEP_JA:-（準備）}"
        printf '  原因: コマンド `%s` が終了コード %s で終了しました。\n' "$command" "$status"
        if [[ -n "$HINT_JA" ]]; then printf '  対処: %s\n' "$HINT_JA"; fi
        printf 'FAILED: step "%s"\n' "${STEP_EN:-(setup)}"
        printf '  Cause: command `%s` exited with status %s.\n' "$command" "$status"
        if [[ -n "$HINT_EN" ]]; then printf '  Hint: %s\n' "$HINT_EN"; fi
    } >&2
    exit "$status"
}
trap 'on_err "$?" "$BASH_COMMAND"' ERR

sha256_of() {
    sha256sum "$1" | cut -d' ' -f1
}

as_root() {
    if [[ "$(id -u)" == 0 ]]; then
        "$@"
    else
        sudo "$@"
    fi
}

APT_UPDATED=""
apt_install() {
    if [[ -z "$APT_UPDATED" ]]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update
        APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

ensure_venv() {
    step "Python 仮想環境 (.venv) の準備" "Python virtual environment (.venv)" \
        "python3 と python3-venv が入っているか、PyPI に接続できるかを確認してください。" \
        "Check that python3 and python3-venv are installed and that PyPI is reachable."
    if [[ ! -x "$PY" ]]; then
        if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
            apt_install python3 python3-venv
        fi
        python3 -m venv "$VENV"
    fi
    local want
    want="$(sha256_of pyproject.toml)"
    if [[ -f "$VENV_STAMP" && "$(cat "$VENV_STAMP")" == "$want" ]]; then
        echo "pyproject.toml に変更なし、インストールを省略 / pyproject.toml unchanged, skipping pip install"
        return 0
    fi
    "$PY" -m pip install --disable-pip-version-check --quiet -e '.[site,test]'
    echo "$want" > "$VENV_STAMP"
}

ensure_node_modules() {
    step "npm パッケージの準備 (npm ci)" "npm packages (npm ci)" \
        "node と npm が入っているか、npm レジストリに接続できるか、package-lock.json が壊れていないかを確認してください。" \
        "Check that node and npm are installed, the npm registry is reachable and package-lock.json is valid."
    if ! command -v npm >/dev/null 2>&1; then
        apt_install nodejs npm
    fi
    local want
    want="$(sha256_of package-lock.json)"
    if [[ -d node_modules && -f "$NPM_STAMP" && "$(cat "$NPM_STAMP")" == "$want" ]]; then
        echo "package-lock.json に変更なし、npm ci を省略 / package-lock.json unchanged, skipping npm ci"
        return 0
    fi
    npm ci --no-audit --no-fund --ignore-scripts
    echo "$want" > "$NPM_STAMP"
}

file_uri() {
    "$PY" -c 'import pathlib, sys; print(pathlib.Path(sys.argv[1]).resolve().as_uri())' "$1"
}
