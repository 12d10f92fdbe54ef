"""``/v1/stream?after=SEQ``: the events after SEQ from the log, then each new one as it commits.

Each message is a JSON text frame holding an array of one or more events (what committed
together goes together), strictly in ``seq`` order without gaps across messages; a client that
reconnects with the last ``seq`` it saw misses nothing and sees nothing twice. The handshake
answer names the log (``x-hub-log``), so a client can tell a hub whose database was replaced."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from counter_app.hub import auth
from counter_app.hub.broadcast import Encoded, Subscriber, encode

log = logging.getLogger(__name__)

REPLAY_PAGE = 1000
AHEAD_OF_LOG = 4409  # close code: the client's sequence is beyond this hub's log
LOG_HEADER = b"x-hub-log"  # which log this is (the hub database's node id): a new one starts over

stream_router = APIRouter()


async def _replay(websocket: WebSocket, after: int) -> int:
    """Send the log after ``after`` from the database; returns the last sequence sent."""
    queue = websocket.app.state.hub.queue
    last = after
    while True:
        events = await run_in_threadpool(queue.events_since, last, REPLAY_PAGE)
        if events:
            await websocket.send_text("[" + ",".join(encode(event).text for event in events) + "]")
            last = events[-1].seq
        if len(events) < REPLAY_PAGE:
            return last


async def _watch_close(websocket: WebSocket, subscriber: Subscriber) -> None:
    """Read (and ignore) what the client sends; when it goes, wake the sender."""
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
    except (WebSocketDisconnect, RuntimeError):
        pass
    subscriber.close()


@stream_router.websocket("/v1/stream")
async def stream(websocket: WebSocket, after: int = Query(0, ge=0)) -> None:
    hub = websocket.app.state.hub
    try:
        caller = hub.auth.authorise(websocket.scope, auth.READ_STATE)
    except auth.Denied as denied:  # the device guard let it in: a revocation in between
        await websocket.close(code=4000 + denied.status, reason=str(denied))
        return
    await websocket.accept(headers=[(LOG_HEADER, hub.node.node_id.encode())])
    if after > hub.broadcaster.last_seq:
        # the client saw more than this log holds: the hub's database was replaced or restored
        await websocket.close(code=AHEAD_OF_LOG, reason="after is beyond the hub's event log; reload the state")
        return
    subscriber = hub.broadcaster.subscribe()  # before the replay: nothing can fall in between
    hub.auth.watch(caller.device, subscriber)  # a revoked device's stream is closed
    watcher = asyncio.create_task(_watch_close(websocket, subscriber))
    try:
        last = await _replay(websocket, after)
        while True:
            item: Encoded | None = await subscriber.queue.get()
            texts: list[str] = []
            while item is not None:
                if item.seq > last + 1:  # should not happen; the log is the truth
                    break
                if item.seq == last + 1:
                    texts.append(item.text)
                    last = item.seq
                if subscriber.queue.empty() or len(texts) >= REPLAY_PAGE:
                    item = None
                    break
                item = subscriber.queue.get_nowait()
            if texts:
                await websocket.send_text("[" + ",".join(texts) + "]")
            if item is not None:  # a gap
                last = await _replay(websocket, last)
            elif subscriber.closed:
                break
            elif subscriber.lagging:
                subscriber.lagging = False
                last = await _replay(websocket, last)
    except (WebSocketDisconnect, RuntimeError, ConnectionError):
        pass
    except Exception:
        log.exception("event stream failed")
    finally:
        hub.broadcaster.unsubscribe(subscriber)
        hub.auth.unwatch(caller.device, subscriber)
        watcher.cancel()
        try:
            await websocket.close()
        except (WebSocketDisconnect, RuntimeError, ConnectionError):
            pass
