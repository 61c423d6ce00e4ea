"""Every bound of the protocol, as common/.../limits/Limits.java gives it (a Java test checks that they agree)."""

MAX_INLINE_BYTES = 64 * 1024  # longest inline request line, CRLF excluded
MAX_BULK_BYTES = 1024 * 1024  # longest bulk string argument
MAX_ARGUMENTS = 1024  # most arguments in one request, command name included
MAX_REQUEST_BYTES = MAX_BULK_BYTES + MAX_INLINE_BYTES  # largest request, every byte counted as it arrives
MAX_CLIENT_NAME_BYTES = 1024  # longest client name or library attribute a connection keeps
MAX_SLEEP_MILLIS = 60_000  # longest SLEEP
MAX_DATA_BYTES = 64 * 1024 * 1024  # largest DATA reply
MAX_WORK_ROUNDS = 10_000_000  # most SHA-256 rounds one WORK may ask for
