// Whether the chat is open, from the server (GET /api/v1/visitor/status): a line on the home
// page, read again every minute. Outside the opening hours the start button gives way to when
// the chat opens and where else to turn; that stays true until the page learns otherwise.

import { t, ServiceDate, ServiceDayAndTime, OnLanguageChange } from '../shared/i18n.js';
import { ExpectedWaitText } from './chat.js';
import { SetText } from './message-list.js';

const kRefreshMs = 60 * 1000;
// How long a full queue makes a message left the way in (the status cannot say when it has room).
const kQueueFullMs = 5 * 60 * 1000;
const kWeekdays = [
  ['monday', 'day.monday'], ['tuesday', 'day.tuesday'], ['wednesday', 'day.wednesday'],
  ['thursday', 'day.thursday'], ['friday', 'day.friday'], ['saturday', 'day.saturday'],
  ['sunday', 'day.sunday'],
];

function SpansText(spans) {
  return spans.length ? spans.map((s) => `${s.open}–${s.close}`).join(', ') : t('day.closed');
}

// One line per weekday: "maandag: 16:00–06:00".
function RenderWeek(list, weekly) {
  list.replaceChildren(
    ...kWeekdays.map(([day, key]) => {
      const item = document.createElement('li');
      item.textContent = t('day.hours', { day: t(key), spans: SpansText(weekly?.[day] ?? []) });
      return item;
    }),
  );
}

// The coming days whose hours differ from the week's: "vrijdag 25 december (Eerste Kerstdag):
// gesloten".
function RenderComingDays(list, exceptions) {
  list.replaceChildren(
    ...exceptions.map((day) => {
      const item = document.createElement('li');
      const date = ServiceDate(day.date);
      const spans = SpansText(day.hours ?? []);
      item.textContent = day.label
        ? t('day.exceptionLabelled', { date, label: day.label, spans })
        : t('day.exception', { date, spans });
      return item;
    }),
  );
}

// "De Kindertelefoon: 0800-0432 (elke dag 11:00–21:00)", one item per line configured.
function RenderHelplines(list, helplines) {
  list.replaceChildren(
    ...(helplines ?? []).map((line) => {
      const item = document.createElement('li');
      // A name and a number in a right-to-left list: their brackets and digits keep their order.
      item.dir = 'auto';
      item.textContent = t(line.when ? 'help.lineWhen' : 'help.line', line);
      return item;
    }),
  );
}

export class ServiceStatus {
  // elements: { line, week, coming, comingList, start, closed, opens, label, leave,
  //             helplines: [lists], onChange }
  constructor(elements) {
    this.elements = elements;
    this.queueFullSince = null;
    this.status = null;
    this.failed = false;
    this.timer = null;
    OnLanguageChange(() => this.Render());
  }

  // Reads the status now and then every minute.
  Watch() {
    this.Render();
    this.Refresh();
    if (this.timer === null) this.timer = setInterval(() => this.Refresh(), kRefreshMs);
  }

  async Refresh() {
    try {
      const response = await fetch('/api/v1/visitor/status', { credentials: 'omit', cache: 'no-store' });
      if (!response.ok) throw new Error(String(response.status));
      this.status = await response.json();
      this.failed = false;
    } catch {
      this.failed = true;
    }
    this.Render();
  }

  get open() {
    return this.status?.open !== false;
  }

  // The queue was full when the visitor tried to start: a message left is the way in, as when
  // nobody is free, until the visitor has left one or started a chat, or for kQueueFullMs
  // unless they are writing one then.
  SetQueueFull(full) {
    this.queueFullSince = full ? Date.now() : null;
    this.Render();
  }

  get queueFull() {
    if (this.queueFullSince === null) return false;
    if (Date.now() - this.queueFullSince < kQueueFullMs) return true;
    const { leave } = this.elements;
    return leave.contains(document.activeElement) || (leave.querySelector('textarea')?.value ?? '').trim() !== '';
  }

  get neutralTitle() {
    return this.status?.neutral_title === true;
  }

  Render() {
    const { line, week, coming, comingList, start, closed, opens, label, leave, helplines, onChange } = this.elements;
    const status = this.status;
    for (const list of helplines) RenderHelplines(list, status?.helplines);
    onChange?.();
    week.hidden = !status?.weekly;
    if (status?.weekly) RenderWeek(week, status.weekly);
    const exceptions = status?.exceptions ?? [];
    coming.hidden = exceptions.length === 0;
    RenderComingDays(comingList, exceptions);
    if (this.failed || status === null) {
      SetText(line, this.failed ? t('status.unknown') : t('status.loading'));
      start.hidden = false;
      closed.hidden = true;
      leave.hidden = !this.queueFull;
      return;
    }
    if (status.open && this.queueFull) {
      SetText(line, t('status.queueFull'));
    } else if (status.open) {
      SetText(
        line,
        status.counsellors_available > 0
          ? t('status.openWithWait', { wait: ExpectedWaitText(status.expected_wait_ms, status.waiting + 1) })
          : t('status.openNobody'),
      );
    } else {
      SetText(line, t('status.closed'));
      SetText(opens, status.changes_at ? t('closed.opensAt', { when: ServiceDayAndTime(status.changes_at) }) : '');
      opens.hidden = !status.changes_at;
    }
    SetText(label, status.label ? t('closed.today', { label: status.label }) : '');
    label.hidden = !status.label;
    start.hidden = !status.open;
    closed.hidden = status.open;
    // Nobody to talk to now: a message is the way in.
    leave.hidden = status.open && status.counsellors_available > 0 && !this.queueFull;
  }
}
