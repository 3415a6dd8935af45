"""A local SMTP sink for ``bench/newsletter_bench.py``: speaks just enough SMTP (EHLO/HELO, MAIL, RCPT, DATA,
RSET, NOOP, QUIT) to accept every message, counts them and throws them away. ``XSTAT`` answers
``250 <messages> <first arrival> <last arrival>`` (Unix times), so the benchmark reads the figures over SMTP.

Written on asyncio streams rather than aiosmtpd: on a 2-core machine the sink shares the CPU with the worker it
measures, and aiosmtpd spends several times more CPU a message (its state machine, logging, envelope objects),
so the figure would be the sink's, not the sender's.

usage: python bench/smtp_sink.py PORT
"""

import asyncio
import sys
import time


class Counts:
    messages, first, last = 0, 0.0, 0.0


async def session(reader, writer, counts):
    writer.write(b"220 sink ESMTP\r\n")
    while line := await reader.readline():
        verb = line[:4].upper()
        if verb == b"DATA":
            writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            while (chunk := await reader.readline()) and chunk != b".\r\n":
                pass
            if not chunk:
                break
            counts.last = time.time()
            counts.first = counts.first or counts.last
            counts.messages += 1
            writer.write(b"250 OK\r\n")
        elif verb == b"EHLO":
            writer.write(b"250-sink\r\n250 8BITMIME\r\n")
        elif verb == b"QUIT":
            writer.write(b"221 Bye\r\n")
            break
        elif verb == b"XSTA":
            writer.write(f"250 {counts.messages} {counts.first} {counts.last}\r\n".encode())
        else:
            writer.write(b"250 OK\r\n")
        await writer.drain()
    writer.close()


async def main(port):
    counts = Counts()
    server = await asyncio.start_server(lambda r, w: session(r, w, counts), "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
