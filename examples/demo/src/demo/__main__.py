"""`demo 'name>=1.2' 1.3` prints yes or no."""

from __future__ import annotations

import sys

from demo import satisfies


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: demo REQUIREMENT VERSION", file=sys.stderr)
        return 2
    ok = satisfies(sys.argv[1], sys.argv[2])
    print("yes" if ok else "no")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
