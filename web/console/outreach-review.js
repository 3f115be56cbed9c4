// The review of one scan's findings: those without a verdict (or, by the filter, those with
// one), ranked by score, one card per near-duplicate cluster showing its best post. A card
// shows where and when it was posted, how its score splits into lexicon and model, its
// categories, the text with each lexicon match marked, the words that moved the model, and the
// other channels the same post went to (the cluster's other posts open below it). The analyst
// moves with j/k or the arrows and judges with r/n/u (or the buttons); a verdict goes to every
// post of the cluster, and the queue moves on. Exports of the scan and of labelled verdicts.

import { html, useEffect, useLayoutEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import {
  OutreachCluster,
  OutreachExportUrl,
  OutreachFindings,
  OutreachScan,
  OutreachVerdictsUrl,
  SetOutreachVerdict,
} from './api.js';
import { ShortDateTime } from './format.js';
import { kVerdicts, Refusal, Score, VerdictLabel, Weight } from './outreach-format.js';
import { GroupByCluster, HighlightSegments, OtherChannels } from './outreach-text.js';

const kPage = 50;
// Fewer cards than this left below the current one: the next page is fetched.
const kLoadAhead = 3;
const kFilters = [
  ['none', 'outreach.f.none'],
  ['any', 'outreach.f.any'],
  ['recruitment', 'outreach.f.recruitment'],
  ['not_recruitment', 'outreach.f.not_recruitment'],
  ['unsure', 'outreach.f.unsure'],
  ['every', 'outreach.f.every'],
];
const kShortcuts = [
  ['j / ↓', 'outreach.keys.next'],
  ['k / ↑', 'outreach.keys.previous'],
  ['r', 'outreach.v.recruitment'],
  ['n', 'outreach.v.not_recruitment'],
  ['u', 'outreach.v.unsure'],
  ['?', 'outreach.keys.help'],
];

// Whether `finding` belongs in the list the filter shows.
function Shows(filter, finding) {
  const verdict = finding.verdict?.verdict ?? null;
  if (filter === 'every') return true;
  if (filter === 'none') return verdict === null;
  if (filter === 'any') return verdict !== null;
  return verdict === filter;
}

function FindingOf(answer) {
  return answer?.finding ?? answer;
}

function DaysAgo(days) {
  return new Date(Date.now() - days * 86400000).toISOString().slice(0, 10);
}

function MatchDescription(match) {
  const where = match.category ? `${match.category}, ${Weight(match.weight)}` : Weight(match.weight);
  return `${match.term} (${where})`;
}

function PostText({ finding }) {
  if (finding.purged) return html`<p class="post-text purged">${t('outreach.purged')}</p>`;
  return html`
    <p class="post-text">
      ${HighlightSegments(finding.text, finding.matches).map((segment, i) =>
        segment.match ? html`<mark key=${i} title=${MatchDescription(segment.match)}>${segment.text}</mark>` : segment.text,
      )}
    </p>
  `;
}

function Where({ finding }) {
  const parts = [finding.author, finding.date_unix ? ShortDateTime(finding.date_unix * 1000) : null,
    finding.message_id ? t('outreach.messageId', { id: finding.message_id }) : null].filter(Boolean);
  return html`<p class="meta">${parts.join(' · ')}</p>`;
}

// Score, categories, matches and the model's words of one post.
function Evidence({ finding }) {
  const matches = finding.matches ?? [];
  const words = finding.model_words ?? [];
  return html`
    <p class="score">
      ${t('outreach.scoreSplit', {
        score: Score(finding.score),
        lexicon: Score(finding.lexicon_score),
        model: Score(finding.model_score),
      })}
    </p>
    ${finding.categories?.length
      ? html`<p>${t('outreach.categories')} ${finding.categories.map((c, i) => html`${i ? ', ' : ''}<code>${c}</code>`)}</p>`
      : null}
    <${PostText} finding=${finding} />
    ${matches.length ? html`<p class="meta">${t('outreach.matches')} ${matches.map(MatchDescription).join(' · ')}</p>` : null}
    ${words.length
      ? html`<p class="meta">${t('outreach.modelWords')} ${words.map((w) => `${w.word} ${Weight(w.weight)}`).join(' · ')}</p>`
      : null}
  `;
}

function GivenVerdict({ verdict }) {
  if (!verdict) return null;
  return html`
    <p class="verdict" data-verdict=${verdict.verdict}>
      ${t('outreach.verdictBy', {
        verdict: VerdictLabel(verdict.verdict),
        by: verdict.by_name || '–',
        when: ShortDateTime(verdict.at),
      })}
    </p>
  `;
}

// "Also posted in 2 other channels: A, B" and the cluster's other posts, opened on request.
function ClusterPart({ finding, cluster, open, onToggle }) {
  if (!(finding.cluster_size > 1)) return null;
  const channels = cluster?.channels ?? (Array.isArray(finding.cluster_channels) ? finding.cluster_channels : null);
  const others = channels ? OtherChannels(channels, finding.channel) : null;
  const count = others ? others.length : Math.max(0, Number(finding.cluster_channels) - 1 || 0);
  const rest = finding.cluster_size - 1;
  const listId = `outreach-cluster-${finding.id}`;
  const posts = (cluster?.findings ?? []).filter((post) => post.id !== finding.id);
  return html`
    ${count > 0
      ? html`<p class="also-in">
          ${t(count === 1 ? 'outreach.alsoIn1' : 'outreach.alsoIn', { n: count, channels: others ? others.join(', ') : '…' })}
        </p>`
      : null}
    <button type="button" class="link-button" aria-expanded=${open ? 'true' : 'false'} aria-controls=${listId}
            onClick=${onToggle}>
      ${t(open ? 'outreach.hideOthers' : rest === 1 ? 'outreach.showOther1' : 'outreach.showOthers', { n: rest })}
    </button>
    <ul id=${listId} class="cluster-posts" hidden=${!open}>
      ${open && !cluster ? html`<li>${t('outreach.loading')}</li>` : null}
      ${open
        ? posts.map((post) => html`
            <li key=${post.id}>
              <strong>${post.channel}</strong>
              <${Where} finding=${post} />
              <${PostText} finding=${post} />
              <${GivenVerdict} verdict=${post.verdict} />
            </li>`)
        : null}
    </ul>
  `;
}

function Card({ card, index, count, current, cluster, open, onToggle, onJudge, onFocus, cardRef }) {
  const finding = card.lead;
  const headingId = `outreach-finding-${finding.id}`;
  return html`
    <article class="finding" ref=${cardRef} tabindex=${current ? '0' : '-1'} aria-current=${current ? 'true' : undefined}
             aria-label=${t('outreach.cardLabel', { n: index + 1, count, channel: finding.channel })}
             onfocusin=${onFocus}>
      <h4 id=${headingId}>${finding.channel}</h4>
      <${Where} finding=${finding} />
      <${Evidence} finding=${finding} />
      <${ClusterPart} finding=${finding} cluster=${cluster} open=${open} onToggle=${onToggle} />
      <${GivenVerdict} verdict=${finding.verdict} />
      <div class="actions" role="group" aria-label=${t('outreach.verdictFor', { channel: finding.channel })}>
        ${kVerdicts.map((v) => html`
          <button type="button" key=${v.verdict} aria-keyshortcuts=${v.key}
                  aria-pressed=${finding.verdict?.verdict === v.verdict ? 'true' : 'false'}
                  onClick=${() => onJudge(v.verdict)}>
            ${t(v.label)} <kbd aria-hidden="true">${v.key}</kbd>
          </button>`)}
      </div>
    </article>
  `;
}

function ShortcutHelp({ open, onClose }) {
  const dialog = useRef(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return html`
    <dialog ref=${dialog} class="shortcut-help" aria-labelledby="outreach-keys-heading" onClose=${onClose}>
      <h4 id="outreach-keys-heading">${t('outreach.keys.heading')}</h4>
      <dl>
        ${kShortcuts.map(([keys, label]) => html`
          <div key=${label}><dt><kbd>${keys}</kbd></dt><dd>${t(label)}</dd></div>`)}
      </dl>
      <p class="hint">${t('outreach.keys.cluster')}</p>
      <button type="button" onClick=${onClose}>${t('outreach.keys.close')}</button>
    </dialog>
  `;
}

function Exports({ scan }) {
  const [from, setFrom] = useState(DaysAgo(30));
  const [to, setTo] = useState(DaysAgo(0));
  return html`
    <section class="outreach-export" aria-labelledby="outreach-export-heading">
      <h4 id="outreach-export-heading">${t('outreach.export')}</h4>
      <div class="actions">
        <a class="button" href=${OutreachExportUrl(scan.id, 'csv')} download>${t('outreach.exportCsv')}</a>
        <a class="button" href=${OutreachExportUrl(scan.id, 'json')} download>${t('outreach.exportJson')}</a>
      </div>
      <p class="hint">${t('outreach.exportHint')}</p>
      <div class="date-range">
        <span>
          <label for="outreach-from">${t('outreach.from')}</label>
          <input id="outreach-from" type="date" value=${from} onInput=${(e) => setFrom(e.currentTarget.value)} />
        </span>
        <span>
          <label for="outreach-to">${t('outreach.to')}</label>
          <input id="outreach-to" type="date" value=${to} onInput=${(e) => setTo(e.currentTarget.value)} />
        </span>
        <a class="button" href=${OutreachVerdictsUrl(from, to)} download>${t('outreach.exportJsonl')}</a>
      </div>
    </section>
  `;
}

export function ReviewView({ scan: chosen }) {
  const [scan, setScan] = useState(chosen);
  const [filter, setFilter] = useState('none');
  const [findings, setFindings] = useState([]);
  const [total, setTotal] = useState(0);
  const [loaded, setLoaded] = useState(false);
  const [current, setCurrent] = useState(0);
  const [clusters, setClusters] = useState(() => new Map());
  const [expanded, setExpanded] = useState(() => new Set());
  const [help, setHelp] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const heading = useRef(null);
  const root = useRef(null);
  const cardElements = useRef(new Map());
  const focusWanted = useRef(true);
  const fetching = useRef(false);
  const generation = useRef(0);
  const judging = useRef(false);
  const requested = useRef(new Map());
  const lastLoaded = useRef(0);
  const exhausted = useRef(false);

  const cards = GroupByCluster(findings);
  const at = Math.max(0, Math.min(current, cards.length - 1));

  // A page of the findings the filter `which` shows, after finding `after` (0: the first page);
  // answers to an earlier filter are dropped. Paging by position, not by count: a colleague's
  // verdicts meanwhile would make a count skip findings.
  const load = async (which, after) => {
    const asked = ++generation.current;
    fetching.current = true;
    setError('');
    try {
      const page = await OutreachFindings(scan.id, which, after, kPage);
      if (asked !== generation.current) return;
      if (page.findings.length > 0) lastLoaded.current = page.findings[page.findings.length - 1].id;
      exhausted.current = page.findings.length < kPage;
      setTotal(page.total);
      setFindings((shown) => {
        const kept = after === 0 ? [] : shown;
        const seen = new Set(kept.map((f) => f.id));
        return [...kept, ...page.findings.filter((f) => !seen.has(f.id))];
      });
      setLoaded(true);
    } catch {
      if (asked === generation.current) setError(t('outreach.failed'));
    } finally {
      if (asked === generation.current) fetching.current = false;
    }
  };

  // Every post of cluster `n`, asked once.
  const clusterOf = (n) => {
    if (!requested.current.has(n)) {
      const asked = OutreachCluster(scan.id, n).then((cluster) => {
        setClusters((known) => new Map(known).set(n, cluster));
        return cluster;
      });
      asked.catch(() => requested.current.delete(n));
      requested.current.set(n, asked);
    }
    return requested.current.get(n);
  };

  useEffect(() => {
    setCurrent(0);
    // Nothing of the last filter's pages counts for the next page of this one.
    setLoaded(false);
    lastLoaded.current = 0;
    load(filter, 0);
  }, [filter]);

  // Channel names of clusters the findings give only as a count.
  useEffect(() => {
    for (const card of cards) {
      const lead = card.lead;
      if (lead.cluster_size > 1 && !Array.isArray(lead.cluster_channels) && lead.cluster_channels > 1) {
        clusterOf(lead.cluster).catch(() => {});
      }
    }
  }, [findings]);

  // Near the end of what is loaded, the next page.
  useEffect(() => {
    if (loaded && !fetching.current && !exhausted.current && cards.length - at <= kLoadAhead) {
      load(filter, lastLoaded.current);
    }
  }, [findings, at, total]);

  // In the same commit as the change, so that no key press falls between a card leaving and
  // the next one taking the focus.
  useLayoutEffect(() => {
    if (!focusWanted.current || !loaded) return;
    focusWanted.current = false;
    const card = cards[at];
    (card ? cardElements.current.get(card.key) : heading.current)?.focus();
  });

  const move = (step) => {
    setCurrent(Math.max(0, Math.min(cards.length - 1, at + step)));
    focusWanted.current = true;
  };

  const judge = async (verdict, index = at) => {
    const card = cards[index];
    if (!card || judging.current) return;
    judging.current = true;
    setError('');
    setStatus('');
    try {
      let members = card.members;
      if (card.lead.cluster_size > members.length) {
        // The members this card does not show join only while nobody has judged them: a
        // colleague's verdict on one of them stays theirs. Read now, not from what was asked
        // before (a colleague may have judged since).
        const shown = new Set(members.map((m) => m.id));
        const now = await OutreachCluster(scan.id, card.lead.cluster);
        members = now.findings.filter((m) => shown.has(m.id) || !m.verdict);
      }
      const judged = [];
      for (const member of members) judged.push(FindingOf(await SetOutreachVerdict(member.id, verdict)));
      const byId = new Map(judged.map((f) => [f.id, f]));
      const left = members.filter((m) => Shows(filter, m) && !Shows(filter, byId.get(m.id))).length;
      setFindings((shown) => shown.map((f) => byId.get(f.id) ?? f).filter((f) => Shows(filter, f)));
      setTotal((n) => n - left);
      const n = card.lead.cluster;
      setClusters((known) => {
        const cluster = known.get(n);
        if (!cluster) return known;
        return new Map(known).set(n, { ...cluster, findings: cluster.findings.map((f) => byId.get(f.id) ?? f) });
      });
      if (requested.current.has(n)) {
        requested.current.set(n, requested.current.get(n).then((c) => ({ ...c, findings: c.findings.map((f) => byId.get(f.id) ?? f) })));
      }
      // The judged card stays when the filter still shows it: then the next one is current.
      setCurrent(Shows(filter, byId.get(card.lead.id) ?? card.lead) ? index + 1 : index);
      setStatus(t(judged.length === 1 ? 'outreach.judged1' : 'outreach.judged', { verdict: VerdictLabel(verdict), n: judged.length }));
      focusWanted.current = true;
    } catch (failure) {
      setError(Refusal(failure, 'outreach.refused', 'outreach.failed'));
    } finally {
      judging.current = false;
    }
  };

  const onKeyDown = (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target;
    if (target !== document.body && !root.current?.contains(target)) return;
    if (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
    // Decided by the page, not by state that may not have rendered yet after Escape.
    if (target.closest?.('dialog[open]')) {
      if (event.key === '?') {
        event.preventDefault();
        setHelp(false);
      }
      return;
    }
    const verdict = kVerdicts.find((v) => v.key === event.key);
    if (event.key === 'j' || event.key === 'ArrowDown') move(1);
    else if (event.key === 'k' || event.key === 'ArrowUp') move(-1);
    else if (verdict) judge(verdict.verdict);
    else if (event.key === '?') setHelp(true);
    else return;
    event.preventDefault();
  };

  // On the document, so that the keys work also when the focus fell back to the page; keys
  // pressed in other panels are not ours.
  const latestKeyDown = useRef(onKeyDown);
  latestKeyDown.current = onKeyDown;
  useEffect(() => {
    const listener = (event) => latestKeyDown.current(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  const refresh = async () => {
    try {
      const answer = await OutreachScan(scan.id);
      setScan(answer?.scan ?? answer);
    } catch {
      setError(t('outreach.failed'));
    }
    load(filter, 0);
  };

  const toggle = (card) => {
    const key = card.key;
    const next = new Set(expanded);
    if (next.has(key)) {
      next.delete(key);
    } else {
      next.add(key);
      clusterOf(card.lead.cluster).catch(() => setError(t('outreach.failed')));
    }
    setExpanded(next);
  };

  const running = scan.status === 'queued' || scan.status === 'running';
  return html`
    <div class="outreach-review" ref=${root}>
      <h3 ref=${heading} tabindex="-1">${t('outreach.reviewHeading', { name: scan.source_name })}</h3>
      <p class="meta">
        ${t('outreach.scanSummary', { id: scan.id, posts: scan.posts, flagged: scan.flagged, clusters: scan.clusters })}
        ${scan.lexicon_version ? ` · ${t('outreach.lexiconVersion', { version: scan.lexicon_version })}` : ''}
        ${scan.model_version ? ` · ${t('outreach.modelVersion', { version: scan.model_version })}` : ''}
      </p>
      ${running
        ? html`<p class="notice">${t('outreach.stillRunning')}
                 <button type="button" onClick=${refresh}>${t('outreach.refresh')}</button></p>`
        : null}
      <div class="review-tools">
        <span>
          <label for="outreach-filter">${t('outreach.show')}</label>
          <select id="outreach-filter" value=${filter} onChange=${(e) => setFilter(e.currentTarget.value)}>
            ${kFilters.map(([value, label]) => html`<option value=${value} key=${value}>${t(label)}</option>`)}
          </select>
        </span>
        <button type="button" aria-keyshortcuts="?" onClick=${() => setHelp(true)}>${t('outreach.keys.heading')}</button>
      </div>
      <p class="hint">${t('outreach.keysHint')}</p>
      ${loaded ? html`<p>${t(filter === 'none' ? 'outreach.toReview' : 'outreach.shownTotal', { n: total })}</p>` : null}
      <p class="error" role="alert">${error}</p>
      <p role="status" class="judged">${status}</p>
      ${loaded && cards.length === 0
        ? html`<p>${t(filter === 'none' ? 'outreach.allReviewed' : 'outreach.noneShown')}</p>`
        : null}
      <div class="findings">
        ${cards.map((card, i) => html`
          <${Card} key=${card.key} card=${card} index=${i} count=${cards.length} current=${i === at}
                   cluster=${clusters.get(card.lead.cluster)} open=${expanded.has(card.key)}
                   onToggle=${() => toggle(card)} onJudge=${(verdict) => judge(verdict, i)}
                   onFocus=${() => setCurrent(i)}
                   cardRef=${(element) => (element ? cardElements.current.set(card.key, element) : cardElements.current.delete(card.key))} />`)}
      </div>
      ${loaded && findings.length < total
        ? html`<div class="actions"><button type="button" onClick=${() => load(filter, lastLoaded.current)}>${t('outreach.more')}</button></div>`
        : null}
      <${Exports} scan=${scan} />
      <${ShortcutHelp} open=${help} onClose=${() => setHelp(false)} />
    </div>
  `;
}
