// "Campaigns", for admins and analysts: the codes campaign links carry (/?c=code), what each
// brought in the last 30 days (home page visits, self-checks completed, chats started and
// held: counters per day, nothing about any visitor), a QR code to print on a poster, and
// retiring a code that should count no more.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import { CampaignQr, Campaigns, CreateCampaign, RetireCampaign } from './api.js';
import { useOneAtATime } from './one-at-a-time.js';

const kMetrics = ['visit', 'self_check', 'chat_started', 'chat_held'];

function Qr({ code }) {
  const box = useRef(null);
  const [url, setUrl] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    CampaignQr(code)
      .then((qr) => {
        setUrl(qr.url);
        const parsed = new DOMParser().parseFromString(qr.svg, 'image/svg+xml');
        const svg = document.importNode(parsed.documentElement, true);
        svg.setAttribute('aria-label', t('campaigns.qrLabel', { url: qr.url }));
        svg.setAttribute('role', 'img');
        box.current?.replaceChildren(svg);
      })
      .catch(() => setError(t('campaigns.failed')));
  }, [code]);
  return html`
    <div class="campaign-qr">
      <p class="error" role="alert">${error}</p>
      <div class="qr" ref=${box}></div>
      <p><code>${url}</code></p>
      <button type="button" onClick=${() => window.print()}>${t('campaigns.print')}</button>
    </div>
  `;
}

export function CampaignsPanel({ onClose }) {
  const [data, setData] = useState(null);
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const [qrFor, setQrFor] = useState('');
  const [confirming, setConfirming] = useState('');
  const [error, setError] = useState('');
  const heading = useRef(null);
  const load = () =>
    Campaigns()
      .then(setData)
      .catch(() => setError(t('campaigns.failed')));
  useEffect(() => {
    heading.current?.focus();
    load();
  }, []);
  const [creating, oneAtATime] = useOneAtATime();
  const create = (event) => {
    event.preventDefault();
    setError('');
    return oneAtATime(async () => {
      try {
        await CreateCampaign(code.trim(), label.trim());
        setCode('');
        setLabel('');
        await load();
      } catch (failure) {
        if (failure.status === 409) setError(t('campaigns.taken'));
        else if (failure.status === 400) setError(`${t('campaigns.refused')} ${failure.message}`);
        else setError(t('campaigns.failed'));
      }
    });
  };
  const retire = async (campaign) => {
    setConfirming('');
    try {
      await RetireCampaign(campaign.code);
      // A retired code counts nothing: its poster must not stay on screen to be printed.
      setQrFor((shown) => (shown === campaign.code ? '' : shown));
      await load();
    } catch {
      setError(t('campaigns.failed'));
    }
  };
  const rows = data ? [...data.campaigns, { code: '', label: t('campaigns.none'), totals: data.without_campaign }] : [];
  return html`
    <section class="panel campaigns" aria-labelledby="campaigns-heading">
      <h2 id="campaigns-heading" ref=${heading} tabindex="-1">${t('campaigns.heading')}</h2>
      <p class="hint">${t('campaigns.explain')}</p>
      <form onSubmit=${create} aria-label=${t('campaigns.new')}>
        <div class="field">
          <label for="campaign-code">${t('campaigns.code')}</label>
          <p id="campaign-code-hint" class="hint">${t('campaigns.codeHint')}</p>
          <input id="campaign-code" value=${code} maxlength="40" aria-describedby="campaign-code-hint"
                 onInput=${(e) => setCode(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="campaign-label">${t('campaigns.label')}</label>
          <input id="campaign-label" value=${label} maxlength="120" onInput=${(e) => setLabel(e.currentTarget.value)} />
        </div>
        <div class="actions"><button type="submit" class="primary" disabled=${creating}>${t('campaigns.create')}</button></div>
      </form>
      <p class="error" role="alert">${error}</p>
      ${data
        ? html`
            <table>
              <caption>${t('campaigns.period', { from: data.from, to: data.to })}</caption>
              <thead><tr>
                <th scope="col">${t('campaigns.code')}</th>
                ${kMetrics.map((m) => html`<th scope="col" key=${m}>${t(`campaigns.m.${m}`)}</th>`)}
                <th scope="col"><span class="visually-hidden">${t('campaigns.actions')}</span></th>
              </tr></thead>
              <tbody>
                ${rows.map((c) => html`
                  <tr key=${c.code || '-'}>
                    <th scope="row">
                      ${c.code ? html`<code>${c.code}</code> ` : null}${c.label}
                      ${c.retired_at ? html` <span class="meta">${t('campaigns.retired')}</span>` : null}
                    </th>
                    ${kMetrics.map((m) => html`<td key=${m}>${c.totals[m]}</td>`)}
                    <td>
                      ${c.code && !c.retired_at
                        ? html`
                            <button type="button" aria-label=${t('campaigns.qrFor', { code: c.code })}
                                    onClick=${() => setQrFor(qrFor === c.code ? '' : c.code)}>${t('campaigns.qr')}</button>
                            ${confirming === c.code
                              ? html`
                                  <span>${t('campaigns.retireQuestion', { code: c.code })}</span>
                                  <button type="button" onClick=${() => retire(c)}>${t('campaigns.retireYes')}</button>
                                  <button type="button" onClick=${() => setConfirming('')}>${t('campaigns.retireNo')}</button>`
                              : html`
                                  <button type="button" aria-label=${t('campaigns.retireFor', { code: c.code })}
                                          onClick=${() => setConfirming(c.code)}>${t('campaigns.retire')}</button>`}`
                        : null}
                    </td>
                  </tr>
                `)}
              </tbody>
            </table>
          `
        : null}
      ${qrFor ? html`<${Qr} key=${qrFor} code=${qrFor} />` : null}
      <div class="actions">
        <button type="button" onClick=${onClose}>${t('campaigns.close')}</button>
      </div>
    </section>
  `;
}
