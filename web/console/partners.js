// "Partners" inside the Inzichten view: the organisations (municipalities, say) that receive a
// report of their own regions. Admins keep the list (POST /api/v1/insights/partners replaces it
// whole); analysts generate a partner's report over a period, as a printable page or a CSV
// (GET /api/v1/insights/report, recorded in the audit trail); supervisors read the list.
// See docs/insights.md, "Partner reports".

import { html, useEffect, useState } from '/assets/vendor/preact-htm.js';
import { ServiceDateOf, t } from '../shared/i18n.js';
import { ApiError, Me, Partners, SavePartners } from './api.js';

const kSections = ['funnel', 'registrations', 'trends', 'methodology'];
const kSectionLabels = {
  funnel: 'partners.funnel',
  registrations: 'partners.registrations',
  trends: 'partners.trends',
  methodology: 'partners.methodology',
};

let rowCount = 0;

// A partner as the editor holds it: regions as one comma-separated text, and a key of its own.
function Editable(partner) {
  return {
    key: ++rowCount,
    name: partner.name ?? '',
    label: partner.label ?? '',
    regions: (partner.regions ?? []).join(', '),
    funnel: partner.funnel ?? true,
    registrations: partner.registrations ?? true,
    trends: partner.trends ?? false,
    methodology: partner.methodology ?? false,
  };
}

function Stored(row) {
  return {
    name: row.name.trim(),
    label: row.label.trim(),
    regions: row.regions
      .split(',')
      .map((region) => region.trim())
      .filter((region) => region !== ''),
    funnel: row.funnel,
    registrations: row.registrations,
    trends: row.trends,
    methodology: row.methodology,
  };
}

// The calendar month before this one: {from, to}.
function PreviousMonth() {
  const first = new Date(`${ServiceDateOf(Date.now()).slice(0, 7)}-01T00:00:00Z`);
  const last = new Date(first);
  last.setUTCDate(0);
  const from = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), 1));
  return { from: from.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

function ReportUrl(name, period, format) {
  return `/api/v1/insights/report?${new URLSearchParams({ partner: name, from: period.from, to: period.to, format })}`;
}

function Regions(partner) {
  return partner.regions.length > 0 ? partner.regions.join(', ') : t('partners.wholeService');
}

function Sections(partner) {
  const shown = kSections.filter((section) => partner[section]).map((section) => t(kSectionLabels[section]));
  return shown.length > 0 ? shown.join(', ') : t('partners.noSections');
}

function PartnerFacts({ partner }) {
  return html`
    <dl class="partner-facts">
      <div><dt>${t('partners.name')}</dt><dd>${partner.name}</dd></div>
      <div><dt>${t('partners.regions')}</dt><dd>${Regions(partner)}</dd></div>
      <div><dt>${t('partners.sections')}</dt><dd>${Sections(partner)}</dd></div>
    </dl>
  `;
}

// One partner's report, for an analyst: a period and the two links.
function ReportForm({ partner }) {
  const [period, setPeriod] = useState(PreviousMonth);
  const [id] = useState(() => `partner-report-${++rowCount}`);
  const set = (field) => (event) => setPeriod({ ...period, [field]: event.currentTarget.value });
  return html`
    <li class="partner">
      <section aria-labelledby=${`${id}-heading`}>
        <h4 id=${`${id}-heading`}>${partner.label}</h4>
        <${PartnerFacts} partner=${partner} />
        <div class="partner-report" role="group" aria-label=${t('partners.reportOf', { label: partner.label })}>
          <span>
            <label for=${`${id}-from`}>${t('partners.from')}</label>
            <input id=${`${id}-from`} type="date" value=${period.from} onInput=${set('from')} />
          </span>
          <span>
            <label for=${`${id}-to`}>${t('partners.to')}</label>
            <input id=${`${id}-to`} type="date" value=${period.to} onInput=${set('to')} />
          </span>
          <a class="button" href=${ReportUrl(partner.name, period, 'html')} target="_blank" rel="noopener">
            ${t('partners.open')}
          </a>
          <a class="button" href=${ReportUrl(partner.name, period, 'csv')} download>${t('partners.csv')}</a>
        </div>
      </section>
    </li>
  `;
}

function ReadOnlyList({ partners }) {
  if (partners.length === 0) return html`<p>${t('partners.none')}</p>`;
  return html`
    <ul class="partner-list">
      ${partners.map((partner) => html`
        <li key=${partner.name} class="partner">
          <h4>${partner.label}</h4>
          <${PartnerFacts} partner=${partner} />
        </li>`)}
    </ul>
  `;
}

// The admin's editor: every partner's fields, add and remove, and one save for the whole list.
// A save names the version it changes: when another admin saved meanwhile it is refused, and the
// admin loads theirs before changing anything.
function Editor({ list, onSaved, onReload }) {
  const [rows, setRows] = useState(() => list.partners.map(Editable));
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [stale, setStale] = useState(false);  // another admin saved since this list was loaded
  // The save button takes the reload button's place, so the focus stays where it was.
  const reload = async () => {
    const loaded = await onReload();
    if (!loaded) return;
    setRows(loaded.partners.map(Editable));
    setStale(false);
    setError('');
    setStatus('');
  };
  const change = (key, field, value) => {
    setStatus('');
    setRows((shown) => shown.map((row) => (row.key === key ? { ...row, [field]: value } : row)));
  };
  const save = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    setStatus('');
    try {
      const saved = await SavePartners(rows.map(Stored), list.version);
      setRows(saved.partners.map(Editable));
      onSaved(saved);
      setStatus(t('partners.saved'));
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        setStale(true);
        setError(t('partners.changedMeanwhile'));
        return;
      }
      const message = failure instanceof ApiError && failure.message ? ` ${failure.message}` : '';
      setError(`${t('partners.saveFailed')}${message}`);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <form class="partner-editor" onSubmit=${save} aria-label=${t('partners.editor')}>
      ${rows.length === 0 ? html`<p>${t('partners.none')}</p>` : null}
      ${rows.map((row, i) => {
        const id = `partner-${row.key}`;
        const n = i + 1;
        return html`
          <fieldset key=${row.key} class="partner">
            <legend>${t('partners.partnerN', { n })}</legend>
            <span>
              <label for=${`${id}-name`}>${t('partners.name')}</label>
              <input id=${`${id}-name`} type="text" value=${row.name} aria-describedby=${`${id}-name-hint`}
                     onInput=${(event) => change(row.key, 'name', event.currentTarget.value)} />
              <span id=${`${id}-name-hint`} class="hint">${t('partners.nameHint')}</span>
            </span>
            <span>
              <label for=${`${id}-label`}>${t('partners.label')}</label>
              <input id=${`${id}-label`} type="text" value=${row.label}
                     onInput=${(event) => change(row.key, 'label', event.currentTarget.value)} />
            </span>
            <span>
              <label for=${`${id}-regions`}>${t('partners.regions')}</label>
              <input id=${`${id}-regions`} type="text" value=${row.regions} aria-describedby=${`${id}-regions-hint`}
                     onInput=${(event) => change(row.key, 'regions', event.currentTarget.value)} />
              <span id=${`${id}-regions-hint`} class="hint">${t('partners.regionsHint')}</span>
            </span>
            <fieldset class="partner-sections">
              <legend>${t('partners.sections')}</legend>
              ${kSections.map((section) => html`
                <label key=${section}>
                  <input type="checkbox" checked=${row[section]}
                         onChange=${(event) => change(row.key, section, event.currentTarget.checked)} />
                  ${t(kSectionLabels[section])}
                </label>`)}
            </fieldset>
            <button type="button" onClick=${() => setRows((shown) => shown.filter((r) => r.key !== row.key))}>
              ${t('partners.remove', { n })}
            </button>
          </fieldset>`;
      })}
      <p class="error" role="alert">${error}</p>
      <p role="status">${status}</p>
      <div class="actions">
        <button type="button" onClick=${() => setRows((shown) => [...shown, Editable({})])}>${t('partners.add')}</button>
        ${stale
          ? html`<button type="button" class="primary" onClick=${reload}>${t('partners.reload')}</button>`
          : html`<button type="submit" class="primary" disabled=${busy}>${t('partners.save')}</button>`}
      </div>
    </form>
  `;
}

export function PartnersSection() {
  const [me, setMe] = useState(null);
  const [list, setList] = useState(null);
  const [error, setError] = useState('');

  // The list loaded, or null when it could not be.
  const load = () =>
    Promise.all([Me(), Partners()])
      .then(([who, listed]) => {
        setMe(who);
        setList(listed);
        setError('');
        return listed;
      })
      .catch((failure) => {
        const message = failure instanceof ApiError && failure.message ? ` ${failure.message}` : '';
        setError(`${t('partners.failed')}${message}`);
        return null;
      });
  useEffect(() => {
    load();
  }, []);

  let body = null;
  const partners = list?.partners;
  if (me && partners) {
    if (me.role === 'admin') {
      body = html`<${Editor} list=${list} onSaved=${setList} onReload=${load} />`;
    } else if (me.role === 'analyst') {
      body = html`
        <p class="hint">${t('partners.reportNote')}</p>
        ${partners.length === 0
          ? html`<p>${t('partners.none')}</p>`
          : html`<ul class="partner-list">
              ${partners.map((partner) => html`<${ReportForm} key=${partner.name} partner=${partner} />`)}
            </ul>`}`;
    } else {
      body = html`<${ReadOnlyList} partners=${partners} />`;
    }
  }
  return html`
    <section class="insights-section insights-partners" aria-labelledby="insights-partners-heading">
      <h3 id="insights-partners-heading">${t('partners.heading')}</h3>
      <p class="hint">${t('partners.explain')}</p>
      ${error ? html`<p class="error" role="alert">${error}</p>` : null}
      ${body}
    </section>
  `;
}
