"""The Word templates users may edit: which exist, their versions, the check of an upload."""
