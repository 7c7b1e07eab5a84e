"""One push worker process of the bench: delivers due rows until none is left."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")


def main() -> None:
    import django

    django.setup()
    from push import outbox

    idle = 0
    while idle < 2:
        idle = idle + 1 if outbox.deliver_due(batch_size=100) == 0 else 0


if __name__ == "__main__":
    main()
