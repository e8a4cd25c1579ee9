"""XBlocks that credplugin ships; they talk to the plugin only through ``credplugin.api``."""
