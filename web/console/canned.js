// Canned responses. CannedPicker: in a conversation, Ctrl+K (or its button) searches the team's
// library by title, text and tag and puts the chosen text into the message box, to edit before
// sending. CannedLibraryPanel: supervisors add, change and remove responses.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import { CannedResponses, DeleteCanned, SaveCanned } from './api.js';

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

function Editor({ editing, onSaved, onCancel }) {
  const [form, setForm] = useState(
    editing ? { ...editing, tags: editing.tags.join(', ') } : kEmpty,
  );
  const [error, setError] = useState('');
  const field = (name) => (event) => setForm({ ...form, [name]: event.currentTarget.value });
  const save = async (event) => {
    event.preventDefault();
    setError('');
    try {
      const tags = form.tags.split(',').map((tag) => tag.trim()).filter(Boolean);
      await SaveCanned(editing?.id, { title: form.title, body: form.body, language: form.language, tags });
      onSaved();
    } catch {
      setError(t('canned.invalid'));
    }
  };
  return html`
    <form class="canned-editor" onSubmit=${save}>
      <label for="canned-title">${t('canned.title')}</label>
      <input id="canned-title" required maxlength="100" value=${form.title} onInput=${field('title')} />
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
        <button type="submit" class="primary">${t('canned.save')}</button>
        <button type="button" onClick=${onCancel}>${t('canned.cancel')}</button>
      </div>
    </form>
  `;
}

export function CannedLibraryPanel({ onClose }) {
  const [responses, setResponses] = useState(null);
  const [editing, setEditing] = useState(undefined);  // undefined: none; null: a new one
  const [error, setError] = useState('');
  const heading = useRef(null);

  const load = () =>
    CannedResponses()
      .then(setResponses)
      .catch(() => setError(t('canned.failed')));
  useEffect(() => {
    heading.current?.focus();
    load();
  }, []);

  const remove = async (id) => {
    setError('');
    try {
      await DeleteCanned(id);
      await load();
    } catch {
      setError(t('canned.failed'));
    }
  };
  const saved = async () => {
    setEditing(undefined);
    await load();
  };

  return html`
    <section class="panel canned" aria-labelledby="canned-heading">
      <h2 id="canned-heading" ref=${heading} tabindex="-1">${t('canned.heading')}</h2>
      <p class="error" role="alert">${error}</p>
      ${editing === undefined
        ? html`<button type="button" onClick=${() => setEditing(null)}>${t('canned.add')}</button>`
        : html`<${Editor} key=${editing?.id ?? 'new'} editing=${editing} onSaved=${saved}
                          onCancel=${() => setEditing(undefined)} />`}
      ${responses === null
        ? null
        : html`
            <ul class="canned-list">
              ${responses.map((response) => html`
                <li key=${response.id}>
                  <strong>${response.title}</strong>
                  <span class="meta"> ${response.language} · ${response.tags.join(', ')}</span>
                  <p>${response.body}</p>
                  <button type="button" aria-label=${t('canned.editLabel', { title: response.title })}
                          onClick=${() => setEditing(response)}>${t('canned.edit')}</button>
                  <button type="button" aria-label=${t('canned.deleteLabel', { title: response.title })}
                          onClick=${() => remove(response.id)}>${t('canned.delete')}</button>
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
