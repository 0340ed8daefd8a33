"""Bounded request bodies: a 10 MB file is refused while it streams in, not after.

:class:`BodyLimitMiddleware` (pure ASGI, outside FastAPI's form parsing) refuses
a declared ``Content-Length`` over the limit before reading a byte, and counts
the bytes of a chunked body as they arrive, stopping past the limit. The limit
is the file limit plus a small allowance for the multipart framing and the
short text fields, so a file just over 10 MB can slip past the stream check; the
route then measures the file itself (:func:`read_upload`). Either way the
answer is the contract's 413 envelope. Starlette spools the file part to a
temporary file, and caps text fields at 1 MB and the number of parts.
"""

from __future__ import annotations

from fastapi import UploadFile
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from batchcall.sandbox.errors import UNNAMED_FILE, ApiProblem, send_envelope

# Boundaries, part headers and the text fields (each bounded to a few hundred chars).
MULTIPART_ALLOWANCE = 64 * 1024
# The contract's types. The workbench's own reader takes more (.txt, .xlsm, no name);
# the platform does not, so neither does its stand-in.
ACCEPTED_EXTENSIONS = (".csv", ".xlsx", ".xls")


def check_file_type(filename: str) -> None:
    """400 unless the name ends in .csv, .xlsx or .xls (any case): never sniffed."""
    if not filename.strip():
        raise ApiProblem(400, UNNAMED_FILE)
    lowered = filename.lower()
    extension = lowered[lowered.rfind(".") :] if "." in lowered else ""
    if extension not in ACCEPTED_EXTENSIONS:
        raise ApiProblem(
            400,
            f"{filename}: '{extension or 'no extension'}' files are not supported. Upload the "
            "list as CSV, XLSX or XLS: save it from your spreadsheet program under a name "
            "ending in .csv, .xlsx or .xls.",
        )


def too_large_message(limit: int) -> str:
    return (
        f"The file is over the {limit / 1024 / 1024:g} MB limit. Split the list into smaller "
        "files, or remove columns the agent does not use."
    )


class _TooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """413 for a request body over ``max_body_bytes``, decided as early as possible."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, file_limit: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.message = too_large_message(file_limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await send_envelope(send, 413, self.message)
            return
        received = 0
        exceeded = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if not exceeded:  # whatever the app made of the aborted body, the answer is 413
                await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded:
            await send_envelope(send, 413, self.message)


def read_upload(upload: UploadFile, limit: int) -> bytes:
    """The file's bytes, or the 413 when it is over ``limit`` (reads at most limit + 1)."""
    upload.file.seek(0)
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise ApiProblem(413, too_large_message(limit))
    return data
