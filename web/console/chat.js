// One conversation pane: its messages (live log), an input, send, and end. Ended conversations
// stay readable until the counsellor closes them. Internal notes and a supervisor's whispers
// are shown apart, for staff only; a counsellor writes a note by ticking "internal note". A
// supervisor who monitors reads along and whispers to the counsellor; they cannot write to the
// visitor or end the conversation.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { ClockTime, t } from '../shared/i18n.js';
import { Subject, VisitorLanguage, VisitorName } from './format.js';
import { CannedPicker } from './canned.js';
import { TransferControl } from './transfer.js';
import { RegistrationForm } from './registration.js';
import { ForgetReferralDrafts, HandoverControl } from './handover.js';
import { ConsentOrganisation } from '../shared/consent.js';

const kMaxBodyChars = 4000;

function EventText(entry, chat) {
  if (entry.kind === 'accepted') return t('chat.acceptedBy', { name: entry.author || t('msg.counsellor') });
  if (entry.kind === 'released') return t('chat.releasedBy', { name: entry.author || t('msg.counsellor') });
  if (entry.kind === 'transferred') return t('chat.transferredTo', { name: entry.author || t('msg.counsellor') });
  if (entry.kind === 'consent_request') {
    return t('handover.asked', { name: entry.author || t('msg.counsellor'), organisation: ConsentOrganisation(entry.body) });
  }
  if (entry.kind === 'consent_answer') {
    return t(entry.body.startsWith('yes:') ? 'handover.visitorSaidYes' : 'handover.visitorSaidNo', {
      name: VisitorName(chat.conversation),
    });
  }
  if (entry.sender === 'visitor') return t('chat.visitorEnded');
  if (entry.sender === 'counsellor') return t('chat.youEnded');
  return chat.ended ? t('chat.endedBySystem') : '';
}

// Something someone wrote: who, when, the text, and whether it is still on its way or refused.
function Written({ entry, who, className }) {
  return html`
    <li class=${`msg${className}${entry.failed ? ' failed' : ''}`}>
      <span class="who">
        ${who}${entry.created_at
          ? html` <time datetime=${new Date(entry.created_at).toISOString()}>${ClockTime(entry.created_at)}</time>`
          : null}
      </span>
      <p class="body" dir="auto">${entry.body}</p>
      ${entry.pending ? html`<span class="state">${t('msg.pending')}</span>` : null}
      ${entry.failed ? html`<span class="state">${t('msg.failed')}</span>` : null}
    </li>
  `;
}

// A note or a whisper: plainly staff-only. One's own comes back from its ack, without an author.
function StaffOnlyWho(entry) {
  const note = entry.kind === 'note';
  if (!entry.author) return t(note ? 'chat.yourNote' : 'chat.yourWhisper');
  return t(note ? 'chat.noteBy' : 'chat.whisperBy', { name: entry.author });
}

function Entry({ entry, chat }) {
  if (entry.kind === 'referral') {
    return html`<${Written} entry=${entry} who=${t('handover.details', { name: entry.author || t('msg.you') })} className=" staff-only note" />`;
  }
  if (entry.kind === 'note' || entry.kind === 'whisper') {
    return html`<${Written} entry=${entry} who=${StaffOnlyWho(entry)} className=${` staff-only ${entry.kind}`} />`;
  }
  if (entry.kind !== 'text') return html`<li class="event">${EventText(entry, chat)}</li>`;
  const mine = entry.sender === 'counsellor';
  const who = mine ? entry.author || t('msg.you') : VisitorName(chat.conversation);
  return html`<${Written} entry=${entry} who=${who} className=${mine ? ' mine' : ''} />`;
}

function EntryKey(entry) {
  return entry.client_id ? `${entry.sender}:${entry.client_id}` : `seq:${entry.seq}`;
}

export function ChatPane({ desk, chat }) {
  const id = chat.conversation.id;
  const name = VisitorName(chat.conversation);
  // What is half typed stays with the chat when the counsellor looks at another one. A whisper
  // half typed while watching is kept apart: it must not turn up in the box that writes to the
  // visitor once the chat is taken over.
  const draftKey = chat.monitoring ? 'watching' : 'counselling';
  const [draft, setDraftShown] = useState(() => chat.drafts?.[draftKey] ?? '');
  const setDraft = (value) => {
    chat.drafts = { ...chat.drafts, [draftKey]: value };
    setDraftShown(value);
  };
  const [error, setError] = useState('');
  const [confirmingEnd, setConfirmingEnd] = useState(false);
  // Whether the box writes a note stays with the draft: a note half typed must not come back
  // as a message to the visitor.
  const [asNote, setAsNoteShown] = useState(() => chat.asNote ?? false);
  const setAsNote = (value) => {
    chat.asNote = value;
    setAsNoteShown(value);
  };
  const [picking, setPicking] = useState(false);
  const kind = chat.monitoring ? 'whisper' : asNote ? 'note' : 'text';
  const scroller = useRef(null);
  const composer = useRef(null);

  // A conversation just accepted: the message box has the focus (also after a keyboard accept).
  useEffect(() => {
    if (chat.justAssigned && composer.current) {
      chat.justAssigned = false;
      composer.current.focus();
    }
  }, [id]);
  const entries = chat.log.Entries();

  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    desk.MarkRead(id);
  }, [entries.length, id]);

  const send = () => {
    const body = draft.trim();
    if (!body) return;
    if ([...body].length > kMaxBodyChars) {
      setError(t('chat.tooLong'));
      return;
    }
    setError('');
    setDraft('');
    desk.SendText(id, body, kind);
  };
  const onSubmit = (event) => {
    event.preventDefault();
    send();
  };
  // A canned response goes into the message box, after what is there, to edit before sending.
  const pick = (text) => {
    setDraft(draft.trim() ? `${draft.trimEnd()} ${text}` : text);
    setPicking(false);
    composer.current?.focus();
  };
  const onKeyDown = (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
      event.preventDefault();
      setPicking(true);
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return html`
    <section class="panel chat-pane" aria-labelledby=${`pane-${id}`}>
      <h2 id=${`pane-${id}`}>
        ${name}
        <span class="meta">
          (${[Subject(chat.conversation.subject), VisitorLanguage(chat.conversation.language)]
            .filter(Boolean)
            .join(', ')})
        </span>
      </h2>
      ${chat.presence && !chat.ended
        ? html`<p class="meta presence" role="status">
                 ${chat.presence.connected
                   ? t('chat.visitorHere', { name })
                   : t('chat.visitorLeft', { name, time: ClockTime(chat.presence.at) })}
               </p>`
        : null}
      ${chat.monitoring && !chat.ended
        ? html`<p class="meta watching" role="status">${t('chat.youWatch')}</p>`
        : chat.watchers.length > 0 && !chat.ended
          ? html`<p class="meta watching" role="status">${t('chat.watchedBy', { names: chat.watchers.join(', ') })}</p>`
          : null}
      <div class="log" role="log" tabindex="0" ref=${scroller}
           aria-label=${t('chat.messagesWith', { name })}>
        <ol class="messages">
          ${entries.map((entry) => html`<${Entry} key=${EntryKey(entry)} entry=${entry} chat=${chat} />`)}
        </ol>
      </div>
      <p class="typing meta" aria-live="polite">
        ${chat.visitorTyping && !chat.ended ? t('chat.visitorTyping', { name }) : ''}
      </p>
      ${chat.ended
        ? html`
            <p role="status">
              ${chat.transferredTo
                ? t(chat.monitoring ? 'chat.watchEndedWith' : 'chat.nowWith', { name: chat.transferredTo })
                : chat.released
                  ? t(chat.monitoring ? 'chat.watchEndedInQueue' : 'chat.backInQueue')
                  : t('ended.heading')}
            </p>
            ${chat.released || chat.monitoring
              ? null
              : html`<${HandoverControl} desk=${desk} chat=${chat} name=${name} ended />
                     <${RegistrationForm} conversationId=${id} name=${name} />`}
            <div class="actions">
              <button type="button" onClick=${() => {
                ForgetReferralDrafts(id);
                desk.Dismiss(id);
              }}>${t('chat.close')}</button>
            </div>
          `
        : html`
            <form onSubmit=${onSubmit} novalidate class=${kind === 'text' ? '' : 'staff-only-form'}>
              <label for=${`input-${id}`}>
                ${t(kind === 'whisper' ? 'chat.whisperFor' : kind === 'note' ? 'chat.noteFor' : 'chat.inputFor', { name })}
              </label>
              <textarea id=${`input-${id}`} dir="auto" rows="3" value=${draft} ref=${composer}
                        onInput=${(e) => { setDraft(e.currentTarget.value); if (kind === 'text') desk.Typing(id); }}
                        onKeyDown=${onKeyDown}></textarea>
              ${picking
                ? html`<${CannedPicker} onPick=${pick} onClose=${() => { setPicking(false); composer.current?.focus(); }} />`
                : null}
              ${chat.monitoring
                ? null
                : html`<label class="checkbox">
                         <input type="checkbox" checked=${asNote}
                                onChange=${(e) => setAsNote(e.currentTarget.checked)} />
                         ${t('chat.asNote')}
                       </label>`}
              <p class="error" role="alert">${error}</p>
              <div class="actions">
                <button type="submit" class="primary">${t(kind === 'text' ? 'chat.send' : kind === 'note' ? 'chat.saveNote' : 'chat.whisper')}</button>
                <button type="button" aria-keyshortcuts="Control+K" onClick=${() => setPicking(true)}>
                  ${t('canned.insert')}
                </button>
                ${chat.monitoring
                  ? html`<button type="button" onClick=${() => desk.StopMonitoring(id)}>${t('chat.stopWatching')}</button>`
                  : html`<button type="button" onClick=${() => setConfirmingEnd(true)}>${t('chat.endConversation')}</button>`}
              </div>
              ${confirmingEnd
                ? html`<div class="confirm" role="group" aria-label=${t('confirmEnd.question', { name })}>
                         <p>${t('confirmEnd.question', { name })}</p>
                         <div class="actions">
                           <button type="button" class="primary"
                                   onClick=${() => { setConfirmingEnd(false); desk.End(id); }}>
                             ${t('confirmEnd.yes')}
                           </button>
                           <button type="button" onClick=${() => setConfirmingEnd(false)}>
                             ${t('confirmEnd.no')}
                           </button>
                         </div>
                       </div>`
                : null}
            </form>
            ${chat.monitoring
              ? null
              : html`<${TransferControl} desk=${desk} chat=${chat} />
                     <${HandoverControl} desk=${desk} chat=${chat} name=${name} />`}
          `}
    </section>
  `;
}
