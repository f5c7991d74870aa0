"""Allow ``python -m docsgen``."""

from docsgen.cli import main

raise SystemExit(main())
