// How the outreach screens write sizes, scores and weights in the console's language, and the
// refusals the server explains.

import { t } from '../shared/i18n.js';

const kUnits = [
  [1e9, 'gigabyte'],
  [1e6, 'megabyte'],
  [1e3, 'kilobyte'],
];

// The verdicts an analyst gives, with their shortcut keys and labels.
export const kVerdicts = [
  { verdict: 'recruitment', key: 'r', label: 'outreach.v.recruitment' },
  { verdict: 'not_recruitment', key: 'n', label: 'outreach.v.not_recruitment' },
  { verdict: 'unsure', key: 'u', label: 'outreach.v.unsure' },
];

export function VerdictLabel(verdict) {
  const known = kVerdicts.find((v) => v.verdict === verdict);
  return t(known ? known.label : 'outreach.v.none');
}

// "1,5 MB".
export function Bytes(n) {
  const [size, unit] = kUnits.find(([base]) => n >= base) ?? [1, 'byte'];
  return new Intl.NumberFormat(t('audit.locale'), { style: 'unit', unit, maximumFractionDigits: 1 }).format(n / size);
}

// "6,5": a score with one decimal.
export function Score(value) {
  return new Intl.NumberFormat(t('audit.locale'), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

// "+0,75", "−2": what a match or word added, with its sign.
export function Weight(value) {
  return new Intl.NumberFormat(t('audit.locale'), { maximumFractionDigits: 2, signDisplay: 'exceptZero' }).format(value);
}

// "83 %".
export function Percent(fraction) {
  return new Intl.NumberFormat(t('audit.locale'), { style: 'percent' }).format(fraction);
}

// The server's sentence after ours (`prefix`) when it refused something, or could not do it for
// now (503 says when to try again), else `generic`.
export function Refusal(failure, prefix, generic) {
  const told = (failure?.status >= 400 && failure.status < 500) || failure?.status === 503;
  if (told && failure.message) return `${t(prefix)} ${failure.message}`;
  return t(generic);
}
