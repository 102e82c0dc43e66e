"""Patients' documents and videos: recognising bytes, cleaning images, storing, reading back.

No Strawberry here. The HTTP layer (api/http/uploads.py) streams a multipart body into
temporary files with a limit per kind; `uploads.upload` checks and stores one such file;
`downloads` streams it back, checking every chunk's SHA-256.
"""
