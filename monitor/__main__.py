"""`python -m monitor` is the `monitor` command."""

from monitor.cli import main

if __name__ == "__main__":  # worker processes import this module too: run only as a program
    main()
