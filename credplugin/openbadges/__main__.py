"""``python -m credplugin.openbadges``: see :mod:`credplugin.openbadges.cli`."""

import sys

from credplugin.openbadges.cli import main

sys.exit(main())
