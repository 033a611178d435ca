"""Run the template build: python -m letter_templates.factory [--out DIR]."""

import sys

from .build import main

sys.exit(main())
