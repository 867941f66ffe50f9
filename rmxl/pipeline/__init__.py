"""The stages run in order (load), with the content-keyed cache (cache, codec) and the
compiled ledgers a spreadsheet session keeps fresh (sessions)."""
