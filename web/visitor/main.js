// The visitor site: information, the start form, the chat and its end, on one page. Which
// section shows follows from sessionStorage: with a resume token the chat resumes at once.

import { AddStrings, Translate, BindLanguageSwitch, OnLanguageChange, t } from '../shared/i18n.js';
import { InstallQuickExit } from '../shared/quick-exit.js';
import { VisitorChat } from './chat.js';
import { LoadSession, SaveSession, ForgetChat } from './session.js';
import { ServiceStatus } from './service-status.js';
import { kVisitorStrings } from './strings.js';

AddStrings(kVisitorStrings);

const $ = (id) => document.getElementById(id);

const sections = { intro: $('intro'), start: $('start'), chat: $('chat') };
const headings = { intro: $('intro-heading'), start: $('start-heading'), chat: $('chat-heading') };

function Show(name, focus = true) {
  for (const [key, section] of Object.entries(sections)) section.hidden = key !== name;
  if (focus) headings[name].focus();
}

const chat = new VisitorChat({
  connection: $('connection'),
  waiting: $('waiting'),
  queuePosition: $('queue-position'),
  log: $('log'),
  messages: $('messages'),
  composer: $('composer'),
  message: $('message'),
  composerError: $('composer-error'),
  typing: $('typing'),
  endConfirm: $('end-confirm'),
  endQuestion: $('end-question'),
  endYes: $('end-yes'),
  endNo: $('end-no'),
  endChat: $('end-chat'),
  forgetChat: $('forget-chat'),
  forgetStatus: $('forget-status'),
  ended: $('ended'),
  endedHeading: $('ended-heading'),
  endedText: $('ended-text'),
  feedback: $('feedback'),
});

const serviceStatus = new ServiceStatus({
  line: $('service-status'),
  week: $('weekly-hours'),
  start: $('start-open'),
  closed: $('closed'),
  opens: $('closed-opens'),
  label: $('closed-label'),
});

class ChatClosed extends Error {}

// The two optional questions after a chat. The answers are stored apart from the conversation.
function BindFeedback() {
  const form = $('feedback');
  const status = $('feedback-status');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const helped = form.elements.helped.value;
    const wouldReturn = form.elements.would_return.value;
    if (!helped && !wouldReturn) {
      status.textContent = t('feedback.none');
      return;
    }
    try {
      const response = await fetch('/api/v1/visitor/feedback', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ resume_token: LoadSession()?.resume_token ?? '', helped, would_return: wouldReturn }),
        credentials: 'omit',
      });
      if (response.status !== 204 && response.status !== 409) throw new Error(String(response.status));
      chat.FeedbackGiven();
      status.textContent = t('feedback.thanks');
    } catch {
      status.textContent = t('feedback.failed');
    }
  });
}

async function StartConversation(nickname, subject) {
  const response = await fetch('/api/v1/visitor/conversations', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ nickname, subject }),
    credentials: 'omit',
  });
  if (response.status === 429) throw new Error(t('form.rateLimited'));
  if (response.status === 503) throw new Error(t('form.busy'));
  if (response.status === 409) throw new ChatClosed(t('form.closed'));
  if (response.status !== 201) throw new Error(t('form.error'));
  const body = await response.json();
  return { conversation_id: body.conversation_id, resume_token: body.resume_token };
}

function BindStartForm() {
  const form = $('start-form');
  const error = $('start-error');
  const submit = $('start-submit');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    const nickname = $('nickname').value.trim();
    const subject = form.elements.subject.value === 'other' ? 'other' : 'self';
    try {
      const session = await StartConversation(nickname, subject);
      SaveSession(session);
      form.reset();
      Show('chat');
      chat.Begin(session);
      $('message').focus();
    } catch (failure) {
      if (failure instanceof ChatClosed) {
        await serviceStatus.Refresh();
        Show('intro');
        return;
      }
      error.textContent = failure instanceof TypeError ? t('form.error') : failure.message;
    } finally {
      submit.disabled = false;
    }
  });
  $('start-back').addEventListener('click', () => Show('intro'));
}

function Main() {
  Translate();
  OnLanguageChange(() => Translate());
  InstallQuickExit($('quick-exit'), $('quick-exit-hint'));
  BindLanguageSwitch($('language'));
  BindStartForm();
  BindFeedback();
  $('start-open').addEventListener('click', () => Show('start'));
  $('new-chat').addEventListener('click', () => {
    $('feedback-status').textContent = '';
    chat.Close();
    ForgetChat();
    Show('start');
  });

  const session = LoadSession();
  if (session) {
    Show('chat', false);
    chat.Begin(session);
  } else {
    Show('intro', false);
  }
  serviceStatus.Watch();
}

Main();
