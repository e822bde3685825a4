"""委託先個人情報管理キット: runtime package (stdlib + openpyxl; runs in CPython and Pyodide)."""

import os as _os

__version__ = "0.1.0"

# openpyxl switches to lxml when it is importable (python-docx brings it into test
# environments), and lxml writes namespaces in another order. Pyodide has no lxml:
# use openpyxl's own writer everywhere so CPython and the browser produce the same
# XML parts. Must be set before openpyxl is first imported.
_os.environ.setdefault("OPENPYXL_LXML", "False")
