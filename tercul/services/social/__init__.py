"""Readers' own things: collections, comments, likes and bookmarks."""
