// "Inzichten", for supervisors, analysts and admins: the organisation's view of its own work
// over a period (the last 28 days unless chosen otherwise), of one campaign or all, and of some
// municipalities or all. The largest rises of the last whole week come first as sentences, then
// the funnel from home page visit to completed referral (overall and per campaign), service
// levels (response, abandonment, length, waiting times, hour of day, weekday, shifts), the
// registrations' answers, the visitors' feedback and the outreach posts flagged per week.
// Everything is counts from GET /api/v1/insights; exact, for staff only.
//
// Every chart (uPlot, on a canvas) is hidden from screen readers and has a table with a caption
// that holds the same numbers, so nothing is only in a picture.

import { html, useEffect, useMemo, useRef, useState } from '/assets/vendor/preact-htm.js';
import uPlot from '/assets/vendor/uplot.js';
import { ServiceDateOf, t } from '../shared/i18n.js';
import { ApiError, Campaigns, Insights } from './api.js';
import { Duration } from './format.js';
import { PartnersSection } from './partners.js';
import { MethodologySection } from './methodology.js';
import { EmergingSection } from './emerging.js';

const kDefaultDays = 28;
const kChartHeight = 240;
const kStepLabels = {
  visits: 'insights.step.visits',
  started: 'insights.step.started',
  held: 'insights.step.held',
  criminal_involvement: 'insights.step.criminal_involvement',
  exploitation_signals: 'insights.step.exploitation_signals',
  referrals_proposed: 'insights.step.referrals_proposed',
  referrals_completed: 'insights.step.referrals_completed',
};
// Series colours: the page's own (base.css) first, then a few more of the same darkness, each
// with its own dash so that lines differ by more than colour.
const kColourVariables = ['--brand', '--ok', '--exit', '--warn'];
const kMoreColours = ['#5a3d8a', '#006d77', '#6b4e16', '#3f3f3f'];
const kDashes = [[], [8, 4], [2, 3], [10, 3, 2, 3]];
const kCountSteps = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000];

// uPlot's own layout rules, added to the page once, the first time the panel opens.
function UseChartStyles() {
  const id = 'uplot-styles';
  if (document.getElementById(id)) return;
  const link = document.createElement('link');
  link.id = id;
  link.rel = 'stylesheet';
  link.href = '/assets/vendor/uplot.css';
  document.head.append(link);
}

// GET /api/v1/insights: the dashboard for `query` ({from, to, campaign, regions}; empty values
// are left out, so that the server picks the last 28 days).
async function ReadInsights(query) {
  const params = new URLSearchParams();
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (query.campaign !== '') params.set('campaign', query.campaign);
  const regions = query.regions
    .split(',')
    .map((region) => region.trim())
    .filter((region) => region !== '');
  if (regions.length > 0) params.set('region', regions.join(','));
  return Insights(params);
}

// Dates as the date inputs write them, "YYYY-MM-DD", counted in whole days.
function AddDays(date, days) {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

function AddMonths(date, months) {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCMonth(day.getUTCMonth() + months);
  return day.toISOString().slice(0, 10);
}

function Locale() {
  return t('audit.locale');
}

function Count(n) {
  return n === null || n === undefined ? t('insights.notCounted') : n.toLocaleString(Locale());
}

function Percent(part, whole) {
  if (part === null || part === undefined || !whole) return '–';
  const n = ((100 * part) / whole).toLocaleString(Locale(), { maximumFractionDigits: 1 });
  return t('insights.percent', { n });
}

function Seconds(seconds, count) {
  return count > 0 ? Duration(seconds * 1000) : '–';
}

function DateText(date) {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString(Locale(), { dateStyle: 'medium', timeZone: 'UTC' });
}

function WeekText(monday) {
  return t('insights.weekOf', { date: DateText(monday) });
}

// "2026-W47" as "week 47, 2026".
function IsoWeekText(week) {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  return match ? t('insights.isoWeek', { year: match[1], week: Number(match[2]) }) : week;
}

function Weekday(index) {
  // 1 January 2024 was a Monday.
  return new Date(Date.UTC(2024, 0, 1 + index)).toLocaleDateString(Locale(), { weekday: 'long', timeZone: 'UTC' });
}

function HourText(hour) {
  const at = (h) => `${String(h).padStart(2, '0')}:00`;
  return `${at(hour)}–${at((hour + 1) % 24)}`;
}

function StepLabel(step) {
  return kStepLabels[step.id] ? t(kStepLabels[step.id]) : step.label;
}

function Colour(i) {
  if (i < kColourVariables.length) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(kColourVariables[i]).trim();
    if (value) return value;
  }
  return kMoreColours[i % kMoreColours.length];
}

function ChartInk() {
  const style = getComputedStyle(document.documentElement);
  return {
    ink: style.getPropertyValue('--ink').trim() || '#1b1b1b',
    line: style.getPropertyValue('--line').trim() || '#b1b4b6',
  };
}

function CountAxis(ink, extra = {}) {
  return {
    stroke: ink.ink,
    grid: { stroke: ink.line, width: 1 },
    ticks: { stroke: ink.line, width: 1 },
    incrs: kCountSteps,
    values: (u, splits) => splits.map((v) => v.toLocaleString(Locale())),
    ...extra,
  };
}

// An axis of categories at positions 0, 1, 2, … named by `labels`.
function CategoryAxis(ink, labels, extra = {}) {
  return {
    stroke: ink.ink,
    grid: { show: false },
    ticks: { stroke: ink.line, width: 1 },
    splits: () => labels.map((_, i) => i),
    values: (u, splits) => splits.map((i) => labels[i] ?? ''),
    ...extra,
  };
}

function CountRange(u, min, max) {
  return [0, Math.max(1, Math.ceil(max * 1.1))];
}

function LineSeries(names) {
  return names.map((label, i) => ({
    label,
    stroke: Colour(i),
    width: 2,
    dash: kDashes[i % kDashes.length],
    points: { show: true, size: 6, fill: Colour(i) },
  }));
}

// The options every chart shares: no legend of uPlot's own (the panel draws one), no cursor.
function BaseOptions() {
  return { legend: { show: false }, cursor: { show: false }, select: { show: false } };
}

// How wide the labels of a category axis need to be, in CSS pixels.
function LabelWidth(labels) {
  const context = document.createElement('canvas').getContext('2d');
  context.font = '12px system-ui, sans-serif';
  const widest = Math.max(0, ...labels.map((label) => context.measureText(label).width));
  return Math.min(240, Math.ceil(widest) + 16);
}

// A uPlot chart sized to its box, redrawn when the box changes width. `options` and `data` must
// keep their identity between renders unless they change. Hidden from screen readers: the
// table next to it says the same.
function Chart({ options, data, series }) {
  const box = useRef(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const width = () => Math.max(200, Math.floor(element.clientWidth));
    const plot = new uPlot({ ...options, width: width(), height: kChartHeight }, data, element);
    let shown = width();
    const observer = new ResizeObserver(() => {
      if (width() === shown) return;
      shown = width();
      plot.setSize({ width: shown, height: kChartHeight });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [options, data]);
  return html`
    <div class="insights-chart" aria-hidden="true">
      ${series && series.length > 1
        ? html`
            <ul class="chart-legend">
              ${series.map((name, i) => html`
                <li key=${name}><span class="swatch" data-dash=${i % kDashes.length}
                                      style=${{ borderColor: Colour(i) }}></span>${name}</li>`)}
            </ul>`
        : null}
      <div class="chart-box" ref=${box}></div>
    </div>
  `;
}

let tableCount = 0;

// A table of numbers: `columns` names every column, the first being the rows' headers. When the
// screen is too narrow for it, it scrolls sideways, and then its box is a named region that the
// keyboard can reach and scroll.
function DataTable({ caption, columns, rows }) {
  const [id] = useState(() => `insights-table-${++tableCount}`);
  const box = useRef(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const check = () => setScrolls(element.scrollWidth > element.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(element);
    return () => observer.disconnect();
  }, [rows.length, columns.length]);
  return html`
    <div class="table-scroll" ref=${box} tabindex=${scrolls ? '0' : undefined} role=${scrolls ? 'region' : undefined}
         aria-labelledby=${scrolls ? id : undefined}>
      <table class="insights-table">
        <caption id=${id}>${caption}</caption>
        <thead><tr>${columns.map((column) => html`<th scope="col">${column}</th>`)}</tr></thead>
        <tbody>
          ${rows.map(([head, ...cells], i) => html`
            <tr key=${i}>
              <th scope="row">${head}</th>
              ${cells.map((cell) => html`<td>${cell}</td>`)}
            </tr>`)}
        </tbody>
      </table>
    </div>
  `;
}

// The chart, and its table beside it on a wide screen (below it when `stacked`, for wide tables).
function ChartWithTable({ chart, table, stacked = false }) {
  return html`<div class=${stacked ? 'chart-and-table stacked' : 'chart-and-table'}>${chart}${table}</div>`;
}

function Rises({ trends }) {
  return html`
    <section class="insights-rises" aria-labelledby="insights-rises-heading">
      <h3 id="insights-rises-heading">${t('insights.rises')}</h3>
      ${trends.week ? html`<p class="hint">${t('insights.risesWeek', { week: DateText(trends.week) })}</p>` : null}
      ${trends.rises.length > 0
        ? html`<ul>${trends.rises.map((rise) => html`<li key=${`${rise.field}.${rise.key}`}>${rise.sentence}</li>`)}</ul>`
        : html`<p>${trends.week ? t('insights.noRises') : t('insights.noRisesShort')}</p>`}
    </section>
  `;
}

function StepRows(steps) {
  return steps.map((step, i) => {
    const previous = i > 0 ? steps[i - 1].count : null;
    return [StepLabel(step), Count(step.count), i === 0 ? '–' : Percent(step.count, previous)];
  });
}

function Funnel({ dashboard }) {
  const chart = useMemo(() => {
    const ink = ChartInk();
    const labels = dashboard.funnel.map(StepLabel);
    return {
      options: {
        ...BaseOptions(),
        scales: {
          x: { time: false, ori: 1, dir: -1, range: [-0.5, labels.length - 0.5] },
          y: { ori: 0, dir: 1, range: CountRange },
        },
        axes: [
          CategoryAxis(ink, labels, { side: 3, size: LabelWidth(labels) }),
          CountAxis(ink, { side: 2 }),
        ],
        series: [
          {},
          {
            label: t('insights.count'),
            fill: Colour(0),
            stroke: Colour(0),
            width: 0,
            paths: uPlot.paths.bars({ size: [0.7, 36] }),
            points: { show: false },
          },
        ],
      },
      data: [labels.map((_, i) => i), dashboard.funnel.map((step) => step.count ?? 0)],
    };
  }, [dashboard, Locale()]);
  const columns = [t('insights.step'), t('insights.count'), t('insights.conversion')];
  return html`
    <section class="insights-section" aria-labelledby="insights-funnel-heading">
      <h3 id="insights-funnel-heading">${t('insights.funnel')}</h3>
      <p class="hint">${t('insights.funnelHint')}</p>
      <${ChartWithTable}
        chart=${html`<${Chart} options=${chart.options} data=${chart.data} />`}
        table=${html`<${DataTable} caption=${t('insights.funnelCaption')} columns=${columns}
                                    rows=${StepRows(dashboard.funnel)} />`} />
      ${dashboard.campaigns.length > 0
        ? html`
            <h4>${t('insights.perCampaign')}</h4>
            <div class="insights-campaigns">
              ${dashboard.campaigns.map((campaign) => html`
                <${DataTable} key=${campaign.campaign} columns=${columns} rows=${StepRows(campaign.steps)}
                              caption=${campaign.campaign
                                ? t('insights.campaignCaption', { campaign: campaign.campaign })
                                : t('insights.noCampaignCaption')} />`)}
            </div>`
        : null}
    </section>
  `;
}

function ServiceSummary({ service }) {
  const { first_response: first, abandoned_wait: abandoned, length, shifts } = service;
  const item = (term, value) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`;
  return html`
    <dl class="insights-figures">
      ${item(t('insights.firstResponse'), t('insights.medianP90', {
        median: Seconds(first.median, first.count), p90: Seconds(first.p90, first.count), n: Count(first.count),
      }))}
      ${item(t('insights.abandoned'), t('insights.abandonedText', {
        n: Count(abandoned.count), median: Seconds(abandoned.median, abandoned.count),
      }))}
      ${item(t('insights.length'), t('insights.medianP90', {
        median: Seconds(length.median, length.count), p90: Seconds(length.p90, length.count), n: Count(length.count),
      }))}
      ${item(t('insights.shifts'), t('insights.shiftsText', {
        shifts: Count(shifts.shifts),
        conversations: Count(shifts.conversations),
        per: shifts.per_shift.toLocaleString(Locale(), { maximumFractionDigits: 1 }),
      }))}
    </dl>
  `;
}

function Service({ dashboard }) {
  const { service } = dashboard;
  const waitingNames = [t('insights.helped'), t('insights.abandonedShort')];
  const hourNames = [t('insights.started'), t('insights.held'), t('insights.abandonedShort')];
  const charts = useMemo(() => {
    const ink = ChartInk();
    const bands = service.waiting.map((band) => band.label);
    const bar = (i, align) => ({
      label: waitingNames[i],
      fill: Colour(i),
      stroke: Colour(i),
      width: 0,
      paths: uPlot.paths.bars({ size: [0.4, 28], align }),
      points: { show: false },
    });
    const hours = service.by_hour.map((_, h) => h);
    return {
      waiting: {
        options: {
          ...BaseOptions(),
          scales: { x: { time: false, range: [-0.5, bands.length - 0.5] }, y: { range: CountRange } },
          axes: [CategoryAxis(ink, bands, { rotate: -30, size: 64 }), CountAxis(ink)],
          series: [{}, bar(0, -1), bar(1, 1)],
        },
        data: [
          bands.map((_, i) => i),
          service.waiting.map((band) => band.held),
          service.waiting.map((band) => band.abandoned),
        ],
      },
      hours: {
        options: {
          ...BaseOptions(),
          scales: { x: { time: false, range: [0, 23] }, y: { range: CountRange } },
          axes: [
            {
              stroke: ink.ink,
              grid: { stroke: ink.line, width: 1 },
              ticks: { stroke: ink.line, width: 1 },
              splits: () => [0, 3, 6, 9, 12, 15, 18, 21],
              values: (u, splits) => splits.map((h) => `${String(h).padStart(2, '0')}:00`),
            },
            CountAxis(ink),
          ],
          series: [{}, ...LineSeries(hourNames)],
        },
        data: [
          hours,
          service.by_hour.map((hour) => hour.started),
          service.by_hour.map((hour) => hour.held),
          service.by_hour.map((hour) => hour.abandoned),
        ],
      },
    };
  }, [dashboard, Locale()]);
  const countRow = (head, counts) => [head, Count(counts.started), Count(counts.held), Count(counts.abandoned)];
  const countColumns = (first) => [first, ...hourNames];
  return html`
    <section class="insights-section" aria-labelledby="insights-service-heading">
      <h3 id="insights-service-heading">${t('insights.service')}</h3>
      <${ServiceSummary} service=${service} />
      <h4>${t('insights.waiting')}</h4>
      <${ChartWithTable}
        chart=${html`<${Chart} options=${charts.waiting.options} data=${charts.waiting.data} series=${waitingNames} />`}
        table=${html`<${DataTable} caption=${t('insights.waitingCaption')}
                                    columns=${[t('insights.waitedFor'), ...waitingNames]}
                                    rows=${service.waiting.map((band) => [band.label, Count(band.held), Count(band.abandoned)])} />`} />
      <h4>${t('insights.byHour')}</h4>
      <${ChartWithTable}
        chart=${html`<${Chart} options=${charts.hours.options} data=${charts.hours.data} series=${hourNames} />`}
        table=${html`<${DataTable} caption=${t('insights.byHourCaption')} columns=${countColumns(t('insights.hour'))}
                                    rows=${service.by_hour.map((hour, h) => countRow(HourText(h), hour))} />`} />
      <h4>${t('insights.byWeekday')}</h4>
      <${DataTable} caption=${t('insights.byWeekdayCaption')} columns=${countColumns(t('insights.weekday'))}
                    rows=${service.by_weekday.map((day, i) => countRow(Weekday(i), day))} />
    </section>
  `;
}

function Registrations({ dashboard }) {
  const { registered } = dashboard;
  return html`
    <section class="insights-section" aria-labelledby="insights-registrations-heading">
      <h3 id="insights-registrations-heading">${t('insights.registrations')}</h3>
      <p>${t('insights.registered', { n: Count(registered) })}</p>
      <div class="insights-fields">
        ${dashboard.registrations.map((field) => html`
          <${DataTable} key=${field.id} caption=${field.label}
                        columns=${[t('insights.answer'), t('insights.count'), t('insights.share')]}
                        rows=${field.options.length > 0
                          ? field.options.map((option) => [option.label, Count(option.count), Percent(option.count, registered)])
                          : [[t('insights.noAnswers'), '–', '–']]} />`)}
      </div>
    </section>
  `;
}

// What the figures shown count: the period, and the campaign and places the server applied.
function AppliedFilter(dashboard) {
  const parts = [t('insights.period', { from: DateText(dashboard.from), to: DateText(dashboard.to) })];
  if (dashboard.campaign !== null && dashboard.campaign !== undefined) {
    parts.push(dashboard.campaign === '' ? t('insights.appliedNoCampaign') : t('insights.appliedCampaign', { code: dashboard.campaign }));
  }
  if (dashboard.regions?.length > 0) parts.push(t('insights.appliedRegions', { places: dashboard.regions.join(', ') }));
  return parts.join(' ');
}

function Feedback({ dashboard }) {
  const { feedback } = dashboard;
  const names = [t('insights.helpedYes'), t('insights.helpedSomewhat'), t('insights.helpedNo')];
  const columns = [
    t('insights.week'),
    ...names,
    t('insights.returnYes'),
    t('insights.returnMaybe'),
    t('insights.returnNo'),
  ];
  const chart = useMemo(() => {
    const ink = ChartInk();
    const labels = feedback.map((week) => DateText(week.week));
    return {
      options: {
        ...BaseOptions(),
        scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: CountRange } },
        axes: [CategoryAxis(ink, labels), CountAxis(ink)],
        series: [{}, ...LineSeries(names)],
      },
      data: [labels.map((_, i) => i), ...[0, 1, 2].map((i) => feedback.map((week) => week.helped[i]))],
    };
  }, [dashboard, Locale()]);
  return html`
    <section class="insights-section" aria-labelledby="insights-feedback-heading">
      <h3 id="insights-feedback-heading">${t('insights.feedback')}</h3>
      ${dashboard.campaign !== null && dashboard.campaign !== undefined || dashboard.regions?.length > 0
        ? html`<p class="hint">${t('insights.feedbackUnfiltered')}</p>`
        : null}
      ${feedback.length === 0
        ? html`<p>${t('insights.noFeedback')}</p>`
        : html`<${ChartWithTable} stacked
                 chart=${html`<${Chart} options=${chart.options} data=${chart.data} series=${names} />`}
                 table=${html`<${DataTable} caption=${t('insights.feedbackCaption')} columns=${columns}
                                             rows=${feedback.map((week) => [
                                               WeekText(week.week),
                                               ...week.helped.map(Count),
                                               ...week.would_return.map(Count),
                                             ])} />`} />`}
    </section>
  `;
}

function Outreach({ dashboard }) {
  const { categories, weeks } = dashboard.outreach;
  const chart = useMemo(() => {
    const ink = ChartInk();
    const labels = weeks.map((week) => week.week.replace(/^\d{4}-/, ''));
    return {
      options: {
        ...BaseOptions(),
        scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: CountRange } },
        axes: [CategoryAxis(ink, labels), CountAxis(ink)],
        series: [{}, ...LineSeries(categories)],
      },
      data: [labels.map((_, i) => i), ...categories.map((_, c) => weeks.map((week) => week.counts[c] ?? 0))],
    };
  }, [dashboard, Locale()]);
  const empty = categories.length === 0 || weeks.length === 0;
  return html`
    <section class="insights-section" aria-labelledby="insights-outreach-heading">
      <h3 id="insights-outreach-heading">${t('insights.outreach')}</h3>
      <p class="hint">${t('insights.outreachHint')}</p>
      ${empty
        ? html`<p>${t('insights.noOutreach')}</p>`
        : html`<${ChartWithTable}
                 chart=${html`<${Chart} options=${chart.options} data=${chart.data} series=${categories} />`}
                 table=${html`<${DataTable} caption=${t('insights.outreachCaption')}
                                             columns=${[t('insights.week'), ...categories]}
                                             rows=${weeks.map((week) => [IsoWeekText(week.week), ...week.counts.map(Count)])} />`} />`}
    </section>
  `;
}

function Filter({ query, campaigns, onChange, onSubmit, onQuick }) {
  // From what is shown now, not from this render's query: two fields changed before the next
  // render (a quick typist, a password manager, a test) must both count.
  const set = (name) => (event) => {
    const value = event.currentTarget.value;
    onChange((shown) => ({ ...shown, [name]: value }));
  };
  return html`
    <form class="insights-filter" onSubmit=${onSubmit} aria-label=${t('insights.filter')}>
      <span>
        <label for="insights-from">${t('insights.from')}</label>
        <input id="insights-from" type="date" required value=${query.from} onInput=${set('from')} />
      </span>
      <span>
        <label for="insights-to">${t('insights.to')}</label>
        <input id="insights-to" type="date" required value=${query.to} onInput=${set('to')} />
      </span>
      ${campaigns
        ? html`
            <span>
              <label for="insights-campaign">${t('insights.campaign')}</label>
              <select id="insights-campaign" value=${query.campaign} onChange=${set('campaign')}>
                <option value="">${t('insights.allCampaigns')}</option>
                <option value="-">${t('insights.withoutCampaign')}</option>
                ${campaigns.map((campaign) => html`
                  <option key=${campaign.code} value=${campaign.code}>
                    ${campaign.label ? `${campaign.code} – ${campaign.label}` : campaign.code}
                    ${campaign.retired_at ? ` ${t('campaigns.retired')}` : ''}
                  </option>`)}
              </select>
            </span>`
        : null}
      <span class="region">
        <label for="insights-region">${t('insights.regions')}</label>
        <input id="insights-region" type="text" value=${query.regions} aria-describedby="insights-region-hint"
               onInput=${set('regions')} />
        <span id="insights-region-hint" class="hint">${t('insights.regionsHint')}</span>
      </span>
      <span class="submit">
        <button type="submit" class="primary">${t('insights.show')}</button>
      </span>
      <span class="quick" role="group" aria-label=${t('insights.quick')}>
        <button type="button" onClick=${() => onQuick('weeks')}>${t('insights.quickWeeks')}</button>
        <button type="button" onClick=${() => onQuick('quarter')}>${t('insights.quickQuarter')}</button>
        <button type="button" onClick=${() => onQuick('year')}>${t('insights.quickYear')}</button>
      </span>
    </form>
  `;
}

export function InsightsPanel({ onClose }) {
  const [query, setQuery] = useState(() => ({
    from: AddDays(ServiceDateOf(Date.now()), 1 - kDefaultDays),
    to: ServiceDateOf(Date.now()),
    campaign: '',
    regions: '',
  }));
  // Today as the server counts days (its answer to the first request, which names no dates).
  const [today, setToday] = useState(() => ServiceDateOf(Date.now()));
  const [campaigns, setCampaigns] = useState(null);
  const [dashboard, setDashboard] = useState(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const heading = useRef(null);
  const latest = useRef(0);

  const load = async (wanted) => {
    const request = ++latest.current;
    setLoading(true);
    setError('');
    try {
      const answer = await ReadInsights(wanted);
      if (request !== latest.current) return;
      setDashboard(answer);
      // The dates the server counted, unless others were typed while it counted.
      const sentFrom = wanted.from || wanted.to ? wanted : query;
      setQuery((shown) =>
        shown.from === sentFrom.from && shown.to === sentFrom.to ? { ...shown, from: answer.from, to: answer.to } : shown,
      );
      if (!wanted.to) setToday(answer.to);
    } catch (failure) {
      if (request !== latest.current) return;
      // The figures shown would be taken for those of the filter now chosen.
      setDashboard(null);
      const message = failure instanceof ApiError && failure.message ? ` ${failure.message}` : '';
      setError(`${t('insights.failed')}${message}`);
    } finally {
      if (request === latest.current) setLoading(false);
    }
  };

  useEffect(() => {
    UseChartStyles();
    heading.current?.focus();
    load({ from: '', to: '', campaign: '', regions: '' });
    // Only those who may manage campaigns can list them; for the others there is no choice.
    Campaigns()
      .then((answer) => setCampaigns(answer.campaigns ?? []))
      .catch(() => setCampaigns(null));
  }, []);

  const submit = (event) => {
    event.preventDefault();
    load(query);
  };
  const quick = (which) => {
    const from = {
      weeks: AddDays(today, 1 - kDefaultDays),
      quarter: AddDays(AddMonths(today, -3), 1),
      year: AddDays(AddMonths(today, -12), 1),
    }[which];
    const wanted = { ...query, from, to: today };
    setQuery(wanted);
    load(wanted);
  };

  return html`
    <section class="panel insights" aria-labelledby="insights-heading" aria-busy=${loading ? 'true' : 'false'}>
      <h2 id="insights-heading" ref=${heading} tabindex="-1">${t('insights.heading')}</h2>
      <p class="hint">${t('insights.explain')}</p>
      <${Filter} query=${query} campaigns=${campaigns} onChange=${setQuery} onSubmit=${submit} onQuick=${quick} />
      <p class="error" role="alert">${error}</p>
      <p role="status" class="insights-status">
        ${loading
          ? t('insights.loading')
          : dashboard
            ? AppliedFilter(dashboard)
            : ''}
      </p>
      ${dashboard
        ? html`
            <div class="insights-body">
              <${Rises} trends=${dashboard.trends} />
              <${Funnel} dashboard=${dashboard} />
              <${Service} dashboard=${dashboard} />
              <${Registrations} dashboard=${dashboard} />
              <${Feedback} dashboard=${dashboard} />
              <${Outreach} dashboard=${dashboard} />
              <${MethodologySection} from=${dashboard.from} to=${dashboard.to} />
              <${EmergingSection} />
            </div>`
        : null}
      <${PartnersSection} />
      <div class="actions">
        <button type="button" onClick=${onClose}>${t('insights.close')}</button>
      </div>
    </section>
  `;
}
