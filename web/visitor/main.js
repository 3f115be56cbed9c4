// The visitor site: information, the start form, the chat and its end, on one page. Which
// section shows follows from sessionStorage: with a resume token the chat resumes at once.
// A campaign link's code (/?c=code) is kept for the visit and taken out of the address bar.

import { CurrentLanguage, Say, t } from '../shared/i18n.js';
import { HasExited } from '../shared/quick-exit.js';
import { StartVisitorPage } from './page.js';
import { VisitorChat } from './chat.js';
import {
  CampaignCode,
  FirstVisitInTab,
  ForgetChat,
  KeepCampaignCode,
  LoadSession,
  SaveSession,
  TakeSelfCheckSummary,
  WatchLeaving,
} from './session.js';
import { ServiceStatus } from './service-status.js';
import { RequestIds } from './request-id.js';

const $ = (id) => document.getElementById(id);

const sections = {
  intro: $('intro'),
  worried: $('worried'),
  start: $('start'),
  left: $('left'),
  chat: $('chat'),
};
const headings = {
  intro: $('intro-heading'),
  worried: $('worried-heading'),
  start: $('start-heading'),
  left: $('left-heading'),
  chat: $('chat-heading'),
};

// Looked up once: after a quick exit the page is emptied while its timers still run.
const introNotice = $('intro-notice');

let shown = 'intro';

function Show(name, focus = true) {
  shown = name;
  if (name !== 'intro') SayOnIntro(null);
  for (const [key, section] of Object.entries(sections)) section.hidden = key !== name;
  ShowTitle();
  if (focus) headings[name].focus();
}

// A notice at the top of the home page, kept in the language chosen (null: none).
function SayOnIntro(key) {
  if (key) {
    introNotice.dataset.i18n = key;
    introNotice.textContent = t(key);
  } else {
    delete introNotice.dataset.i18n;
    introNotice.textContent = '';
  }
}

// Asked to start while the chat is closed (it closed meanwhile, or the visitor came by a way in
// that does not show it): the home page says when it opens, where else to turn, and offers to
// leave a message.
function ShowClosed() {
  Show('intro');
  SayOnIntro('form.closed');
}

// The start form, unless the chat is known to be closed.
function ShowStart() {
  if (serviceStatus.status !== null && !serviceStatus.open) return ShowClosed();
  return Show('start');
}

// In a chat, the organisation may want the tab to look like anything else: a neutral title and
// icon that a glance at the tab bar does not give away.
function ShowTitle() {
  // After a quick exit nothing may put the name back on the tab while the other site loads.
  if (HasExited()) return;
  // Until the server has said (it may answer late, or not at all), a chat's tab is neutral.
  const neutral = shown === 'chat' && (serviceStatus.status === null || serviceStatus.neutralTitle);
  document.title = neutral ? t('neutral.title') : t('visitor.title');
  document.querySelector('link[rel="icon"]').href = neutral
    ? '/assets/shared/neutral.svg'
    : '/assets/shared/favicon.svg';
}

// Counts the visit for its campaign (a counter per day, nothing about the visitor), once per
// visit: coming back from an information page is the same visit.
function CountVisit() {
  if (!FirstVisitInTab()) return;
  PostJson('/api/v1/visitor/events', { event: 'visit', campaign: CampaignCode() }).catch(() => {});
}

// ?c=code and ?lang=xx of the address: kept for the visit, then taken out of the address bar
// and of the tab's Back list. The browser's history of visited pages has already recorded the
// address as it was opened, code and all: campaign codes must mean nothing to whoever reads the
// phone (docs/security.md). Answers the language asked for, if any.
function TakeAddressParameters() {
  const params = new URLSearchParams(location.search);
  if (params.has('c')) KeepCampaignCode(params.get('c'));
  if (location.search) history.replaceState(null, '', location.pathname);
  return params.get('lang');
}

const chat = new VisitorChat({
  connection: $('connection'),
  waiting: $('waiting'),
  leftWaiting: $('left-waiting'),
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
  onEnded: () => {
    $('next-pick-up').hidden = !chat.WasLeft();
  },
});

const serviceStatus = new ServiceStatus({
  line: $('service-status'),
  week: $('weekly-hours'),
  coming: $('coming-days'),
  comingList: $('coming-days-list'),
  start: $('start-open'),
  closed: $('closed'),
  opens: $('closed-opens'),
  label: $('closed-label'),
  leave: $('leave'),
  helplines: [$('helplines'), $('ended-helplines')],
  onChange: () => {
    ShowTitle();
    // Open again: the notice that it was closed no longer holds.
    if (serviceStatus.status?.open) SayOnIntro(null);
  },
});

// A refusal the page can word: its message is the key of what to say (Say keeps it on screen in
// the language chosen, through a switch too).
class Refusal extends Error {}

class ChatClosed extends Refusal {}

// 503 with a minute to wait: the queue is full. (Other 503s, a database out of reach, are an
// error like any other: a message left would fail the same way.)
class QueueFull extends Refusal {}

// The two optional questions after a chat. The answers are stored apart from the conversation.
function BindFeedback() {
  const form = $('feedback');
  const status = $('feedback-status');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const helped = form.elements.helped.value;
    const wouldReturn = form.elements.would_return.value;
    if (!helped && !wouldReturn) {
      Say(status, 'feedback.none');
      return;
    }
    // The answer may come after a new chat began: it is not that chat's.
    const token = chat.ResumeToken();
    try {
      const response = await PostJson('/api/v1/visitor/feedback', {
        resume_token: token,
        helped,
        would_return: wouldReturn,
      });
      if (chat.ResumeToken() !== token) return;
      if (response.status !== 204 && response.status !== 409) throw new Error(String(response.status));
      chat.FeedbackGiven();
      // On a shared phone the next person must not find these answers ticked.
      form.reset();
      Say(status, 'feedback.thanks');
      // The form is gone with the button that had the focus.
      status.focus();
    } catch {
      if (chat.ResumeToken() === token) Say(status, 'feedback.failed');
    }
  });
}

async function StartConversation(nickname, subject, request) {
  const response = await PostJson('/api/v1/visitor/conversations', {
    nickname,
    subject,
    language: CurrentLanguage(),
    campaign: CampaignCode(),
    ...request,
  });
  if (response.status === 429) throw new Refusal('form.rateLimited');
  if (response.status === 503 && response.headers.has('Retry-After')) {
    throw new QueueFull('form.busy');
  }
  if (response.status === 409) throw new ChatClosed('form.closed');
  // The nickname is all the visitor typed: trying again would fail the same way.
  if (response.status === 400) throw new Refusal('form.nicknameRefused');
  if (response.status !== 201) throw new Refusal('form.error');
  const body = await response.json();
  return { conversation_id: body.conversation_id, resume_token: body.resume_token };
}

// A same-origin JSON POST of the visitor's; answers the response.
function PostJson(path, body) {
  return fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
  });
}

// Leaving a message while the chat is closed (or nobody is free): the pick-up code is shown
// once, on its own page, and the conversation opens from there.
function BindLeaveForm() {
  const form = $('leave-form');
  const error = $('leave-error');
  const submit = $('leave-submit');
  const requests = new RequestIds();
  let session = null;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    Say(error);
    const body = $('leave-message').value.trim();
    if (!body) {
      Say(error, 'leave.empty');
      return;
    }
    submit.disabled = true;
    try {
      const response = await PostJson('/api/v1/visitor/messages', {
        body,
        language: CurrentLanguage(),
        campaign: CampaignCode(),
        ...requests.For({ body }),
      });
      if (response.status === 429) throw new Refusal('form.rateLimited');
      if (response.status !== 201) throw new Refusal('leave.failed');
      const left = await response.json();
      requests.Answered();
      serviceStatus.SetQueueFull(false);
      session = { conversation_id: left.conversation_id, resume_token: left.resume_token };
      SaveSession({ ...session, pick_up_code: left.pick_up_code });
      form.reset();
      ShowPickUpCode(left.pick_up_code);
    } catch (failure) {
      Say(error, failure instanceof Refusal ? failure.message : 'leave.failed');
    } finally {
      submit.disabled = false;
    }
  });
  $('left-open').addEventListener('click', () => {
    $('left-code').textContent = '';
    const { conversation_id, resume_token } = session ?? LoadSession();
    SaveSession({ conversation_id, resume_token });
    Show('chat');
    chat.Begin({ conversation_id, resume_token });
  });
}

function ShowPickUpCode(code, focus = true) {
  $('left-code').textContent = code;
  Show('left', focus);
}

// Back with a pick-up code: the server hands out a resume token of this page's own.
// The form is on screen before the scripts run; its button stays disabled until then, so that
// Enter sends nothing by itself (a code in an address would stay in the browser's history).
function BindPickUpForm() {
  const form = $('pickup-form');
  const error = $('pickup-error');
  const submit = $('pickup-submit');
  submit.disabled = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    Say(error);
    submit.disabled = true;
    try {
      const response = await PostJson('/api/v1/visitor/pick-up', { code: $('pickup-code').value });
      if (response.status === 429) throw new Refusal('pickup.tooMany');
      // Only a code the server does not know is "unknown": a server that cannot look now is a
      // reason to try again, not to give up on a message left.
      if ([400, 401, 404].includes(response.status)) throw new Refusal('pickup.unknown');
      if (response.status !== 200) throw new Refusal('pickup.failed');
      const picked = await response.json();
      const session = { conversation_id: picked.conversation_id, resume_token: picked.resume_token };
      SaveSession(session);
      form.reset();
      Show('chat');
      chat.Begin(session);
    } catch (failure) {
      Say(error, failure instanceof Refusal ? failure.message : 'pickup.failed');
    } finally {
      submit.disabled = false;
    }
  });
}

function BindStartForm() {
  const form = $('start-form');
  const error = $('start-error');
  const submit = $('start-submit');
  const leaveInstead = $('start-leave');
  const requests = new RequestIds();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    Say(error);
    leaveInstead.hidden = true;
    submit.disabled = true;
    const nickname = $('nickname').value.trim();
    const subject = form.elements.subject.value === 'other' ? 'other' : 'self';
    try {
      const request = requests.For({ nickname, subject });
      const session = await StartConversation(nickname, subject, request);
      requests.Answered();
      serviceStatus.SetQueueFull(false);
      SaveSession(session);
      form.reset();
      Show('chat');
      chat.Begin(session);
      $('message').value = TakeSelfCheckSummary();
      $('message').focus();
    } catch (failure) {
      if (failure instanceof ChatClosed) {
        await serviceStatus.Refresh();
        ShowClosed();
        return;
      }
      // A message left needs no place in the queue.
      if (failure instanceof QueueFull) leaveInstead.hidden = false;
      Say(error, failure instanceof Refusal ? failure.message : 'form.error');
    } finally {
      submit.disabled = false;
    }
  });
  leaveInstead.addEventListener('click', () => {
    serviceStatus.SetQueueFull(true);
    Show('intro', false);
    $('leave-message').focus();
  });
  $('start-back').addEventListener('click', () => Show('intro'));
}

async function Main() {
  WatchLeaving();
  const worried = new URLSearchParams(location.search).get('for') === 'other';
  await StartVisitorPage({ asked: TakeAddressParameters(), onLanguageChange: ShowTitle });
  BindStartForm();
  BindLeaveForm();
  BindPickUpForm();
  BindFeedback();
  $('start-open').addEventListener('click', () => ShowStart());
  $('worried-open').addEventListener('click', () => Show('worried'));
  $('worried-back').addEventListener('click', () => Show('intro'));
  $('worried-start').addEventListener('click', () => {
    $('start-form').elements.subject.value = 'other';
    ShowStart();
  });
  $('new-chat').addEventListener('click', () => {
    Say($('feedback-status'));
    $('feedback').reset();
    chat.Close();
    ForgetChat();
    ShowStart();
  });

  const session = LoadSession();
  if (session?.pick_up_code) {
    ShowPickUpCode(session.pick_up_code, false);
  } else if (session) {
    Show('chat', false);
    chat.Begin(session);
  } else {
    Show(worried ? 'worried' : 'intro', false);
    CountVisit();
  }
  serviceStatus.Watch();
}

Main();
