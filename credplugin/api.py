"""The public Python API of credplugin. XBlocks and receivers call only this module."""
