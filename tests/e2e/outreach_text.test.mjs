// Unit tests of the outreach review's browser modules that run without a browser: marking
// matches from UTF-8 byte offsets in JavaScript's UTF-16 strings, grouping findings by
// near-duplicate cluster, a term's precision and sort order, and the chunked upload that
// resumes where the server says it is.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { File as NodeFile } from 'node:buffer';
import { GroupByCluster, HighlightSegments, OtherChannels, Precision, SortTerms } from '../../web/console/outreach-text.js';
import { SendInChunks } from '../../web/console/outreach-upload.js';

// Node 18 (Debian 12's) has File in node:buffer only; the page uses the browser's.
globalThis.File ??= NodeFile;

// The byte offsets of `part` in `text`, as the server reports a match.
function Bytes(text, part) {
  const encoder = new TextEncoder();
  const begin = encoder.encode(text.slice(0, text.indexOf(part))).length;
  return { begin, end: begin + encoder.encode(part).length };
}

function Marked(segments) {
  return segments.map((s) => (s.match ? `[${s.text}]` : s.text)).join('');
}

test('matches are marked at their UTF-8 byte offsets, after emoji and accents too', () => {
  const text = '💰💰 Snel géld! Pinpas uitlenen 🔥 DM';
  const matches = [
    { term: 'snel geld', ...Bytes(text, 'Snel géld') },
    { term: 'pinpas uitlenen', ...Bytes(text, 'Pinpas uitlenen') },
  ];
  const segments = HighlightSegments(text, matches);
  assert.equal(Marked(segments), '💰💰 [Snel géld]! [Pinpas uitlenen] 🔥 DM');
  assert.equal(segments[1].match.term, 'snel geld');
  assert.equal(segments.map((s) => s.text).join(''), text);
});

test('matches come in any order; overlapping, empty and offset-less ones are left out', () => {
  const text = 'pinpas uitlenen voor geld';
  const segments = HighlightSegments(text, [
    { term: 'geld', ...Bytes(text, 'geld') },
    { term: 'pinpas uitlenen', ...Bytes(text, 'pinpas uitlenen') },
    { term: 'pinpas', ...Bytes(text, 'pinpas') },
    { term: 'empty', begin: 3, end: 3 },
    { term: 'rule:offer_with_contact', weight: 1.5 },
  ]);
  assert.equal(Marked(segments), '[pinpas uitlenen] voor [geld]');
});

test('offsets past the end are clamped and offsets inside a character take the whole character', () => {
  const text = 'geld 💸';
  assert.equal(Marked(HighlightSegments(text, [{ begin: 5, end: 99 }])), 'geld [💸]');
  // Byte 6 is inside the four bytes of 💸: the mark widens to all of it, never a broken half.
  assert.equal(Marked(HighlightSegments(text, [{ begin: 6, end: 7 }])), 'geld [💸]');
  assert.equal(Marked(HighlightSegments('', [{ begin: 0, end: 4 }])), '');
  assert.equal(Marked(HighlightSegments('tekst', undefined)), 'tekst');
});

test('findings group into one card per cluster, in the order of their best post', () => {
  const findings = [
    { id: 1, cluster: 2, score: 9 },
    { id: 2, cluster: 1, score: 8 },
    { id: 3, cluster: 2, score: 7 },
    { id: 4, cluster: 0, score: 6 },
    { id: 5, cluster: 0, score: 5 },
  ];
  const cards = GroupByCluster(findings);
  assert.deepEqual(cards.map((c) => [c.lead.id, c.members.map((m) => m.id)]), [[1, [1, 3]], [2, [2]], [4, [4]], [5, [5]]]);
});

test("a cluster's other channels leave out the lead post's own", () => {
  assert.deepEqual(OtherChannels(['B', 'A', 'C'], 'A'), ['B', 'C']);
  assert.deepEqual(OtherChannels(['A'], 'A'), []);
});

test('precision is recruitment over judged, unknown without verdicts, and sorts last', () => {
  assert.equal(Precision({ recruitment: 3, not_recruitment: 1 }), 0.75);
  assert.equal(Precision({ recruitment: 0, not_recruitment: 0 }), null);
  const terms = [
    { text: 'b', hits: 5, recruitment: 1, not_recruitment: 1 },
    { text: 'a', hits: 9, recruitment: 0, not_recruitment: 0 },
    { text: 'c', hits: 1, recruitment: 2, not_recruitment: 0 },
  ];
  assert.deepEqual(SortTerms(terms, 'precision', -1).map((t) => t.text), ['c', 'b', 'a']);
  assert.deepEqual(SortTerms(terms, 'precision', 1).map((t) => t.text), ['b', 'c', 'a']);
  assert.deepEqual(SortTerms(terms, 'hits', -1).map((t) => t.text), ['a', 'b', 'c']);
  assert.deepEqual(SortTerms(terms, 'text', 1).map((t) => t.text), ['a', 'b', 'c']);
});

// A server holding one upload in memory; `lose` lists offsets whose answer gets lost once
// (the bytes arrive, the client hears a network failure).
function FakeServer({ chunkBytes, lose = [] }) {
  const server = { bytes: [], calls: [], lose: new Set(lose) };
  server.create = async (name, size) => {
    server.declared = { name, size };
    return { id: 'u1', chunk_bytes: chunkBytes };
  };
  server.send = async (id, offset, blob) => {
    server.calls.push(offset);
    if (offset !== server.bytes.length) {
      throw Object.assign(new Error('conflict'), { status: 409, body: { error: 'wrong offset', received: server.bytes.length } });
    }
    server.bytes.push(...new Uint8Array(await blob.arrayBuffer()));
    if (server.lose.delete(offset)) throw new TypeError('Failed to fetch');
    return { received: server.bytes.length };
  };
  return server;
}

test('a file goes up in chunks one after another, with progress after each', async () => {
  const file = new File([new Uint8Array(10).map((_, i) => i)], 'result.json');
  const server = FakeServer({ chunkBytes: 4 });
  const progress = [];
  const id = await SendInChunks(file, { create: server.create, send: server.send, onProgress: (n) => progress.push(n) });
  assert.equal(id, 'u1');
  assert.deepEqual(server.declared, { name: 'result.json', size: 10 });
  assert.deepEqual(server.calls, [0, 4, 8]);
  assert.deepEqual(progress, [4, 8, 10]);
  assert.deepEqual(server.bytes, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('a lost answer is sent again, and the 409 with {received} resumes after what arrived', async () => {
  const file = new File([new Uint8Array(10).map((_, i) => i)], 'result.json');
  const server = FakeServer({ chunkBytes: 4, lose: [4] });
  await SendInChunks(file, { create: server.create, send: server.send });
  assert.deepEqual(server.calls, [0, 4, 4, 8]);
  assert.deepEqual(server.bytes, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('a refusal other than a resumable 409 ends the upload with that error', async () => {
  const file = new File(['abc'], 'big.zip');
  const refused = Object.assign(new Error('the file is 10.0 GB; the limit is 2.0 GB'), { status: 413 });
  await assert.rejects(
    SendInChunks(file, { create: async () => { throw refused; }, send: async () => ({ received: 0 }) }),
    refused,
  );
  await assert.rejects(
    SendInChunks(file, { create: async () => ({ id: 'u', chunk_bytes: 2 }), send: async () => ({ received: 0 }) }),
    /does not advance/,
  );
});
