// The console shell: checks for a session, shows sign-in or the desk (queue, the list of my
// conversations, the selected conversation), the connection state, language and sign-out.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { t, OnLanguageChange, SetLanguage } from '../shared/i18n.js';
import { Me, SignOut } from './api.js';
import { ForgetReferralDrafts } from './handover.js';
import { StaffDesk } from './desk.js';
import { SignInScreen } from './sign-in.js';
import { QueueView, useTick } from './queue.js';
import { ChatPane } from './chat.js';
import { Duration, Subject, VisitorName } from './format.js';
import { SessionsPanel } from './sessions.js';
import { AuditPanel } from './audit.js';
import { AccountsPanel } from './accounts.js';
import { TeamPanel } from './team.js';
import { HistoryPanel } from './history.js';
import { CannedLibraryPanel } from './canned.js';
import { OpeningHoursPanel } from './hours.js';
import { MessagesLeftView } from './messages-left.js';
import { OffersForMe } from './transfer.js';
import { ReferralsPanel, useReferralChanges } from './referrals.js';
import { OrganisationsPanel } from './organisations.js';
import { ContentPanel } from './content.js';
import { LeaveThrough } from './discard-question.js';
import { CampaignsPanel } from './campaigns.js';
import { OutreachPanel } from './outreach.js';
import { InsightsPanel } from './insights.js';
import { ReviewPanel } from './review.js';
import { Alerts, TitleFor } from './alerts.js';

// Roles that may read the audit trail and see the team (the server decides; this only shows the
// buttons), and roles that take conversations.
const kAuditReaders = new Set(['supervisor', 'admin']);
const kSupervisors = new Set(['supervisor', 'admin']);
const kCounselling = new Set(['counsellor', 'supervisor']);
// Roles with review_outreach: the scans of channel exports, their review and the lexicon.
const kOutreachReviewers = new Set(['analyst', 'admin']);
// Roles with read_insights: the dashboard of counts (everyone but counsellors).
const kInsightReaders = new Set(['supervisor', 'analyst', 'admin']);
// How often a console without a connection asks whether its session still holds.
const kSessionCheckOfflineMs = 15000;
// Roles with review_conversations: samples of ended conversations scored on the rubric.
const kReviewers = new Set(['supervisor']);

// Re-renders the component whenever `subscribe`'s source changes; `subscribe` must be stable.
function useRerender(subscribe) {
  const [, setVersion] = useState(0);
  useEffect(() => subscribe(() => setVersion((v) => v + 1)), [subscribe]);
}

function LanguageSwitch() {
  return html`
    <button type="button" class="link-button" lang=${t('lang.switchLang')}
            aria-label=${t('lang.switchLabel')} onClick=${() => SetLanguage(t('lang.switchLang'))}>
      ${t('lang.switch')}
    </button>
  `;
}

// How long the visitor's last message has waited for an answer, or null when it has one.
function Unanswered(chat, now) {
  const entries = chat.log.Entries().filter((entry) => entry.kind === 'text' && !entry.pending && !entry.failed);
  const last = entries[entries.length - 1];
  if (chat.ended || !last || last.sender !== 'visitor') return null;
  return Duration(now - last.created_at);
}

// Available, busy or away: the counsellor's own say over whether new conversations come.
function AvailabilityChoice({ desk }) {
  if (!desk.availability) return null;
  return html`
    <span class="availability" data-state=${desk.availability}>
      <label for="availability">${t('availability.label')}</label>
      <select id="availability" value=${desk.availability}
              onChange=${(event) => desk.SetAvailability(event.currentTarget.value)}>
        ${['available', 'busy', 'away'].map(
          (value) => html`<option value=${value}>${t(`availability.${value}`)}</option>`,
        )}
      </select>
    </span>
  `;
}

function ChatList({ desk, selected, onSelect }) {
  useTick(1000);
  const now = Date.now();
  const chats = [...desk.chats.values()];
  return html`
    <nav class="panel" aria-labelledby="chats-heading">
      <h2 id="chats-heading">${t('chats.heading')}</h2>
      ${chats.length === 0
        ? html`<p>${t('chats.none')}</p>`
        : html`
            <ul class="chat-list">
              ${chats.map((chat) => {
                const id = chat.conversation.id;
                const unanswered = Unanswered(chat, now);
                return html`
                  <li key=${id}>
                    <button type="button" class=${id === selected ? 'current' : ''}
                            aria-current=${id === selected ? 'true' : undefined}
                            onClick=${() => onSelect(id)}>
                      ${VisitorName(chat.conversation)}
                      <span class="meta"> ${Subject(chat.conversation.subject)}</span>
                      ${chat.ended ? html`<span class="meta"> · ${t(chat.released ? 'chats.released' : 'chats.ended')}</span>` : null}
                      ${chat.unread > 0 && id !== selected ? html` <span class="badge">${t('chats.unread', { n: chat.unread })}</span>` : null}
                      ${unanswered ? html`<span class="meta"> · ${t('chats.unanswered', { time: unanswered })}</span>` : null}
                    </button>
                  </li>
                `;
              })}
            </ul>
          `}
    </nav>
  `;
}

// Sound on or off, and the one-time question for desktop notifications.
function AlertSettings({ alerts }) {
  const [, setVersion] = useState(0);
  const rerender = () => setVersion((v) => v + 1);
  return html`
    <span class="alert-settings">
      <label>
        <input type="checkbox" checked=${alerts.soundOn}
               onChange=${(event) => { alerts.SetSound(event.currentTarget.checked); rerender(); }} />
        ${t('alerts.sound')}
      </label>
      ${alerts.permission === 'default'
        ? html`<button type="button" onClick=${() => alerts.AskPermission().then(rerender)}>
                 ${t('alerts.enable')}
               </button>`
        : null}
    </span>
  `;
}

function Desk({ me, onSignedOut, onRoleChanged }) {
  const [desk] = useState(() => {
    const started = new StaffDesk();
    if (me.roleChangedFrom) started.notice = t('console.roleChanged', { role: t(`role.${me.role}`) });
    return started;
  });
  const [alerts] = useState(() => new Alerts());
  const [onDeskChange] = useState(() => (listener) => desk.OnChange(listener));
  const [selected, setSelected] = useState(null);
  const [showSessions, setShowSessions] = useState(false);
  const [showAudit, setShowAudit] = useState(false);
  const [showAccounts, setShowAccounts] = useState(false);
  const [showHours, setShowHours] = useState(false);
  // The guarded closes of the panels that hold unsaved edits (DiscardQuestion).
  const hoursLeave = useRef(null);
  const contentLeave = useRef(null);
  const [showReferrals, setShowReferrals] = useState(false);
  const [showOrganisations, setShowOrganisations] = useState(false);
  const [showContent, setShowContent] = useState(false);
  const [showCampaigns, setShowCampaigns] = useState(false);
  const [showOutreach, setShowOutreach] = useState(false);
  const [showInsights, setShowInsights] = useState(false);
  const [showReview, setShowReview] = useState(false);
  const ownReferralChange = useReferralChanges(kCounselling.has(me.role), (n) => {
    desk.notice = t('referrals.changed', { n });
    desk.Changed();
  });
  const [showTeam, setShowTeam] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const [showCanned, setShowCanned] = useState(false);
  useRerender(onDeskChange);

  useEffect(() => {
    desk.Start();
    return () => desk.Stop();
  }, [desk]);

  useEffect(() => {
    // Signing in was a gesture on this page already; later ones count too.
    alerts.Unlock();
    const unlock = () => alerts.Unlock();
    document.addEventListener('pointerdown', unlock);
    document.addEventListener('keydown', unlock);
    const stop = desk.OnAlert((alert) => alerts.Raise(alert));
    return () => {
      stop();
      document.removeEventListener('pointerdown', unlock);
      document.removeEventListener('keydown', unlock);
    };
  }, [desk, alerts]);

  // A socket that keeps failing may mean the session expired; then sign in again. Asked again
  // while it stays offline, and as soon as the network is back: the first ask may have found no
  // network, and the session may end elsewhere meanwhile.
  useEffect(() => {
    if (desk.connection !== 'offline') return undefined;
    let done = false;
    const check = () =>
      Me({ background: true })
        .then((current) => {
          if (current === null && !done) {
            done = true;
            desk.Stop();
            onSignedOut();
          }
        })
        .catch(() => {});
    check();
    const timer = setInterval(check, kSessionCheckOfflineMs);
    window.addEventListener('online', check);
    return () => {
      done = true;
      clearInterval(timer);
      window.removeEventListener('online', check);
    };
  }, [desk.connection]);

  // A reload, Back or closing the tab would lose what is typed and not yet acknowledged (the
  // outbox is kept in memory only): the browser asks first.
  useEffect(() => {
    const warn = (event) => {
      if (!desk.HasUnsent()) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [desk]);

  // An administrator changed this member's role: the server closed the socket, and the welcome
  // of the reconnect names the new role. What this desk shows and offers was the old role's.
  useEffect(() => {
    if (desk.me && desk.me.role !== me.role) onRoleChanged(desk.me);
  });

  // The tab's title counts who waits and what is unread, so a counsellor in another tab sees it.
  useEffect(() => {
    document.title = TitleFor(desk.queueTotal, desk.UnreadTotal());
  });

  // A freshly accepted conversation opens at once.
  useEffect(() => {
    if (desk.lastAssigned) {
      setSelected(desk.lastAssigned);
      desk.lastAssigned = null;
    }
  });

  // The sign-in screen is shown only once the session has ended: shown after a sign-out that
  // failed, it would let the next person at this computer reload into the member's desk.
  const signOut = async () => {
    desk.Stop();
    try {
      await SignOut();
    } catch {
      desk.notice = t('console.signOutFailed');
      desk.Start();
      desk.Changed();
      return;
    }
    onSignedOut();
  };

  const current = desk.chats.get(selected) ?? [...desk.chats.values()][0] ?? null;
  // Watching and counselling are different panes (keyed apart): a whisper half typed while
  // watching is not left in the box that writes to the visitor after taking the chat over.
  return html`
    <header class="topbar">
      <span class="brand">${t('console.heading')}</span>
      <span class="whoami">${t('console.signedInAs', { name: me.display_name || me.username })}</span>
      <span class="conn" role="status" aria-live="polite" data-state=${desk.connection}>
        ${t(`conn.${desk.connection}`)}
      </span>
      <${LanguageSwitch} />
      <${AlertSettings} alerts=${alerts} />
      ${kCounselling.has(me.role) ? html`<${AvailabilityChoice} desk=${desk} />` : null}
      ${me.role === 'admin'
        ? html`<button type="button" aria-expanded=${showAccounts ? 'true' : 'false'}
                       onClick=${() => setShowAccounts(!showAccounts)}>${t('console.accounts')}</button>`
        : null}
      ${me.role === 'admin'
        ? html`<button type="button" aria-expanded=${showOrganisations ? 'true' : 'false'}
                       onClick=${() => setShowOrganisations(!showOrganisations)}>${t('console.organisations')}</button>`
        : null}
      ${kCounselling.has(me.role)
        ? html`<button type="button" aria-expanded=${showReferrals ? 'true' : 'false'}
                       onClick=${() => setShowReferrals(!showReferrals)}>${t('console.referrals')}</button>`
        : null}
      ${me.role === 'admin'
        ? html`<button type="button" aria-expanded=${showHours ? 'true' : 'false'}
                       onClick=${() => (showHours ? LeaveThrough(hoursLeave, () => setShowHours(false)) : setShowHours(true))}>
                 ${t('console.hours')}
               </button>`
        : null}
      ${me.role === 'admin'
        ? html`<button type="button" aria-expanded=${showContent ? 'true' : 'false'}
                       onClick=${() => (showContent ? LeaveThrough(contentLeave, () => setShowContent(false)) : setShowContent(true))}>
                 ${t('console.content')}
               </button>`
        : null}
      ${me.role === 'admin' || me.role === 'analyst'
        ? html`<button type="button" aria-expanded=${showCampaigns ? 'true' : 'false'}
                       onClick=${() => setShowCampaigns(!showCampaigns)}>${t('console.campaigns')}</button>`
        : null}
      ${kOutreachReviewers.has(me.role)
        ? html`<button type="button" aria-expanded=${showOutreach ? 'true' : 'false'}
                       onClick=${() => setShowOutreach(!showOutreach)}>${t('console.outreach')}</button>`
        : null}
      ${kInsightReaders.has(me.role)
        ? html`<button type="button" aria-expanded=${showInsights ? 'true' : 'false'}
                       onClick=${() => setShowInsights(!showInsights)}>${t('console.insights')}</button>`
        : null}
      ${kReviewers.has(me.role)
        ? html`<button type="button" aria-expanded=${showReview ? 'true' : 'false'}
                       onClick=${() => setShowReview(!showReview)}>${t('console.review')}</button>`
        : null}
      ${kCounselling.has(me.role)
        ? html`<button type="button" aria-expanded=${showHistory ? 'true' : 'false'}
                       onClick=${() => setShowHistory(!showHistory)}>${t('console.history')}</button>`
        : null}
      ${kSupervisors.has(me.role)
        ? html`<button type="button" aria-expanded=${showCanned ? 'true' : 'false'}
                       onClick=${() => setShowCanned(!showCanned)}>${t('console.canned')}</button>`
        : null}
      ${kSupervisors.has(me.role)
        ? html`<button type="button" aria-expanded=${showTeam ? 'true' : 'false'}
                       onClick=${() => setShowTeam(!showTeam)}>${t('console.team')}</button>`
        : null}
      ${kAuditReaders.has(me.role)
        ? html`<button type="button" aria-expanded=${showAudit ? 'true' : 'false'}
                       onClick=${() => setShowAudit(!showAudit)}>${t('console.audit')}</button>`
        : null}
      <button type="button" aria-expanded=${showSessions ? 'true' : 'false'}
              onClick=${() => setShowSessions(!showSessions)}>${t('console.sessions')}</button>
      <button type="button" onClick=${signOut}>${t('console.signOut')}</button>
    </header>
    <main class="desk">
      <h1 class="visually-hidden">${t('console.heading')}</h1>
      <p class="error" role="alert">${desk.notice}</p>
      ${showSessions ? html`<${SessionsPanel} onClose=${() => setShowSessions(false)} />` : null}
      ${showAudit ? html`<${AuditPanel} onClose=${() => setShowAudit(false)} />` : null}
      ${showCanned ? html`<${CannedLibraryPanel} onClose=${() => setShowCanned(false)} />` : null}
      ${showHistory ? html`<${HistoryPanel} onClose=${() => setShowHistory(false)} />` : null}
      ${showTeam
        ? html`<${TeamPanel} onClose=${() => setShowTeam(false)}
                             onWatch=${me.role === 'supervisor' ? (id) => desk.Monitor(id) : undefined}
                             onDesk=${(id) => desk.chats.has(id) && !desk.chats.get(id).ended} />`
        : null}
      ${showAccounts
        ? html`<${AccountsPanel} me=${me} onClose=${() => setShowAccounts(false)} />`
        : null}
      ${showHours ? html`<${OpeningHoursPanel} leave=${hoursLeave} onClose=${() => setShowHours(false)} />` : null}
      ${showContent ? html`<${ContentPanel} leave=${contentLeave} onClose=${() => setShowContent(false)} />` : null}
      ${showCampaigns ? html`<${CampaignsPanel} onClose=${() => setShowCampaigns(false)} />` : null}
      ${showOutreach ? html`<${OutreachPanel} onClose=${() => setShowOutreach(false)} />` : null}
      ${showInsights ? html`<${InsightsPanel} onClose=${() => setShowInsights(false)} />` : null}
      ${showReview ? html`<${ReviewPanel} onClose=${() => setShowReview(false)} />` : null}
      ${showOrganisations ? html`<${OrganisationsPanel} onClose=${() => setShowOrganisations(false)} />` : null}
      ${showReferrals
        ? html`<${ReferralsPanel} onClose=${() => setShowReferrals(false)} onOwnChange=${ownReferralChange}
                                 team=${me.role === 'supervisor'} />`
        : null}
      <div class="columns">
        <div class="side">
          ${kCounselling.has(me.role) ? html`<${OffersForMe} desk=${desk} />` : null}
          <${QueueView} desk=${desk} counsels=${kCounselling.has(me.role)} />
          ${kCounselling.has(me.role) ? html`<${MessagesLeftView} desk=${desk} />` : null}
          <${ChatList} desk=${desk} selected=${current?.conversation.id} onSelect=${setSelected} />
        </div>
        ${current ? html`<${ChatPane} key=${`${current.conversation.id}:${current.monitoring}`} desk=${desk} chat=${current} />` : null}
      </div>
    </main>
  `;
}

export function App() {
  const [me, setMe] = useState(undefined);
  useRerender(OnLanguageChange);

  useEffect(() => {
    if (!me) document.title = t('console.title');
  });

  useEffect(() => {
    Me()
      .then(setMe)
      .catch(() => setMe(null));
  }, []);

  if (me === undefined) return null;
  if (me === null) {
    return html`
      <header class="topbar">
        <span class="brand">${t('console.heading')}</span>
        <${LanguageSwitch} />
      </header>
      <${SignInScreen} onSignedIn=${setMe} />
    `;
  }
  const signedOut = () => {
    // What this member typed and did not send is not for whoever signs in next.
    ForgetReferralDrafts();
    setMe(null);
  };
  // A new role starts a new desk (keyed by it), with nothing of the old one's panes.
  const roleChanged = (now) =>
    setMe({ ...me, role: now.role, display_name: now.display_name, roleChangedFrom: me.role });
  return html`<${Desk} key=${me.role} me=${me} onSignedOut=${signedOut} onRoleChanged=${roleChanged} />`;
}
