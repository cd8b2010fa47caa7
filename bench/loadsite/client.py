"""The load client of bench/load.py: an asyncio HTTP/1.1 client over TLS with keep-alive, run
in a process of its own, and the CPU accounting of the client, the server and the rest."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import re
import ssl
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

SHEET_PAUSE = 5.0

# ------------------------------------------------------------------------------------------
# The machine: CPU used by each party during a measurement
# ------------------------------------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1


def _machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    total = sum(fields[:8])
    return (total - idle) / TICKS, total / TICKS


def _tree_cpu_seconds(root_pid: int) -> float:
    """CPU seconds of a process and its children, live or already reaped: gunicorn recycles
    its workers, and a reaped worker's time moves to the master's children's time."""
    parents: dict[int, int] = {}
    own: dict[int, float] = {}
    reaped: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        rest = text.rsplit(")", 1)[1].split()
        pid = int(stat.parent.name)
        parents[pid] = int(rest[1])
        own[pid] = (int(rest[11]) + int(rest[12])) / TICKS
        reaped[pid] = (int(rest[13]) + int(rest[14])) / TICKS
    tree, frontier = {root_pid}, [root_pid]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(own.get(pid, 0.0) + reaped.get(pid, 0.0) for pid in tree)


@dataclass
class CpuShare:
    wall: float
    client: float
    server: float
    machine: float

    def line(self) -> str:
        capacity = self.wall * CORES
        others = max(self.machine - self.client - self.server, 0.0)
        return (
            f"cpu: server {self.server / capacity:5.1%}  client {self.client / capacity:5.1%}  "
            f"others {others / capacity:5.1%}  of {CORES} cores; load {os.getloadavg()[0]:.2f}"
        )


# ------------------------------------------------------------------------------------------
# The load client: an asyncio HTTP/1.1 client over TLS with keep-alive, in its own process
# ------------------------------------------------------------------------------------------


class Connection:
    def __init__(self, host: str, port: int, context: ssl.SSLContext):
        self.host, self.port, self.context = host, port, context
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, cookie: str = "", body: bytes = b"", extra: str = ""
    ) -> tuple[int, dict[str, list[str]], bytes]:
        for attempt in (1, 2):  # a kept-alive connection the server closed: reconnect once
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(
                    self.host, self.port, ssl=self.context, server_hostname="localhost"
                )
            head = f"{method} {path} HTTP/1.1\r\nHost: localhost:{self.port}\r\n"
            if cookie:
                head += f"Cookie: {cookie}\r\n"
            if body:
                head += (
                    "Content-Type: application/x-www-form-urlencoded\r\n"
                    f"Content-Length: {len(body)}\r\n"
                )
            head += extra + "\r\n"
            try:
                self.writer.write(head.encode() + body)
                await self.writer.drain()
                return await self._response()
            except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
                await self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _response(self) -> tuple[int, dict[str, list[str]], bytes]:
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("closed before answering")
        status = int(status_line.split()[1])
        headers: dict[str, list[str]] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"][0]))
        elif "chunked" in headers.get("transfer-encoding", [""])[0]:
            chunks = []
            while size := int((await self.reader.readline()).strip() or b"0", 16):
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readline()
            await self.reader.readline()
            body = b"".join(chunks)
        else:
            body = await self.reader.read()
            await self.close()
        if headers.get("connection", [""])[0].lower() == "close":
            await self.close()
        return status, headers, body


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _hammer(target: dict, duration: float, concurrency: int, warmup: float) -> dict:
    context = ssl.create_default_context(cafile=target["cafile"])
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0

    async def one_connection(measure_from: float, until: float) -> None:
        nonlocal errors
        connection = Connection("127.0.0.1", target["port"], context)
        try:
            while (now := time.perf_counter()) < until:
                try:
                    status, _headers, _body = await connection.request(
                        "GET", target["path"], target["cookie"]
                    )
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                    continue
                if now >= measure_from:
                    latencies.append(time.perf_counter() - now)
                    statuses[status] = statuses.get(status, 0) + 1
        finally:
            await connection.close()

    start = time.perf_counter()
    measure_from = start + warmup
    until = measure_from + duration
    await asyncio.gather(*(one_connection(measure_from, until) for _ in range(concurrency)))
    return {"latencies": latencies, "statuses": statuses, "errors": errors, "seconds": duration}


STATUS_FIELD = re.compile(r'name="(status-\d+)"[^>]*value="([PLEA])"[^>]*checked')
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


async def _device(target: dict, sheet: dict, number: int, until: float, results: dict) -> None:
    """One trainer's phone: open the sheet, save it, wait, save again, until the end. The
    devices start spread over one pause, as people do not all tap at the same instant."""
    context = ssl.create_default_context(cafile=target["cafile"])
    connection = Connection("127.0.0.1", target["port"], context)
    cookie = sheet["cookie"]
    path = sheet["path"]
    save = 0
    await asyncio.sleep(SHEET_PAUSE * number / len(target["sheets"]))
    try:
        while time.perf_counter() < until:
            status, _h, html = await connection.request("GET", path, cookie)
            token = CSRF_FIELD.search(html)
            enrollments = sorted(set(re.findall(rb'name="status-(\d+)"', html)))
            if status != 200 or token is None or not enrollments:
                results["errors"].append(f"device {number}: sheet answered {status}")
                await asyncio.sleep(SHEET_PAUSE)
                continue
            marks = {
                f"status-{pk.decode()}": "PLEA"[(i + number + save) % 4]
                for i, pk in enumerate(enrollments)
            }
            form = urlencode({"csrfmiddlewaretoken": token.group(1).decode(), **marks}).encode()
            origin = f"Origin: https://localhost:{target['port']}\r\n"
            started = time.perf_counter()
            status, _h, _b = await connection.request("POST", path, cookie, form, origin)
            elapsed = time.perf_counter() - started
            if status == 302:
                results["latencies"].append(elapsed)
            else:
                results["errors"].append(f"device {number}: save answered {status}")
            save += 1
            await asyncio.sleep(SHEET_PAUSE)
    finally:
        await connection.close()


async def _devices(target: dict, duration: float) -> dict:
    results: dict = {"latencies": [], "errors": []}
    until = time.perf_counter() + duration
    await asyncio.gather(
        *(
            _device(target, sheet, number, until, results)
            for number, sheet in enumerate(target["sheets"])
        )
    )
    results["seconds"] = duration
    return results


def _client_process(pipe, job: str, target: dict, *args) -> None:
    started = os.times()
    if job == "pages":
        result = asyncio.run(_hammer(target, *args))
    else:
        result = asyncio.run(_devices(target, *args))
    finished = os.times()
    result["client_cpu"] = (finished.user - started.user) + (finished.system - started.system)
    pipe.send(result)
    pipe.close()


def run_client(server_pid: int, job: str, target: dict, *args) -> tuple[dict, CpuShare]:
    """Run one measurement in a separate client process; measure who used the CPU."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_client_process, args=(send, job, target, *args))
    busy_before, _ = _machine_busy_seconds()
    server_before = _tree_cpu_seconds(server_pid)
    wall_before = time.perf_counter()
    process.start()
    result = receive.recv()
    process.join()
    wall = time.perf_counter() - wall_before
    busy_after, _ = _machine_busy_seconds()
    share = CpuShare(
        wall=wall,
        client=result["client_cpu"],
        server=_tree_cpu_seconds(server_pid) - server_before,
        machine=busy_after - busy_before,
    )
    return result, share
