"""委託先個人情報管理キット: runtime package (stdlib + openpyxl; runs in CPython and Pyodide)."""

__version__ = "0.1.0"
