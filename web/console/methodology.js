// "Methodologie" inside the Inzichten view: the scores supervisors gave sampled conversations
// (docs/review.md), per criterion of the rubric and per month or ISO week of the
// conversations' end: the mean with the number scored, the number reviewed, and the
// distribution over the rubric's levels for the whole period. Never per counsellor: the server
// does not even answer that. From GET /api/v1/insights/methodology; exact, for staff only.

import { html, useEffect, useState } from '/assets/vendor/preact-htm.js';
import { CurrentLanguage, t } from '../shared/i18n.js';
import { ApiError, Methodology } from './api.js';

function Mean(value) {
  return value === null
    ? '–'
    : value.toLocaleString(CurrentLanguage() === 'en' ? 'en-GB' : 'nl-NL', {
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      });
}

function CriterionLabel(rubric, id, fallback) {
  const criterion = rubric.criteria.find((known) => known.id === id);
  if (!criterion) return fallback;
  return CurrentLanguage() === 'en' ? criterion.label.en : criterion.label.nl;
}

function LevelsText(levels) {
  return levels.map((level) => `${level.score} · ${level.label}`).join('\n');
}

// Per criterion, the count of each level and of "not applicable" over every period shown. When
// the criteria have levels of their own, each cell names its level: one header row would put
// counts under another criterion's levels.
function Distribution({ figures }) {
  const first = figures.periods[0];
  if (!first) return null;
  const levels = first.criteria[0]?.levels ?? [];
  const shared = first.criteria.every((criterion) => LevelsText(criterion.levels) === LevelsText(levels));
  const widest = Math.max(0, ...first.criteria.map((criterion) => criterion.levels.length));
  return html`
    <table class="methodology-distribution">
      <caption>${t('methodology.distribution')}</caption>
      <thead>
        <tr>
          <th scope="col">${t('methodology.criterion')}</th>
          ${shared
            ? levels.map((level) => html`<th scope="col" key=${level.score}>${level.score} · ${level.label}</th>`)
            : html`<th scope="colgroup" colspan=${widest}>${t('methodology.levels')}</th>`}
          <th scope="col">${t('methodology.notApplicable')}</th>
        </tr>
      </thead>
      <tbody>
        ${first.criteria.map((criterion, c) => html`
          <tr key=${criterion.id}>
            <th scope="row">${CriterionLabel(figures.rubric, criterion.id, criterion.label)}</th>
            ${criterion.levels.map((level, l) => {
              const count = figures.periods.reduce((sum, period) => sum + (period.criteria[c]?.levels[l]?.count ?? 0), 0);
              return html`<td key=${level.score}>${shared ? count : `${level.score} · ${level.label}: ${count}`}</td>`;
            })}
            ${shared ? null : Array.from({ length: widest - criterion.levels.length }, (_, i) => html`<td key=${`pad-${i}`}></td>`)}
            <td>${figures.periods.reduce((sum, period) => sum + (period.criteria[c]?.not_applicable ?? 0), 0)}</td>
          </tr>`)}
      </tbody>
    </table>
  `;
}

export function MethodologySection({ from, to }) {
  const [period, setPeriod] = useState('month');
  const [figures, setFigures] = useState(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let current = true;
    setError('');
    Methodology(from, to, period)
      .then((answer) => current && setFigures(answer))
      .catch((failure) => {
        if (!current) return;
        // What is on screen is of another period or range than the one asked for now.
        setFigures(null);
        const message = failure instanceof ApiError && failure.message ? ` ${failure.message}` : '';
        setError(`${t('methodology.failed')}${message}`);
      });
    return () => {
      current = false;
    };
  }, [from, to, period]);

  const reviewed = figures ? figures.periods.reduce((sum, each) => sum + each.reviewed, 0) : 0;
  return html`
    <section class="insights-section methodology" aria-labelledby="methodology-heading">
      <h3 id="methodology-heading">${t('methodology.heading')}</h3>
      <p class="hint">${t('methodology.explain')}</p>
      <label for="methodology-period">${t('methodology.per')}</label>
      <select id="methodology-period" value=${period} onChange=${(e) => setPeriod(e.currentTarget.value)}>
        <option value="month">${t('methodology.month')}</option>
        <option value="week">${t('methodology.week')}</option>
      </select>
      ${error ? html`<p class="error" role="alert">${error}</p>` : null}
      ${figures === null
        ? null
        : reviewed === 0
          ? html`<p>${t('methodology.none')}</p>`
          : html`
              <div class="table-scroll">
                <table class="methodology-means">
                  <caption>${t('methodology.means')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">${t('methodology.criterion')}</th>
                      ${figures.periods.map((each) => html`<th scope="col" key=${each.period}>${each.period}</th>`)}
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      <th scope="row">${t('methodology.reviewed')}</th>
                      ${figures.periods.map((each) => html`<td key=${each.period}>${each.reviewed}</td>`)}
                    </tr>
                    ${figures.periods[0].criteria.map((criterion, c) => html`
                      <tr key=${criterion.id}>
                        <th scope="row">${CriterionLabel(figures.rubric, criterion.id, criterion.label)}</th>
                        ${figures.periods.map((each) => {
                          const shown = each.criteria[c];
                          return html`<td key=${each.period}>
                            ${Mean(shown.mean)}${shown.scored > 0 ? html` <span class="meta">(n=${shown.scored})</span>` : null}
                          </td>`;
                        })}
                      </tr>`)}
                  </tbody>
                </table>
              </div>
              <${Distribution} figures=${figures} />`}
    </section>
  `;
}
