// Small formatting helpers shared by the console screens.

import { CurrentLanguage, t } from '../shared/i18n.js';

// "3 min 07 s" style durations for waiting times.
export function Duration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return t('time.hours', { h, m });
  if (m > 0) return t('time.minutes', { m, s: String(s).padStart(2, '0') });
  return t('time.seconds', { s });
}

// "02-12-2026 14:05": a moment as the console's language writes it briefly.
export function ShortDateTime(ms) {
  return new Date(ms).toLocaleString(t('audit.locale'), { dateStyle: 'short', timeStyle: 'short' });
}

export function VisitorName(conversation) {
  return conversation.nickname || t('nickname.none');
}

export function Subject(subject) {
  return subject === 'other' ? t('subject.other') : t('subject.self');
}

// "pagina in het Arabisch": the language of the visitor's page, when it is known.
export function VisitorLanguage(language) {
  if (!language) return '';
  const names = new Intl.DisplayNames([CurrentLanguage()], { type: 'language' });
  return t('visitor.language', { language: names.of(language) ?? language });
}
