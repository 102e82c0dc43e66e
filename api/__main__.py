"""`python -m api` does what the `portal` console script does."""

from api.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
