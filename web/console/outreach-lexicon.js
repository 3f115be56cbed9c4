// The lexicon the scans find posts with (docs/lexicon.md): its terms with how often each matched
// and how precise it proved under review (recruitment / (recruitment + not)), sortable; a new
// term, tested first against the findings of the last scans (how many it would hit, examples
// with their verdicts) and then saved as the next version; retiring a term; the versions so
// far. The server refuses a change based on a version that is no longer the newest.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import {
  AddLexiconTerm,
  OutreachLexicon,
  OutreachLexiconVersions,
  RetireLexiconTerm,
  TestLexiconTerm,
} from './api.js';
import { ShortDateTime } from './format.js';
import { Percent, Refusal, VerdictLabel, Weight } from './outreach-format.js';
import { Precision, SortTerms } from './outreach-text.js';
import { useOneAtATime } from './one-at-a-time.js';

const kColumns = [
  ['text', 'outreach.lex.term'],
  ['category', 'outreach.lex.category'],
  ['weight', 'outreach.lex.weight'],
  ['hits', 'outreach.lex.hits'],
  ['precision', 'outreach.lex.precision'],
];
const kExampleChars = 300;
const kEmptyTerm = { text: '', category: '', weight: '1', variants: '', note: '' };

function LexiconOf(answer) {
  return answer?.lexicon ?? answer;
}

// An example's verdict as the test answers it: a name, {verdict}, or null.
function ExampleVerdict(verdict) {
  const name = typeof verdict === 'string' ? verdict : verdict?.verdict ?? null;
  return VerdictLabel(name === 'not' ? 'not_recruitment' : name);
}

function Shortened(text) {
  return text.length > kExampleChars ? `${text.slice(0, kExampleChars)}…` : text;
}

function TestResult({ result }) {
  return html`
    <div class="term-test">
      <p role="status">${t('outreach.lex.tested', { hits: result.hits, checked: result.findings_checked })}</p>
      ${result.examples?.length
        ? html`
            <ul class="term-examples" aria-label=${t('outreach.lex.examples')}>
              ${result.examples.map((example) => html`
                <li key=${example.finding}>
                  <span class="meta">${t('outreach.lex.example', { scan: example.scan, verdict: ExampleVerdict(example.verdict) })}</span>
                  <span class="example-text">${Shortened(example.text ?? '')}</span>
                </li>`)}
            </ul>`
        : null}
    </div>
  `;
}

function AddTermForm({ lexicon, categories, onSaved, onStale }) {
  const [term, setTerm] = useState(kEmptyTerm);
  const [tested, setTested] = useState(null);
  const [testing, setTesting] = useState(false);
  const [error, setError] = useState('');
  const asked = () => ({
    text: term.text.trim(),
    category: term.category.trim(),
    weight: Number(term.weight),
    variants: term.variants.split('\n').map((v) => v.trim()).filter(Boolean),
  });
  const key = JSON.stringify(asked());
  const field = (name) => (event) => setTerm({ ...term, [name]: event.currentTarget.value });
  const complete = () => {
    const wanted = asked();
    if (wanted.text && wanted.category && term.weight.trim() !== '' && Number.isFinite(wanted.weight)) return true;
    setError(t('outreach.lex.incomplete'));
    return false;
  };

  const test = async () => {
    setError('');
    if (!complete()) return;
    setTesting(true);
    try {
      setTested({ key, result: await TestLexiconTerm(asked()) });
    } catch (failure) {
      setTested(null);
      setError(Refusal(failure, 'outreach.lex.testRefused', 'outreach.lex.failed'));
    } finally {
      setTesting(false);
    }
  };
  // One save at a time: a second click would name the same version and be refused as if a
  // colleague had changed the lexicon.
  const [busy, oneAtATime] = useOneAtATime();
  const save = (event) => {
    event.preventDefault();
    setError('');
    if (!complete()) return undefined;
    return oneAtATime(async () => {
      try {
        const saved = LexiconOf(await AddLexiconTerm({ based_on: lexicon.version, ...asked(), note: term.note.trim() }));
        setTerm(kEmptyTerm);
        setTested(null);
        onSaved(saved, t('outreach.lex.added', { term: asked().text, version: saved.version }));
      } catch (failure) {
        if (failure?.status === 409) onStale();
        else setError(Refusal(failure, 'outreach.lex.refused', 'outreach.lex.failed'));
      }
    });
  };

  const ready = tested?.key === key;
  return html`
    <form class="add-term" onSubmit=${save} aria-labelledby="outreach-add-term-heading">
      <h4 id="outreach-add-term-heading">${t('outreach.lex.add')}</h4>
      <label for="term-text">${t('outreach.lex.term')}</label>
      <input id="term-text" type="text" value=${term.text} onInput=${field('text')} />
      <label for="term-category">${t('outreach.lex.category')}</label>
      <input id="term-category" type="text" list="term-categories" value=${term.category} onInput=${field('category')} />
      <datalist id="term-categories">
        ${categories.map((category) => html`<option key=${category} value=${category}></option>`)}
      </datalist>
      <label for="term-weight">${t('outreach.lex.weight')}</label>
      <p id="term-weight-hint" class="hint">${t('outreach.lex.weightHint')}</p>
      <input id="term-weight" type="number" step="0.1" min="-100" max="100" value=${term.weight}
             aria-describedby="term-weight-hint" onInput=${field('weight')} />
      <label for="term-variants">${t('outreach.lex.variants')}</label>
      <p id="term-variants-hint" class="hint">${t('outreach.lex.variantsHint')}</p>
      <textarea id="term-variants" rows="3" aria-describedby="term-variants-hint" value=${term.variants}
                onInput=${field('variants')}></textarea>
      <label for="term-note">${t('outreach.lex.note')}</label>
      <input id="term-note" type="text" value=${term.note} onInput=${field('note')} />
      <p class="error" role="alert">${error}</p>
      ${ready ? html`<${TestResult} result=${tested.result} />` : html`<p class="hint">${t('outreach.lex.testFirst')}</p>`}
      <div class="actions">
        <button type="button" onClick=${test} disabled=${testing}>${t('outreach.lex.test')}</button>
        ${ready ? html`<button type="submit" class="primary" disabled=${busy}>${t('outreach.lex.save')}</button>` : null}
      </div>
    </form>
  `;
}

function TermTable({ terms, onRetire }) {
  const [sort, setSort] = useState({ key: 'hits', direction: -1 });
  const [confirming, setConfirming] = useState('');
  const sorted = SortTerms(terms, sort.key, sort.direction);
  const sortBy = (key) =>
    setSort(sort.key === key ? { key, direction: -sort.direction } : { key, direction: key === 'text' || key === 'category' ? 1 : -1 });
  return html`
    <div class="table-scroll">
      <table class="outreach-table terms">
        <caption>${t('outreach.lex.terms', { n: terms.length })}</caption>
        <thead><tr>
          ${kColumns.map(([key, label]) => html`
            <th scope="col" key=${key}
                aria-sort=${sort.key === key ? (sort.direction > 0 ? 'ascending' : 'descending') : undefined}>
              <button type="button" class="sort" onClick=${() => sortBy(key)}>
                ${t(label)}<span aria-hidden="true">${sort.key === key ? (sort.direction > 0 ? ' ▲' : ' ▼') : ''}</span>
              </button>
            </th>`)}
          <th scope="col"><span class="visually-hidden">${t('outreach.actions')}</span></th>
        </tr></thead>
        <tbody>
          ${sorted.map((term) => {
            const precision = Precision(term);
            return html`
              <tr key=${term.text}>
                <th scope="row">
                  ${term.text}
                  ${term.variants?.length
                    ? html` <span class="meta">${t('outreach.lex.spellings', { n: term.variants.length })}</span>`
                    : null}
                </th>
                <td><code>${term.category}</code></td>
                <td>${Weight(term.weight)}</td>
                <td>${term.hits ?? 0}</td>
                <td>
                  ${precision === null
                    ? t('outreach.lex.noVerdicts')
                    : t('outreach.lex.precisionOf', {
                        percent: Percent(precision),
                        yes: term.recruitment,
                        judged: term.recruitment + term.not_recruitment,
                      })}
                </td>
                <td>
                  ${confirming === term.text
                    ? html`
                        <span>${t('outreach.lex.retireQuestion', { term: term.text })}</span>
                        <button type="button" onClick=${() => { setConfirming(''); onRetire(term.text); }}>
                          ${t('outreach.lex.retireYes')}
                        </button>
                        <button type="button" onClick=${() => setConfirming('')}>${t('outreach.lex.retireNo')}</button>`
                    : html`
                        <button type="button" aria-label=${t('outreach.lex.retireFor', { term: term.text })}
                                onClick=${() => setConfirming(term.text)}>${t('outreach.lex.retire')}</button>`}
                </td>
              </tr>
            `;
          })}
        </tbody>
      </table>
    </div>
  `;
}

// `shown`: false while another outreach view shows (this one stays, to keep a term half written);
// on showing again it is read again and its heading has the focus.
export function LexiconView({ shown = true }) {
  const [lexicon, setLexicon] = useState(null);
  const [versions, setVersions] = useState([]);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const heading = useRef(null);
  const load = async () => {
    try {
      const [current, list] = await Promise.all([OutreachLexicon(), OutreachLexiconVersions()]);
      setLexicon(current);
      setVersions(list);
    } catch {
      setError(t('outreach.lex.failed'));
    }
  };
  useEffect(() => {
    if (!shown) return;
    heading.current?.focus();
    load();
  }, [shown]);
  const saved = async (next, message) => {
    setError('');
    setLexicon(next);
    setStatus(message);
    try {
      setVersions(await OutreachLexiconVersions());
    } catch {
      setError(t('outreach.lex.failed'));
    }
  };
  const stale = async () => {
    setError(t('outreach.lex.stale'));
    await load();
  };
  const retire = async (term) => {
    setError('');
    setStatus('');
    try {
      const next = LexiconOf(await RetireLexiconTerm(lexicon.version, term, ''));
      await saved(next, t('outreach.lex.retired', { term, version: next.version }));
    } catch (failure) {
      if (failure?.status === 409) await stale();
      else setError(Refusal(failure, 'outreach.lex.refused', 'outreach.lex.failed'));
    }
  };

  const categories = lexicon ? [...new Set(lexicon.terms.map((term) => term.category))].sort() : [];
  return html`
    <div class="outreach-lexicon">
      <h3 ref=${heading} tabindex="-1">
        ${lexicon
          ? t(lexicon.version ? 'outreach.lex.headingVersion' : 'outreach.lex.headingShipped', { version: lexicon.version })
          : t('outreach.lexicon')}
      </h3>
      <p class="error" role="alert">${error}</p>
      <p role="status">${status}</p>
      ${lexicon
        ? html`
            <${AddTermForm} lexicon=${lexicon} categories=${categories}
                            onSaved=${saved} onStale=${stale} />
            <${TermTable} terms=${lexicon.terms} onRetire=${retire} />
            <section aria-labelledby="outreach-versions-heading">
              <h4 id="outreach-versions-heading">${t('outreach.lex.versions')}</h4>
              ${versions.length === 0 ? html`<p>${t('outreach.lex.onlyShipped')}</p>` : null}
              <ul class="versions">
                ${versions.map((v) => html`
                  <li key=${v.version}>
                    ${t('outreach.lex.versionLine', { version: v.version, when: ShortDateTime(v.created_at), by: v.by_name || '–' })}
                    ${v.note ? html` <span class="meta">${v.note}</span>` : null}
                  </li>`)}
              </ul>
            </section>
            <details class="lexicon-toml">
              <summary>${t('outreach.lex.toml')}</summary>
              <pre tabindex="0" role="region" aria-label=${t('outreach.lex.toml')}>${lexicon.toml}</pre>
            </details>`
        : null}
    </div>
  `;
}
