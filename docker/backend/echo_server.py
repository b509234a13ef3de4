"""A Python `websockets` echo server, the kind of backend wsgate is put in front of."""
import asyncio

from websockets.asyncio.server import serve


async def echo(websocket):
    async for message in websocket:
        await websocket.send(message)


async def main():
    async with serve(echo, "0.0.0.0", 9000) as server:
        await server.serve_forever()


asyncio.run(main())
