// The in-memory chat shared by the two peer relays: the minimal subset of Uitweg's protocol
// (docs/protocol.md) that bench/load drives, with the same JSON shapes. Nothing is persisted;
// conversations, sessions and sockets live in Maps until the process exits.
//
// A transport (ws_relay.mjs, socketio_relay.mjs) gives every socket a peer
// `{ deliver(frame), close(code) }`: `deliver` serialises the frame object once and writes it.
// `openVisitor(peer)` / `openStaff(session, peer)` return `{ frame(obj), closed() }` for the
// transport to call with each parsed incoming frame and once when the socket ends.
//
// Deliberately left out, because the load generator does not use it: idempotent resends
// (every ack says "duplicate": false), replay of text messages on resume (only the accepted
// event is replayed), queue broadcasts, ending a chat, rate limits, CSRF and Origin checks.

import { randomBytes } from 'node:crypto';

const kPolicyClose = 1008;

function newId(bytes) {
  return randomBytes(bytes).toString('base64url');
}

function errorFrame(code, message, ref) {
  const frame = { type: 'error', code, message };
  if (ref) frame.ref = ref;
  return frame;
}

export class Chat {
  constructor() {
    this.conversations = new Map(); // id -> conversation
    this.byToken = new Map(); // resume token -> conversation
    this.sessions = new Map(); // session token -> { username, display_name, csrf_token }
    this.staffSockets = new Map(); // username -> peer of the newest staff socket
    this.waiting = 0;
  }

  // POST /api/v1/visitor/conversations
  startConversation(body) {
    const conversation = {
      id: 'c_' + newId(12),
      token: newId(32),
      status: 'waiting',
      subject: body.subject === 'other' ? 'other' : 'self',
      nickname: typeof body.nickname === 'string' ? body.nickname : '',
      created_at: Date.now(),
      accepted_at: null,
      last_seq: 0,
      visitor: null, // peer
      counsellor: null, // username
      author: '',
      accepted: null, // the accepted message frame, replayed on hello
    };
    this.conversations.set(conversation.id, conversation);
    this.byToken.set(conversation.token, conversation);
    this.waiting += 1;
    return {
      conversation_id: conversation.id,
      resume_token: conversation.token,
      status: 'waiting',
      queue_position: this.waiting,
    };
  }

  // POST /api/v1/staff/session: any username and password will do.
  signIn(body) {
    const username = typeof body.username === 'string' && body.username ? body.username : 'staff';
    const token = newId(32);
    const session = { username, display_name: username, csrf_token: newId(24) };
    this.sessions.set(token, session);
    return { token, session };
  }

  // The session named by a Cookie header, or undefined.
  sessionFor(cookieHeader) {
    if (!cookieHeader) return undefined;
    for (const part of cookieHeader.split(';')) {
      const [name, value] = part.trim().split('=');
      if (name === '__Host-uitweg_session') return this.sessions.get(value);
    }
    return undefined;
  }

  openVisitor(peer) {
    let conversation = null;
    return {
      frame: (frame) => {
        if (conversation === null) {
          if (frame.type !== 'hello') {
            peer.deliver(errorFrame('invalid_argument', 'the first frame must be hello'));
            peer.close(kPolicyClose);
            return;
          }
          const found = this.byToken.get(frame.resume_token);
          if (!found) {
            peer.deliver(errorFrame('unauthenticated', 'unknown resume token'));
            peer.close(kPolicyClose);
            return;
          }
          conversation = found;
          conversation.visitor = peer;
          peer.deliver({
            type: 'welcome',
            conversation: conversationJson(conversation),
            queue_position: conversation.status === 'waiting' ? 1 : null,
          });
          const lastSeq = Number(frame.last_seq) || 0;
          if (conversation.accepted && lastSeq < 1) peer.deliver(conversation.accepted);
          return;
        }
        if (frame.type === 'send') {
          const seq = ++conversation.last_seq;
          peer.deliver({ type: 'ack', client_id: frame.client_id, seq, duplicate: false });
          const counsellor = conversation.counsellor && this.staffSockets.get(conversation.counsellor);
          if (counsellor) {
            counsellor.deliver({
              type: 'message',
              message: {
                conversation_id: conversation.id,
                seq,
                kind: 'text',
                sender: 'visitor',
                client_id: frame.client_id,
                body: frame.body,
                created_at: Date.now(),
              },
            });
          }
        } else if (frame.type === 'ping') {
          peer.deliver({ type: 'pong' });
        } else {
          peer.deliver(errorFrame('invalid_argument', 'unknown frame type'));
        }
      },
      closed: () => {
        if (conversation && conversation.visitor === peer) conversation.visitor = null;
      },
    };
  }

  openStaff(session, peer) {
    const { username, display_name } = session;
    return {
      frame: (frame) => {
        switch (frame.type) {
          case 'hello':
            this.staffSockets.set(username, peer);
            peer.deliver({
              type: 'welcome',
              me: { username, role: 'counsellor', display_name },
              active: [],
            });
            peer.deliver({ type: 'queue', waiting: [], total: 0 });
            return;
          case 'accept':
            return this.accept(username, display_name, peer, frame.conversation_id);
          case 'send':
            return this.sendAsCounsellor(username, display_name, peer, frame);
          case 'ping':
            return peer.deliver({ type: 'pong' });
          default:
            peer.deliver(errorFrame('invalid_argument', 'unknown frame type'));
        }
      },
      closed: () => {
        if (this.staffSockets.get(username) === peer) this.staffSockets.delete(username);
      },
    };
  }

  accept(username, author, peer, id) {
    const conversation = this.conversations.get(id);
    if (!conversation) return peer.deliver(errorFrame('not_found', 'no such conversation', id));
    if (conversation.status !== 'waiting') {
      return peer.deliver(errorFrame('failed_precondition', 'already accepted', id));
    }
    const now = Date.now();
    conversation.status = 'active';
    conversation.accepted_at = now;
    conversation.counsellor = username;
    conversation.author = author;
    conversation.last_seq = 1;
    this.waiting -= 1;
    conversation.accepted = {
      type: 'message',
      message: {
        conversation_id: id,
        seq: 1,
        kind: 'accepted',
        sender: 'counsellor',
        client_id: '',
        body: '',
        created_at: now,
        author,
      },
    };
    peer.deliver({ type: 'assigned', conversation: conversationJson(conversation) });
    peer.deliver(conversation.accepted);
    if (conversation.visitor) conversation.visitor.deliver(conversation.accepted);
  }

  sendAsCounsellor(username, author, peer, frame) {
    const id = frame.conversation_id;
    const conversation = this.conversations.get(id);
    if (!conversation || conversation.counsellor !== username) {
      return peer.deliver(errorFrame('permission_denied', 'not your conversation', frame.client_id));
    }
    const seq = ++conversation.last_seq;
    peer.deliver({ type: 'ack', conversation_id: id, client_id: frame.client_id, seq, duplicate: false });
    if (conversation.visitor) {
      conversation.visitor.deliver({
        type: 'message',
        message: {
          conversation_id: id,
          seq,
          kind: 'text',
          sender: 'counsellor',
          client_id: frame.client_id,
          body: frame.body,
          created_at: Date.now(),
          author,
        },
      });
    }
  }
}

function conversationJson(c) {
  return {
    id: c.id,
    status: c.status,
    subject: c.subject,
    nickname: c.nickname,
    created_at: c.created_at,
    accepted_at: c.accepted_at,
    ended_at: null,
    last_seq: c.last_seq,
  };
}
