#!/usr/bin/env python
from onewindow.__main__ import main

if __name__ == "__main__":
    main()
