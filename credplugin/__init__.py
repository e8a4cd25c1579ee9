"""credplugin: turns an Open edX course into a verifiable Open Badges 3.0 micro-credential."""

__version__ = "0.1.0"
