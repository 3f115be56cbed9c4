// The HTTP side shared by the peer relays: the two POST endpoints the load generator calls
// (start a visitor conversation, staff sign-in) with Uitweg's JSON shapes, and start-up on
// 127.0.0.1 with `--port N` (0 = a free port), announced as one line `listening PORT` on stdout
// once the server accepts connections. Everything else answers 404.

import http from 'node:http';
import { parseArgs } from 'node:util';

const kMaxBody = 16 * 1024;

function reply(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function fail(res, status, code, message) {
  reply(res, status, { error: { code, message } });
}

// Calls `done(object)` with the parsed JSON body, or answers 400/413 itself.
function readJson(req, res, done) {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > kMaxBody) {
      fail(res, 413, 'payload_too_large', 'body over 16 KiB');
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > kMaxBody) return;
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      return fail(res, 400, 'invalid_argument', 'malformed JSON');
    }
    if (body === null || typeof body !== 'object') return fail(res, 400, 'invalid_argument', 'not an object');
    done(body);
  });
}

// An http.Server answering the two POSTs from `chat` (a Chat from chat.mjs).
export function createHttpServer(chat) {
  return http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/api/v1/visitor/conversations') {
      return readJson(req, res, (body) => reply(res, 201, chat.startConversation(body)));
    }
    if (req.method === 'POST' && req.url === '/api/v1/staff/session') {
      return readJson(req, res, (body) => {
        const { token, session } = chat.signIn(body);
        reply(res, 200, { username: session.username, role: 'counsellor', ...session }, {
          'Set-Cookie': `__Host-uitweg_session=${token}; HttpOnly; Secure; SameSite=Strict; Path=/`,
        });
      });
    }
    fail(res, 404, 'not_found', 'no such path');
  });
}

// Listens on 127.0.0.1:--port and prints `listening PORT`.
export function listen(server, argv = process.argv.slice(2)) {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string', default: '0' } } });
  server.listen(Number(values.port), '127.0.0.1', () => {
    process.stdout.write(`listening ${server.address().port}\n`);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
}
