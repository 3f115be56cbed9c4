// "Organisations", for admins: the directory of receiving organisations and their regional
// contact persons, to which counsellors hand visitors over with their consent. An organisation
// is made inactive rather than removed: referrals made to it keep its name.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import { AddOrganisation, ChangeOrganisation, Organisations } from './api.js';

const kFields = ['name', 'description', 'region', 'contact_person', 'contact_phone', 'contact_email'];

function Editor({ editing, onSaved, onCancel }) {
  const [values, setValues] = useState(() => Object.fromEntries(kFields.map((f) => [f, editing?.[f] ?? ''])));
  const [active, setActive] = useState(editing?.active ?? true);
  const [error, setError] = useState('');
  const save = async (event) => {
    event.preventDefault();
    setError('');
    try {
      const body = { ...values, active };
      if (editing) await ChangeOrganisation(editing.id, body);
      else await AddOrganisation(body);
      onSaved();
    } catch (failure) {
      setError(failure.status === 400 ? `${t('organisations.refused')} ${failure.message}` : t('organisations.failed'));
    }
  };
  return html`
    <form onSubmit=${save} aria-label=${t(editing ? 'organisations.editing' : 'organisations.adding')}>
      ${kFields.map((field) => html`
        <div class="field" key=${field}>
          <label for=${`organisation-${field}`}>${t(`organisations.f.${field}`)}</label>
          <input id=${`organisation-${field}`} type=${field === 'contact_email' ? 'email' : 'text'}
                 maxlength=${field === 'name' ? 100 : 200} required=${field === 'name'} value=${values[field]}
                 onInput=${(e) => setValues({ ...values, [field]: e.currentTarget.value })} />
        </div>
      `)}
      <label class="checkbox">
        <input type="checkbox" checked=${active} onChange=${(e) => setActive(e.currentTarget.checked)} />
        ${t('organisations.active')}
      </label>
      <p class="error" role="alert">${error}</p>
      <div class="actions">
        <button type="submit" class="primary">${t('organisations.save')}</button>
        <button type="button" onClick=${onCancel}>${t('transfer.cancel')}</button>
      </div>
    </form>
  `;
}

export function OrganisationsPanel({ onClose }) {
  const [organisations, setOrganisations] = useState(null);
  const [editing, setEditing] = useState(undefined);  // undefined: none; null: a new one
  const [error, setError] = useState('');
  const heading = useRef(null);
  const load = () =>
    Organisations()
      .then(setOrganisations)
      .catch(() => setError(t('organisations.failed')));
  useEffect(() => {
    heading.current?.focus();
    load();
  }, []);
  return html`
    <section class="panel organisations" aria-labelledby="organisations-heading">
      <h2 id="organisations-heading" ref=${heading} tabindex="-1">${t('organisations.heading')}</h2>
      <p class="error" role="alert">${error}</p>
      ${editing === undefined
        ? html`<button type="button" onClick=${() => setEditing(null)}>${t('organisations.add')}</button>`
        : html`<${Editor} key=${editing?.id ?? 'new'} editing=${editing}
                          onSaved=${() => { setEditing(undefined); load(); }}
                          onCancel=${() => setEditing(undefined)} />`}
      ${organisations === null
        ? null
        : organisations.length === 0
          ? html`<p>${t('organisations.none')}</p>`
          : html`
              <ul class="canned-list">
                ${organisations.map((o) => html`
                  <li key=${o.id}>
                    <strong>${o.name}</strong>
                    <span class="meta"> ${o.region}${o.active ? '' : ` · ${t('organisations.inactive')}`}</span>
                    <p>${o.contact_person} ${o.contact_phone} ${o.contact_email}</p>
                    <button type="button" aria-label=${t('organisations.editLabel', { name: o.name })}
                            onClick=${() => setEditing(o)}>${t('organisations.edit')}</button>
                  </li>
                `)}
              </ul>
            `}
      <div class="actions">
        <button type="button" onClick=${onClose}>${t('organisations.close')}</button>
      </div>
    </section>
  `;
}
