"""``/v1/stream?after=SEQ``: the events after SEQ from the log, then each new one as it commits.

Messages are JSON text frames, one event each, strictly in ``seq`` order without gaps; a
client that reconnects with the last ``seq`` it saw misses nothing and sees nothing twice."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from counter_app.hub.broadcast import Encoded, Subscriber, encode

log = logging.getLogger(__name__)

REPLAY_PAGE = 1000

stream_router = APIRouter()


async def _replay(websocket: WebSocket, after: int) -> int:
    """Send the log after ``after`` from the database; returns the last sequence sent."""
    queue = websocket.app.state.hub.queue
    last = after
    while True:
        events = await run_in_threadpool(queue.events_since, last, REPLAY_PAGE)
        for event in events:
            await websocket.send_text(encode(event).text)
            last = event.seq
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
    await websocket.accept()
    subscriber = hub.broadcaster.subscribe()  # before the replay: nothing can fall in between
    watcher = asyncio.create_task(_watch_close(websocket, subscriber))
    try:
        last = await _replay(websocket, after)
        while True:
            item: Encoded | None = await subscriber.queue.get()
            if item is None:
                if subscriber.closed:
                    break
                subscriber.lagging = False
                last = await _replay(websocket, last)
                continue
            if item.seq <= last:
                continue
            if item.seq > last + 1:  # should not happen; the log is the truth
                last = await _replay(websocket, last)
                if item.seq <= last:
                    continue
            await websocket.send_text(item.text)
            last = item.seq
    except (WebSocketDisconnect, RuntimeError, ConnectionError):
        pass
    except Exception:
        log.exception("event stream failed")
    finally:
        hub.broadcaster.unsubscribe(subscriber)
        watcher.cancel()
        try:
            await websocket.close()
        except (WebSocketDisconnect, RuntimeError, ConnectionError):
            pass
