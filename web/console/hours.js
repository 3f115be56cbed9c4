// "Opening hours", for admins: the hours per weekday and the exceptions for single dates, in
// Amsterdam's time. Each day's hours are written as spans, "16:00-06:00" (a close before the
// open runs into the next day), several separated by commas; empty is closed. The server checks
// everything again and says what is wrong. A save names the version it changes: when another
// admin saved meanwhile it is refused; their version is shown beside the form, which keeps what
// this admin typed, to save over theirs or to drop for theirs. Closing with changes not saved
// asks first.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { t, ServiceDayAndTime } from '../shared/i18n.js';
import { OpeningHours, SetOpeningHours } from './api.js';
import { DiscardQuestion } from './discard-question.js';
import { useOneAtATime } from './one-at-a-time.js';

const kWeekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const kSpan = /^\s*(\d\d:\d\d)\s*[-–]\s*(\d\d:\d\d)\s*$/;

function SpansText(spans) {
  return spans.map((span) => `${span.open}-${span.close}`).join(', ');
}

// 00:00 to 23:59: midnight is 00:00, never 24:00.
function IsClock(text) {
  const [hours, minutes] = text.split(':').map(Number);
  return hours < 24 && minutes < 60;
}

// The spans a text names, or null when it is not written as they must be.
export function ParseSpans(text) {
  if (text.trim() === '') return [];
  const spans = [];
  for (const part of text.split(',')) {
    const match = kSpan.exec(part);
    if (!match || !IsClock(match[1]) || !IsClock(match[2])) return null;
    spans.push({ open: match[1], close: match[2] });
  }
  return spans;
}

// The texts the form shows for `hours` as the server has them.
function FormTexts(hours) {
  return {
    weekly: Object.fromEntries(kWeekdays.map((day) => [day, SpansText(hours.weekly[day] ?? [])])),
    exceptions: hours.exceptions.map((e) => ({ date: e.date, label: e.label, hours: SpansText(e.hours) })),
  };
}

// A colleague's version, read-only, beside the form that keeps this admin's changes.
function TheirVersion({ hours }) {
  const texts = FormTexts(hours);
  return html`
    <section class="their-version" aria-labelledby="hours-theirs-heading">
      <h3 id="hours-theirs-heading">${t('hours.theirVersion')}</h3>
      <dl>
        ${kWeekdays.map((day) => html`
          <dt key=${`${day}-name`}>${t(`hours.day.${day}`)}</dt>
          <dd key=${`${day}-hours`}>${texts.weekly[day] || t('hours.closedDay')}</dd>
        `)}
        ${texts.exceptions.map((e) => html`
          <dt key=${`${e.date}-name`}>${e.label ? `${e.date} (${e.label})` : e.date}</dt>
          <dd key=${`${e.date}-hours`}>${e.hours || t('hours.closedDay')}</dd>
        `)}
      </dl>
    </section>
  `;
}

function StateLine({ hours }) {
  if (!hours) return null;
  if (hours.open) {
    return html`<p role="status">${hours.changes_at
      ? t('hours.openUntil', { when: ServiceDayAndTime(hours.changes_at) })
      : t('hours.openAlways')}</p>`;
  }
  return html`<p role="status">${hours.changes_at
    ? t('hours.closedUntil', { when: ServiceDayAndTime(hours.changes_at) })
    : t('hours.closedAlways')}</p>`;
}

// `leave`: a ref given this panel's guarded close, for the console's menu.
export function OpeningHoursPanel({ onClose, leave }) {
  const [hours, setHours] = useState(null);
  const [weekly, setWeekly] = useState({});
  const [exceptions, setExceptions] = useState([]);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState('');
  // A colleague's version that a save ran into: shown beside this admin's changes.
  const [theirs, setTheirs] = useState(null);
  const [asking, setAsking] = useState(false);  // whether to close without saving
  // What the form showed when it was loaded or saved: edits are what differs from it.
  const [shown, setShown] = useState(null);
  const heading = useRef(null);

  const show = (loaded) => {
    const texts = FormTexts(loaded);
    setHours(loaded);
    setShown(texts);
    setWeekly(texts.weekly);
    setExceptions(texts.exceptions);
    setTheirs(null);
  };
  // `again`: asked for by the admin after a failure; the button they pressed goes with it.
  const load = (again = false) =>
    OpeningHours()
      .then((loaded) => {
        show(loaded);
        setError('');
        if (again) heading.current?.focus();
      })
      .catch(() => setError(t('hours.failed')));
  const edited = () =>
    shown !== null &&
    (kWeekdays.some((day) => (weekly[day] ?? '') !== shown.weekly[day]) ||
      JSON.stringify(exceptions) !== JSON.stringify(shown.exceptions));
  const close = () => {
    if (edited()) setAsking(true);
    else onClose();
  };
  if (leave) leave.current = close;
  useEffect(() => () => {
    if (leave) leave.current = null;
  }, []);
  const takeTheirs = () => {
    show(theirs);
    setError('');
    heading.current?.focus();
  };
  useEffect(() => {
    heading.current?.focus();
    load();
  }, []);

  const [saving, oneAtATime] = useOneAtATime();
  const save = async (event) => {
    event.preventDefault();
    setError('');
    setSaved('');
    const body = { weekly: {}, exceptions: [], based_on: hours.version };
    for (const day of kWeekdays) {
      const spans = ParseSpans(weekly[day] ?? '');
      if (spans === null) return setError(t('hours.badSpans', { day: t(`hours.day.${day}`) }));
      body.weekly[day] = spans;
    }
    for (const exception of exceptions) {
      const spans = ParseSpans(exception.hours);
      if (spans === null) return setError(t('hours.badSpans', { day: exception.date }));
      body.exceptions.push({ date: exception.date, label: exception.label, hours: spans });
    }
    await oneAtATime(async () => {
      try {
        show(await SetOpeningHours(body));
        setSaved(t('hours.saved'));
      } catch (failure) {
        if (failure.status === 409) {
          // Their version becomes the one a save replaces; the form keeps what was typed.
          try {
            const current = await OpeningHours();
            setHours(current);
            setTheirs(current);
            setError(t('hours.changedMeanwhile'));
          } catch {
            setError(t('hours.failed'));
          }
          return;
        }
        setError(failure.status === 400 ? `${t('hours.refused')} ${failure.message}` : t('hours.failed'));
      }
    });
  };

  const change = (index, field, value) =>
    setExceptions(exceptions.map((e, i) => (i === index ? { ...e, [field]: value } : e)));

  return html`
    <section class="panel hours" aria-labelledby="hours-heading">
      <h2 id="hours-heading" ref=${heading} tabindex="-1">${t('hours.heading')}</h2>
      <${StateLine} hours=${hours} />
      <p class="hint" id="hours-hint">${t('hours.hint')}</p>
      ${hours === null && error
        ? html`
            <p class="error" role="alert">${error}</p>
            <button type="button" onClick=${() => load(true)}>${t('hours.retry')}</button>
          `
        : null}
      ${hours === null
        ? null
        : html`
            <form onSubmit=${save}>
              <fieldset>
                <legend>${t('hours.week')}</legend>
                ${kWeekdays.map((day) => html`
                  <div class="field" key=${day}>
                    <label for=${`hours-${day}`}>${t(`hours.day.${day}`)}</label>
                    <input id=${`hours-${day}`} type="text" value=${weekly[day]} aria-describedby="hours-hint"
                           onInput=${(e) => setWeekly({ ...weekly, [day]: e.currentTarget.value })} />
                  </div>
                `)}
              </fieldset>
              <fieldset>
                <legend>${t('hours.exceptions')}</legend>
                ${exceptions.length === 0 ? html`<p>${t('hours.noExceptions')}</p>` : null}
                ${exceptions.map((exception, index) => html`
                  <div class="exception" key=${index}>
                    <label for=${`exception-date-${index}`}>${t('hours.date')}</label>
                    <input id=${`exception-date-${index}`} type="date" required value=${exception.date}
                           onInput=${(e) => change(index, 'date', e.currentTarget.value)} />
                    <label for=${`exception-label-${index}`}>${t('hours.label')}</label>
                    <input id=${`exception-label-${index}`} type="text" maxlength="80" value=${exception.label}
                           onInput=${(e) => change(index, 'label', e.currentTarget.value)} />
                    <label for=${`exception-hours-${index}`}>${t('hours.dayHours')}</label>
                    <input id=${`exception-hours-${index}`} type="text" value=${exception.hours}
                           aria-describedby="hours-hint"
                           onInput=${(e) => change(index, 'hours', e.currentTarget.value)} />
                    <button type="button" aria-label=${t('hours.removeLabel', { date: exception.date })}
                            onClick=${() => setExceptions(exceptions.filter((_, i) => i !== index))}>
                      ${t('hours.remove')}
                    </button>
                  </div>
                `)}
                <button type="button"
                        onClick=${() => setExceptions([...exceptions, { date: '', label: '', hours: '' }])}>
                  ${t('hours.addException')}
                </button>
              </fieldset>
              <p class="error" role="alert">${error}</p>
              <p role="status">${saved}</p>
              ${theirs ? html`<${TheirVersion} hours=${theirs} />` : null}
              <div class="actions">
                <button type="submit" class="primary" disabled=${saving}>${theirs ? t('hours.saveMine') : t('hours.save')}</button>
                ${theirs ? html`<button type="button" onClick=${takeTheirs}>${t('hours.reload')}</button>` : null}
              </div>
            </form>
          `}
      <div class="actions">
        <button type="button" onClick=${close}>${t('hours.close')}</button>
      </div>
      ${asking
        ? html`<${DiscardQuestion} onYes=${() => { setAsking(false); onClose(); }}
                                   onNo=${() => setAsking(false)} />`
        : null}
    </section>
  `;
}
