// Canned responses. CannedPicker: in a conversation, Ctrl+K (or its button) searches the team's
// library by title, text and tag and puts the chosen text into the message box, to edit before
// sending. CannedLibraryPanel: supervisors add, change and remove responses.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import { ApiError, CannedResponses, DeleteCanned, SaveCanned } from './api.js';
import { useOneAtATime } from './one-at-a-time.js';

// Responses whose title, text or tags hold every word of `query`.
export function MatchCanned(responses, query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return responses.filter((response) => {
    const text = `${response.title} ${response.body} ${response.tags.join(' ')}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

export function CannedPicker({ onPick, onClose }) {
  const [responses, setResponses] = useState(null);
  const [query, setQuery] = useState('');
  const [error, setError] = useState('');
  const search = useRef(null);

  useEffect(() => {
    search.current?.focus();
    CannedResponses()
      .then(setResponses)
      .catch(() => setError(t('canned.failed')));
  }, []);

  const matches = responses ? MatchCanned(responses, query) : [];
  const onKeyDown = (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    } else if (event.key === 'Enter') {
      // The search sits inside the message form: Enter must never send the draft.
      event.preventDefault();
      if (matches.length > 0) onPick(matches[0].body);
    }
  };
  return html`
    <div class="canned-picker" role="group" aria-label=${t('canned.pick')}>
      <label for="canned-search">${t('canned.search')}</label>
      <input id="canned-search" type="search" ref=${search} value=${query} autocomplete="off"
             onInput=${(e) => setQuery(e.currentTarget.value)} onKeyDown=${onKeyDown} />
      <p class="error" role="alert">${error}</p>
      ${responses === null
        ? null
        : matches.length === 0
          ? html`<p class="meta">${t('canned.noMatch')}</p>`
          : html`
              <ul class="canned-list">
                ${matches.map((response) => html`
                  <li key=${response.id}>
                    <button type="button" onClick=${() => onPick(response.body)}>
                      <strong>${response.title}</strong>
                      <span class="meta"> ${response.tags.join(', ')}</span>
                    </button>
                  </li>
                `)}
              </ul>
            `}
      <button type="button" onClick=${onClose}>${t('canned.cancel')}</button>
    </div>
  `;
}

const kEmpty = { title: '', body: '', language: 'nl', tags: '' };

function Editor({ editing, onSaved, onCancel, onGone }) {
  const [form, setForm] = useState(
    editing ? { ...editing, tags: editing.tags.join(', ') } : kEmpty,
  );
  const [error, setError] = useState('');
  const [saving, oneAtATime] = useOneAtATime();
  const title = useRef(null);
  useEffect(() => title.current?.focus(), []);
  const field = (name) => (event) => setForm({ ...form, [name]: event.currentTarget.value });
  const save = (event) => {
    event.preventDefault();
    return oneAtATime(async () => {
      setError('');
      try {
        const tags = form.tags.split(',').map((tag) => tag.trim()).filter(Boolean);
        // A change names the version it was made on: a colleague's change since is not overwritten
        // unseen.
        const based = editing ? { based_on: form.updated_at } : {};
        await SaveCanned(editing?.id, { title: form.title, body: form.body, language: form.language, tags, ...based });
        onSaved();
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 404) {
          onGone();
        } else if (failure instanceof ApiError && failure.status === 409) {
          // What was typed stays; saving again replaces the colleague's version, now seen.
          const latest = (await CannedResponses().catch(() => [])).find((r) => r.id === editing.id);
          if (latest) setForm((typed) => ({ ...typed, updated_at: latest.updated_at }));
          setError(t('canned.changedMeanwhile'));
        } else if (failure instanceof ApiError && failure.status === 400) {
          setError(`${t('canned.refused')} ${failure.message}`);
        } else {
          setError(t('canned.saveFailed'));
        }
      }
    });
  };
  return html`
    <form class="canned-editor" onSubmit=${save}>
      <label for="canned-title">${t('canned.title')}</label>
      <input id="canned-title" ref=${title} required maxlength="100" value=${form.title} onInput=${field('title')} />
      <label for="canned-body">${t('canned.body')}</label>
      <textarea id="canned-body" rows="4" required value=${form.body} onInput=${field('body')}></textarea>
      <label for="canned-language">${t('canned.language')}</label>
      <select id="canned-language" value=${form.language} onChange=${field('language')}>
        <option value="nl">Nederlands</option>
        <option value="en">English</option>
      </select>
      <label for="canned-tags">${t('canned.tags')}</label>
      <input id="canned-tags" value=${form.tags} onInput=${field('tags')} />
      <p class="error" role="alert">${error}</p>
      <div class="actions">
        <button type="submit" class="primary" disabled=${saving}>${t('canned.save')}</button>
        <button type="button" onClick=${onCancel}>${t('canned.cancel')}</button>
      </div>
    </form>
  `;
}

// Deleting cannot be undone: it waits for a yes. "No" has the focus first.
function DeleteQuestion({ response, busy, onYes, onNo }) {
  const no = useRef(null);
  useEffect(() => no.current?.focus(), []);
  return html`
    <p role="group" aria-label=${t('canned.deleteLabel', { title: response.title })}>
      ${t('canned.deleteAsk', { title: response.title })}
      <button type="button" disabled=${busy} onClick=${onYes}>${t('canned.deleteYes')}</button>
      <button type="button" ref=${no} disabled=${busy} onClick=${onNo}>${t('canned.deleteNo')}</button>
    </p>
  `;
}

export function CannedLibraryPanel({ onClose }) {
  const [responses, setResponses] = useState(null);
  const [editing, setEditing] = useState(undefined);  // undefined: none; null: a new one
  const [asking, setAsking] = useState(null);  // the response whose deletion waits for a yes
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const heading = useRef(null);
  const [focusTo, setFocusTo] = useState(null);  // the id of a button to give the focus back to
  useEffect(() => {
    if (focusTo === null) return;
    document.getElementById(focusTo)?.focus();
    setFocusTo(null);
  }, [focusTo]);

  const load = () =>
    CannedResponses()
      .then(setResponses)
      .catch(() => setError(t('canned.failed')));
  useEffect(() => {
    heading.current?.focus();
    load();
  }, []);

  // After a form closes or a response goes, the focus returns to the top of the library.
  const backToTop = () => heading.current?.focus();
  const gone = async (id) => {
    setError(t('canned.gone'));
    if (editing?.id === id) setEditing(undefined);
    await load();
    backToTop();
  };
  const remove = async (response) => {
    setError('');
    setBusy(true);
    try {
      await DeleteCanned(response.id);
      // Gone at once, not shown again with its buttons until the list is read anew.
      setResponses((listed) => listed?.filter((r) => r.id !== response.id) ?? listed);
      setAsking(null);
      if (editing?.id === response.id) setEditing(undefined);
      await load();
      backToTop();
    } catch (failure) {
      setAsking(null);
      if (failure instanceof ApiError && failure.status === 404) await gone(response.id);
      else setError(t('canned.deleteFailed'));
    } finally {
      setBusy(false);
    }
  };
  const saved = async () => {
    setEditing(undefined);
    await load();
    backToTop();
  };

  return html`
    <section class="panel canned" aria-labelledby="canned-heading">
      <h2 id="canned-heading" ref=${heading} tabindex="-1">${t('canned.heading')}</h2>
      <p class="error" role="alert">${error}</p>
      ${editing === undefined
        ? html`<button type="button" onClick=${() => setEditing(null)}>${t('canned.add')}</button>`
        : html`<${Editor} key=${editing?.id ?? 'new'} editing=${editing} onSaved=${saved}
                          onGone=${() => gone(editing?.id)}
                          onCancel=${() => {
                            setEditing(undefined);
                            backToTop();
                          }} />`}
      ${responses === null
        ? null
        : html`
            <ul class="canned-list">
              ${responses.map((response) => html`
                <li key=${response.id}>
                  <strong>${response.title}</strong>
                  <span class="meta"> ${response.language} · ${response.tags.join(', ')}</span>
                  <p>${response.body}</p>
                  ${asking === response.id
                    ? html`<${DeleteQuestion} response=${response} busy=${busy} onYes=${() => remove(response)}
                                              onNo=${() => {
                                                setAsking(null);
                                                setFocusTo(`canned-delete-${response.id}`);
                                              }} />`
                    : html`
                        <button type="button" aria-label=${t('canned.editLabel', { title: response.title })}
                                onClick=${() => setEditing(response)}>${t('canned.edit')}</button>
                        <button type="button" id=${`canned-delete-${response.id}`} disabled=${busy}
                                aria-label=${t('canned.deleteLabel', { title: response.title })}
                                onClick=${() => setAsking(response.id)}>${t('canned.delete')}</button>`}
                </li>
              `)}
            </ul>
          `}
      <div class="actions">
        <button type="button" onClick=${onClose}>${t('canned.close')}</button>
      </div>
    </section>
  `;
}
