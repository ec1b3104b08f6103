"""A real SMTP server on loopback for Sapar's email tests and benchmark.

    python3 tests/smtp_sink.py PORT DIR [DELAY_SECONDS]

Listens on 127.0.0.1:PORT (0 picks a free port) and prints "ready PORT" once
it accepts connections. Each message it accepts is saved as DIR/NNNNNN.eml
(the DATA bytes as received) with DIR/NNNNNN.json beside it (the envelope:
"mail_from" and "rcpt_tos"). The .eml is written first and the .json last, so
a reader that sees the .json sees the whole message.

While a file named DIR/refuse exists, every DATA is answered
"451 4.3.0 Try again later" and nothing is saved, so a test can make the
server refuse for a while. DELAY_SECONDS, when given, is slept after saving
each message and before acknowledging it: a slow server, so a test can stop
its client mid-batch, possibly after a message arrived but before the client
heard so.
"""

import asyncio
import itertools
import json
import os
import signal
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, folder, delay):
        self.folder = folder
        self.delay = delay
        self.numbers = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(self.folder, "refuse")):
            return "451 4.3.0 Try again later"
        number = next(self.numbers)
        stem = os.path.join(self.folder, f"{number:06d}")
        with open(stem + ".eml.part", "wb") as eml:
            eml.write(envelope.original_content or envelope.content)
        os.replace(stem + ".eml.part", stem + ".eml")
        envelope_json = {"mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos)}
        with open(stem + ".json.part", "w", encoding="utf-8") as sidecar:
            json.dump(envelope_json, sidecar, ensure_ascii=False)
        os.replace(stem + ".json.part", stem + ".json")
        if self.delay > 0:
            await asyncio.sleep(self.delay)
        return "250 2.0.0 OK: queued as %06d" % number


async def serve(port, folder, delay):
    sink = Sink(folder, delay)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(sink, hostname="sapar-sink", enable_SMTPUTF8=True, decode_data=False),
        host="127.0.0.1",
        port=port,
    )
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("ready", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await stop.wait()


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    port, folder = int(sys.argv[1]), sys.argv[2]
    delay = float(sys.argv[3]) if len(sys.argv) == 4 else 0.0
    os.makedirs(folder, exist_ok=True)
    asyncio.run(serve(port, folder, delay))


if __name__ == "__main__":
    main()
