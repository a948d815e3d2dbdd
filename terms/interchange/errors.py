"""What every file reader raises when a file cannot be read as a glossary."""


class UnreadableFile(Exception):
    """The file is not a glossary we can read; the message says why, in the user's language."""
