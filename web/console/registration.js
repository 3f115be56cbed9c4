// The registration after a conversation: the form comes from the server as data (its fields,
// options and labels in both languages); a counsellor saves it to finish later, or completes it
// once every required field is answered. No free text: choices, and a municipality.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { CurrentLanguage, t } from '../shared/i18n.js';
import { Registration, RegistrationFormDefinition, SaveRegistration } from './api.js';
import { useOneAtATime } from './one-at-a-time.js';

function Label(label) {
  return label[CurrentLanguage()] ?? label.nl;
}

function Field({ field, prefix, value, invalid, onChange }) {
  const id = `${prefix}-${field.id}`;
  const legend = html`${Label(field.label)}${field.required ? html` <span class="meta">(${t('registration.required')})</span>` : null}`;
  if (field.type === 'place') {
    return html`
      <div class="field">
        <label for=${id}>${legend}</label>
        <input id=${id} type="text" maxlength="60" autocomplete="off" value=${value[0] ?? ''}
               aria-invalid=${invalid ? 'true' : null}
               onInput=${(e) => onChange(e.currentTarget.value.trim() ? [e.currentTarget.value] : [])} />
      </div>
    `;
  }
  const many = field.type === 'choices';
  const toggle = (option, checked) => {
    if (!many) return onChange(checked ? [option] : []);
    return onChange(checked ? [...value, option] : value.filter((v) => v !== option));
  };
  return html`
    <fieldset class="registration-field" id=${id} aria-invalid=${invalid ? 'true' : null}>
      <legend>${legend}</legend>
      ${many || field.required
        ? null
        : html`
            <label class="choice">
              <input type="radio" name=${id} value="" checked=${value.length === 0}
                     onChange=${(e) => e.currentTarget.checked && onChange([])} />
              ${t('registration.notAnswered')}
            </label>
          `}
      ${field.options.map((option) => html`
        <label class="choice" key=${option.id}>
          <input type=${many ? 'checkbox' : 'radio'} name=${id} value=${option.id}
                 checked=${value.includes(option.id)}
                 onChange=${(e) => toggle(option.id, e.currentTarget.checked)} />
          ${Label(option.label)}
        </label>
      `)}
    </fieldset>
  `;
}

export function RegistrationForm({ conversationId, name, onSaved }) {
  const [form, setForm] = useState(null);
  const [answers, setAnswers] = useState({});
  const [complete, setComplete] = useState(false);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [missing, setMissing] = useState([]);
  const [loads, setLoads] = useState(0);
  // A draft saved while "complete" is under way must not end up over the completed one.
  const [saving, oneAtATime] = useOneAtATime();
  // Answers changed so far: a save's "saved" holds only if none changed while it was under way.
  const edits = useRef(0);
  const heading = useRef(null);
  const prefix = `registration-${conversationId}`;

  useEffect(() => {
    setError('');
    Promise.all([RegistrationFormDefinition(), Registration(conversationId)])
      .then(([definition, registration]) => {
        setForm(definition);
        setAnswers(registration.answers ?? {});
        setComplete(registration.complete);
        // Loaded again at the counsellor's asking: the button they pressed is gone.
        if (loads > 0) heading.current?.focus();
      })
      .catch(() => setError(t('registration.failed')));
  }, [conversationId, loads]);

  const answer = (field, value) => {
    setAnswers({ ...answers, [field.id]: value });
    // "Saved" no longer holds for what is on screen.
    edits.current += 1;
    setStatus('');
    if (value.length > 0) setMissing(missing.filter((id) => id !== field.id));
  };

  // The first field still to answer takes the focus (its first choice, in a group), so that a
  // keyboard or screen reader user lands where the message sends them.
  const focusField = (fieldId) => {
    const element = document.getElementById(`${prefix}-${fieldId}`);
    (element?.matches('fieldset') ? element.querySelector('input') : element)?.focus();
  };

  const save = (finish) => oneAtATime(async () => {
    setError('');
    setStatus('');
    if (finish) {
      const unanswered = form.fields.filter((f) => f.required && !(answers[f.id]?.length > 0));
      setMissing(unanswered.map((f) => f.id));
      if (unanswered.length > 0) {
        setError(t('registration.missing', { fields: unanswered.map((f) => Label(f.label)).join(', ') }));
        focusField(unanswered[0].id);
        return;
      }
    }
    const editsBefore = edits.current;
    try {
      const saved = await SaveRegistration(conversationId, answers, finish);
      setComplete(saved.complete);
      if (edits.current === editsBefore) setStatus(t(saved.complete ? 'registration.completed' : 'registration.saved'));
      onSaved?.(saved);
    } catch (failure) {
      setError(failure.status === 400 ? `${t('registration.refused')} ${failure.message}` : t('registration.failed'));
    }
  });

  return html`
    <form class="registration" aria-label=${t('registration.heading', { name })}
          onSubmit=${(event) => { event.preventDefault(); save(true); }}>
      <h3 ref=${heading} tabindex="-1">${t('registration.heading', { name })}</h3>
      <p class="meta">${complete ? t('registration.isComplete') : t('registration.intro')}</p>
      ${form === null
        ? null
        : form.fields.map((field) => html`
            <${Field} key=${field.id} field=${field} prefix=${prefix} value=${answers[field.id] ?? []}
                      invalid=${missing.includes(field.id)} onChange=${(value) => answer(field, value)} />
          `)}
      <p class="error" role="alert">${error}</p>
      ${form === null && error
        ? html`<button type="button" onClick=${() => setLoads(loads + 1)}>${t('registration.retry')}</button>`
        : null}
      <p role="status">${status}</p>
      ${form === null
        ? null
        : html`
            <div class="actions">
              <button type="submit" class="primary" disabled=${saving}>${t('registration.complete')}</button>
              ${complete
                ? null
                : html`<button type="button" disabled=${saving} onClick=${() => save(false)}>${t('registration.later')}</button>`}
            </div>
          `}
    </form>
  `;
}
