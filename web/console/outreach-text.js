// What the outreach review shows, computed without the page: a post's text cut into plain and
// matched pieces (the server gives matches as UTF-8 byte offsets, JavaScript strings count
// UTF-16 units), findings grouped by near-duplicate cluster, and the lexicon's terms with their
// precision. No imports, so node's test runner loads it too.

const kEncoder = new TextEncoder();
const kDecoder = new TextDecoder();

function IsContinuationByte(byte) {
  return (byte & 0xc0) === 0x80;
}

// [{text, match}] covering `text` in order; `match` is the match shown there or null. Offsets
// outside the text are clamped, offsets inside a character widen to the whole character, and a
// match overlapping an earlier one is left out (the analyzer reports none such, the longest
// wins).
export function HighlightSegments(text, matches) {
  const bytes = kEncoder.encode(text);
  const ordered = [...(matches ?? [])]
    .filter((m) => Number.isInteger(m.begin) && Number.isInteger(m.end))
    .sort((a, b) => a.begin - b.begin || b.end - a.end);
  const segments = [];
  let cursor = 0;
  const plain = (end) => {
    if (end > cursor) segments.push({ text: kDecoder.decode(bytes.subarray(cursor, end)), match: null });
  };
  for (const match of ordered) {
    let begin = Math.max(0, Math.min(match.begin, bytes.length));
    let end = Math.max(0, Math.min(match.end, bytes.length));
    while (begin > 0 && IsContinuationByte(bytes[begin])) begin -= 1;
    while (end < bytes.length && IsContinuationByte(bytes[end])) end += 1;
    if (begin < cursor || end <= begin) continue;
    plain(begin);
    segments.push({ text: kDecoder.decode(bytes.subarray(begin, end)), match });
    cursor = end;
  }
  plain(bytes.length);
  return segments;
}

// Findings ranked by score, as cards: [{key, lead, members}], one per near-duplicate cluster in
// the order of its best (first) finding; `members` are the cluster's findings in this list, the
// lead first. A finding without a cluster is a card of its own.
export function GroupByCluster(findings) {
  const cards = [];
  const byCluster = new Map();
  for (const finding of findings) {
    const key = finding.cluster ? `c${finding.cluster}` : `f${finding.id}`;
    const card = byCluster.get(key);
    if (card) {
      card.members.push(finding);
    } else {
      const created = { key, lead: finding, members: [finding] };
      byCluster.set(key, created);
      cards.push(created);
    }
  }
  return cards;
}

// The channels a cluster appears in besides `own`, the shown post's channel.
export function OtherChannels(channels, own) {
  return channels.filter((channel) => channel !== own);
}

// recruitment / (recruitment + not_recruitment) of a lexicon term, or null before any verdict.
export function Precision(term) {
  const judged = (term.recruitment ?? 0) + (term.not_recruitment ?? 0);
  return judged === 0 ? null : term.recruitment / judged;
}

// Terms sorted by `key` (text, category, weight, hits or precision), `direction` 1 or -1; a
// precision not known yet sorts last either way.
export function SortTerms(terms, key, direction) {
  const value = (term) => (key === 'precision' ? Precision(term) : term[key]);
  return [...terms].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return (x === null) - (y === null) || a.text.localeCompare(b.text);
    const order = typeof x === 'string' ? x.localeCompare(y) : x - y;
    return order * direction || a.text.localeCompare(b.text);
  });
}
