// A peer relay on the `ws` package, for bench/load's compare mode: Uitweg's two HTTP endpoints
// and its WebSockets /api/v1/visitor/ws and /api/v1/staff/ws (plain JSON text frames, no
// per-message compression) on one HTTP server, backed by the in-memory chat of chat.mjs.
//
// usage: node bench/peers/ws_relay.mjs --port 0   -> prints `listening PORT`

import { WebSocketServer } from 'ws';

import { Chat } from './chat.mjs';
import { createHttpServer, listen } from './http_api.mjs';

const chat = new Chat();
const server = createHttpServer(chat);
const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 16 * 1024 });

function refuse(socket, status, text) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

function serve(ws, open) {
  const peer = {
    deliver: (frame) => ws.send(JSON.stringify(frame)),
    close: (code) => ws.close(code),
  };
  const handler = open(peer);
  ws.on('message', (data) => {
    let frame;
    try {
      frame = JSON.parse(data.toString('utf8'));
    } catch {
      frame = null;
    }
    if (frame === null || typeof frame !== 'object') {
      peer.deliver({ type: 'error', code: 'invalid_argument', message: 'malformed JSON' });
      return;
    }
    handler.frame(frame);
  });
  ws.on('close', () => handler.closed());
  ws.on('error', () => {});
}

server.on('upgrade', (req, socket, head) => {
  socket.on('error', () => {});
  if (req.url === '/api/v1/visitor/ws') {
    sockets.handleUpgrade(req, socket, head, (ws) => serve(ws, (peer) => chat.openVisitor(peer)));
  } else if (req.url === '/api/v1/staff/ws') {
    const session = chat.sessionFor(req.headers.cookie);
    if (!session) return refuse(socket, 401, 'Unauthorized');
    sockets.handleUpgrade(req, socket, head, (ws) => serve(ws, (peer) => chat.openStaff(session, peer)));
  } else {
    refuse(socket, 404, 'Not Found');
  }
});

listen(server);
