"""Entry script of the frozen program: the same command line as the ``counter-app`` console script."""

from __future__ import annotations

import multiprocessing

from counter_app.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen Windows program re-enters here in child processes
    raise SystemExit(main())
