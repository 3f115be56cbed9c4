// "Opkomende woorden" inside the Inzichten view: words and short phrases that visitors began to
// use in the last four weeks much more than in the twelve before, that neither the outreach nor
// the risk lexicon knows yet, and that at least k conversations used (docs/insights.md,
// "Emerging words"). The server computes them once a day; analysts and admins may compute them
// now and add a word to the outreach lexicon with one action (a new lexicon version, recorded in
// the audit trail as every lexicon change is). From GET /api/v1/insights/emerging.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { CurrentLanguage, t } from '../shared/i18n.js';
import { AddLexiconTerm, ApiError, EmergingWords, Me, RunEmergingWords } from './api.js';

// While a run goes on, the list is asked for again this often.
const kPollMs = 2000;
// The weight a term added from here starts with: one hit alone never flags a post (docs/lexicon.md).
const kNewTermWeight = 1;

function Failure(key, failure) {
  const message = failure instanceof ApiError && failure.message ? ` ${failure.message}` : '';
  return `${t(key)}${message}`;
}

function DateText(date) {
  return new Date(`${date}T12:00:00`).toLocaleDateString(
    CurrentLanguage() === 'en' ? 'en-GB' : 'nl-NL', { day: 'numeric', month: 'long', year: 'numeric' });
}

function Ratio(ratio) {
  return `× ${ratio.toLocaleString(CurrentLanguage() === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: 1 })}`;
}

// `onStale()`: a colleague saved a lexicon version since the list was read; it is read again, so
// that adding once more builds on theirs.
function AddToLexicon({ term, row, categories, basedOn, onAdded, onStale }) {
  const [category, setCategory] = useState(categories[0] ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  // By row: a term itself may hold any letters (Arabic, Cyrillic), which an id would not tell apart.
  const id = `emerging-category-${row}`;
  const add = async () => {
    setBusy(true);
    setError('');
    try {
      const lexicon = await AddLexiconTerm({
        based_on: basedOn,
        text: term.term,
        category,
        weight: kNewTermWeight,
        note: t('emerging.note'),
      });
      onAdded(term.term, lexicon.version);
    } catch (failure) {
      setError(failure.status === 409 ? t('emerging.changedMeanwhile') : Failure('emerging.addFailed', failure));
      // Not again until the list read again says which version to build on.
      if (failure.status === 409) await onStale();
      setBusy(false);
    }
  };
  return html`
    <label class="visually-hidden" for=${id}>${t('emerging.categoryOf', { term: term.term })}</label>
    <select id=${id} value=${category} onChange=${(e) => setCategory(e.currentTarget.value)}>
      ${categories.map((each) => html`<option key=${each} value=${each}>${each}</option>`)}
    </select>
    <button type="button" disabled=${busy || !category} onClick=${add}
      aria-label=${t('emerging.addTerm', { term: term.term })}>${t('emerging.add')}</button>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
  `;
}

export function EmergingSection() {
  const [words, setWords] = useState(null);
  const [me, setMe] = useState(null);
  const [error, setError] = useState('');
  // Why a run was refused: kept apart, so that a read of the list (which clears its own error)
  // does not wipe it; the next run clears it.
  const [runError, setRunError] = useState('');
  const [status, setStatus] = useState('');
  const poll = useRef(0);
  const running = useRef(false);  // as the last answer said
  // Loads asked so far: an answer to an older one (a slow first read after a run began), or one
  // that comes after the section closed, changes nothing and polls no more.
  const loads = useRef(0);

  // `background`: asked again while a run goes on, not by the member.
  const load = async (background = false) => {
    const asked = ++loads.current;
    try {
      const answer = await EmergingWords({ background });
      if (asked !== loads.current) return;
      setWords(answer);
      setError('');
      running.current = answer.running;
      clearTimeout(poll.current);
      if (answer.running) poll.current = setTimeout(() => load(true), kPollMs);
    } catch (failure) {
      if (asked !== loads.current) return;
      setError(Failure('emerging.failed', failure));
      // A run goes on: its end is still to be asked for.
      clearTimeout(poll.current);
      if (running.current) poll.current = setTimeout(() => load(true), kPollMs);
    }
  };

  useEffect(() => {
    load();
    Me().then(setMe).catch(() => setMe(null));
    return () => {
      loads.current += 1;
      clearTimeout(poll.current);
    };
  }, []);

  const mayChange = me && (me.role === 'analyst' || me.role === 'admin');
  // A refused run says why, and stays said: the list is read again only after a run began.
  const run = async () => {
    setStatus('');
    setRunError('');
    try {
      await RunEmergingWords();
    } catch (failure) {
      setRunError(Failure('emerging.runFailed', failure));
      return;
    }
    setStatus(t('emerging.started'));
    load();
  };
  const added = (term, version) => {
    setStatus(t('emerging.added', { term, version }));
    load();
  };

  let body = null;
  if (words && words.computed_at === null) {
    body = html`<p>${t('emerging.never')}</p>`;
  } else if (words) {
    body = html`
      <p class="meta">${t('emerging.computed', {
        at: new Date(words.computed_at).toLocaleString(CurrentLanguage() === 'en' ? 'en-GB' : 'nl-NL',
          { dateStyle: 'long', timeStyle: 'short' }),
        recent: words.recent_conversations,
        recentFrom: DateText(words.windows.recent_from),
        recentTo: DateText(words.windows.recent_to),
        baseline: words.baseline_conversations,
        baselineFrom: DateText(words.windows.baseline_from),
        baselineTo: DateText(words.windows.baseline_to),
        k: words.min_conversations,
      })}</p>
      ${words.terms.length === 0
        ? html`<p>${t('emerging.none')}</p>`
        : html`
            <div class="table-scroll">
              <table class="emerging-words">
                <caption>${t('emerging.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">${t('emerging.term')}</th>
                    <th scope="col">${t('emerging.recent')}</th>
                    <th scope="col">${t('emerging.baseline')}</th>
                    <th scope="col">${t('emerging.ratio')}</th>
                    ${mayChange ? html`<th scope="col">${t('emerging.lexicon')}</th>` : null}
                  </tr>
                </thead>
                <tbody>
                  ${words.terms.map((term, row) => html`
                    <tr key=${term.term}>
                      <th scope="row">${term.term}</th>
                      <td>${term.recent}</td>
                      <td>${term.baseline}</td>
                      <td>${Ratio(term.ratio)}</td>
                      ${mayChange
                        ? html`<td class="emerging-add">
                            <${AddToLexicon} term=${term} row=${row} categories=${words.categories}
                              basedOn=${words.lexicon_version} onAdded=${added} onStale=${load} />
                          </td>`
                        : null}
                    </tr>`)}
                </tbody>
              </table>
            </div>`}`;
  }

  return html`
    <section class="insights-section emerging" aria-labelledby="emerging-heading">
      <h3 id="emerging-heading">${t('emerging.heading')}</h3>
      <p class="hint">${t('emerging.explain')}</p>
      ${mayChange
        ? html`<button type="button" disabled=${words?.running} onClick=${run}>${t('emerging.run')}</button>`
        : null}
      ${runError ? html`<p class="error" role="alert">${runError}</p>` : null}
      ${error ? html`<p class="error" role="alert">${error}</p>` : null}
      <p role="status">${words?.running ? t('emerging.running') : status}</p>
      ${body}
    </section>
  `;
}
