"""Readers' own things: collections, likes, bookmarks (the reading list), comments, /me.

Import the modules themselves (``from tercul.services.social import collections``):
this package re-exports nothing, so that its modules can grow side by side.
"""
