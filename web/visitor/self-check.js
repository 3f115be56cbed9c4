// The self-check: about ten questions, one per screen, that run in this page only. The
// questions come from the server as data (content/self-check/); the answers and the score never
// leave the browser. At the end the visitor sees a plain result and may take it into the chat
// (it then waits in the message box, to send or change). A completed check is counted for the
// visit's campaign, without its answers.

import { CurrentLanguage, OnLanguageChange, t } from '../shared/i18n.js';
import { StartVisitorPage } from './page.js';
import { ResultFor, ScoreOf } from './self-check-score.js';
import { CampaignCode, KeepSelfCheckSummary, WatchLeaving } from './session.js';

const $ = (id) => document.getElementById(id);
const audience = new URLSearchParams(location.search).get('for') === 'other' ? 'other' : 'self';

let check = null;
let answers = [];
let index = 0;
// Loads asked for so far: an answer to an earlier one (in the language before a switch) that
// comes after a later one is dropped.
let loads = 0;

async function Load() {
  const load = ++loads;
  $('check-status').textContent = t('check.loading');
  let loaded;
  try {
    const query = new URLSearchParams({ for: audience, lang: CurrentLanguage() });
    const response = await fetch(`/api/v1/visitor/self-check?${query}`, { credentials: 'omit' });
    if (!response.ok) throw new Error(String(response.status));
    loaded = await response.json();
  } catch {
    if (load === loads) $('check-status').textContent = t('check.failed');
    return;
  }
  if (load !== loads) return;
  check = loaded;
  $('check-status').textContent = '';
  document.documentElement.dir = check.dir;
  $('check-heading').textContent = check.title;
  $('check-intro').textContent = check.intro;
  $('answer-yes').textContent = check.answers.yes;
  $('answer-sometimes').textContent = check.answers.sometimes;
  $('answer-no').textContent = check.answers.no;
  if ($('result').hidden) ShowQuestion(false);
  else ShowResult(false);
}

function ShowQuestion(focus = true) {
  const form = $('question-form');
  form.hidden = false;
  $('check').hidden = false;
  $('result').hidden = true;
  $('question-error').textContent = '';
  $('check-progress').textContent = t('check.progress', { n: index + 1, total: check.questions.length });
  $('question-text').textContent = check.questions[index].text;
  for (const input of form.elements.answer) input.checked = input.value === answers[index];
  $('question-back').hidden = index === 0;
  if (focus) $('question-text').focus();
}

function ShowResult(focus = true) {
  const result = ResultFor(check.results, ScoreOf(check.questions, answers));
  $('check').hidden = true;
  $('result').hidden = false;
  $('result-heading').textContent = result.heading;
  $('result-text').textContent = result.text;
  if (focus) $('result-heading').focus();
}

function Bind() {
  $('question-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = $('question-form').elements.answer.value;
    if (!chosen) {
      $('question-error').textContent = t('check.choose');
      return;
    }
    answers[index] = chosen;
    if (index + 1 < check.questions.length) {
      index += 1;
      ShowQuestion();
      return;
    }
    fetch('/api/v1/visitor/events', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ event: 'self_check', campaign: CampaignCode() }),
      credentials: 'omit',
    }).catch(() => {});
    ShowResult();
  });
  $('question-back').addEventListener('click', () => {
    index = Math.max(0, index - 1);
    ShowQuestion();
  });
  $('again').addEventListener('click', () => {
    answers = [];
    index = 0;
    ShowQuestion();
  });
  $('to-chat').addEventListener('click', () => {
    if ($('take-result').checked) {
      KeepSelfCheckSummary(t('check.summary', { heading: $('result-heading').textContent }));
    }
  });
}

async function Main() {
  WatchLeaving();
  await StartVisitorPage({
    asked: new URLSearchParams(location.search).get('lang'),
    onLanguageChange: Load,
  });
  // The chat opens in the visit's language, also where the tab may keep nothing.
  const toChat = () => {
    $('to-chat').href = `/?${new URLSearchParams({ ...(audience === 'other' ? { for: 'other' } : {}), lang: CurrentLanguage() })}`;
  };
  toChat();
  OnLanguageChange(toChat);
  Bind();
  Load();
}

Main();
