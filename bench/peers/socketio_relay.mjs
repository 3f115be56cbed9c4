// A peer relay on the `socket.io` package, for bench/load's compare mode: Uitweg's two HTTP
// endpoints plus Socket.IO on the same HTTP server, websocket transport only (clients connect
// straight to /socket.io/?EIO=4&transport=websocket), no per-message compression. Visitors join
// the namespace /visitor, staff /staff (the session cookie of the upgrade request signs them
// in). Every protocol frame of docs/protocol.md, both ways, is one event named `frame` whose
// single argument is the frame object. Backed by the in-memory chat of chat.mjs.
//
// usage: node bench/peers/socketio_relay.mjs --port 0   -> prints `listening PORT`

import { Server } from 'socket.io';

import { Chat } from './chat.mjs';
import { createHttpServer, listen } from './http_api.mjs';

const chat = new Chat();
const server = createHttpServer(chat);
const io = new Server(server, {
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: false,
  httpCompression: false,
  maxHttpBufferSize: 16 * 1024,
});

function serve(socket, open) {
  const peer = {
    deliver: (frame) => socket.emit('frame', frame),
    close: () => socket.disconnect(true),
  };
  const handler = open(peer);
  socket.on('frame', (frame) => {
    if (frame === null || typeof frame !== 'object') {
      peer.deliver({ type: 'error', code: 'invalid_argument', message: 'a frame must be an object' });
      return;
    }
    handler.frame(frame);
  });
  socket.on('disconnect', () => handler.closed());
}

io.of('/visitor').on('connection', (socket) => serve(socket, (peer) => chat.openVisitor(peer)));

const staff = io.of('/staff');
staff.use((socket, next) => {
  const session = chat.sessionFor(socket.request.headers.cookie);
  if (!session) return next(new Error('unauthenticated'));
  socket.data.session = session;
  next();
});
staff.on('connection', (socket) => serve(socket, (peer) => chat.openStaff(socket.data.session, peer)));

listen(server);
