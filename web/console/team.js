// "Team", for supervisors and admins: who takes conversations, how many each has now, and how
// many each takes at once (their capacity, 1 to 20), which is set here. A supervisor sees each
// live conversation and may watch it silently (the conversation opens on their desk).

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import { SetCapacity, Team } from './api.js';
import { VisitorName } from './format.js';

const kMaxCapacity = 20;

function LiveConversations({ member, onWatch, onDesk }) {
  if (!member.conversations?.length) return null;
  return html`
    <ul class="live">
      ${member.conversations.map((live) => {
        const name = VisitorName(live);
        return html`
          <li key=${live.id}>
            ${name}${live.offline ? html` <span class="meta">(${t('team.messageLeft')})</span>` : null}
            ${onWatch && !onDesk(live.id)
              ? html` <button type="button" aria-label=${t('team.watchLabel', { counsellor: member.display_name, name })}
                               onClick=${() => onWatch(live.id)}>${t('team.watch')}</button>`
              : null}
          </li>
        `;
      })}
    </ul>
  `;
}

function Member({ member, onSaved, onError, onWatch, onDesk }) {
  const [capacity, setCapacity] = useState(String(member.capacity));
  const save = async (event) => {
    event.preventDefault();
    onError('');
    try {
      onSaved(await SetCapacity(member.id, Number(capacity)));
    } catch {
      onError(t('team.failed'));
    }
  };
  const label = t('team.capacityOf', { name: member.display_name });
  return html`
    <tr>
      <th scope="row">${member.display_name}</th>
      <td>${t(`role.${member.role}`)}</td>
      <td>${t(`availability.${member.availability}`)}</td>
      <td>
        ${t('team.activeOf', { active: member.active, capacity: member.capacity })}
        <${LiveConversations} member=${member} onWatch=${onWatch} onDesk=${onDesk} />
      </td>
      <td>
        <form class="inline" onSubmit=${save}>
          <label class="visually-hidden" for=${`capacity-${member.id}`}>${label}</label>
          <input id=${`capacity-${member.id}`} type="number" min="1" max=${kMaxCapacity} required
                 value=${capacity} onInput=${(e) => setCapacity(e.currentTarget.value)} />
          <button type="submit">${t('team.save')}</button>
        </form>
      </td>
    </tr>
  `;
}

// `onWatch(conversationId)`: given to supervisors, who may watch a live conversation that is not
// on their desk already (`onDesk(conversationId)`): one of their own, or one watched.
export function TeamPanel({ onClose, onWatch, onDesk = () => false }) {
  const [team, setTeam] = useState(null);
  const [error, setError] = useState('');
  const heading = useRef(null);

  useEffect(() => {
    heading.current?.focus();
    Team()
      .then(setTeam)
      .catch(() => setError(t('team.failed')));
  }, []);

  const saved = (member) => setTeam(team.map((m) => (m.id === member.id ? member : m)));
  return html`
    <section class="panel team" aria-labelledby="team-heading">
      <h2 id="team-heading" ref=${heading} tabindex="-1">${t('team.heading')}</h2>
      <p class="error" role="alert">${error}</p>
      ${team === null
        ? null
        : html`
            <table>
              <caption class="visually-hidden">${t('team.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">${t('team.name')}</th>
                  <th scope="col">${t('team.role')}</th>
                  <th scope="col">${t('availability.label')}</th>
                  <th scope="col">${t('team.conversations')}</th>
                  <th scope="col">${t('team.capacity')}</th>
                </tr>
              </thead>
              <tbody>
                ${team.map((member) => html`<${Member} key=${member.id} member=${member} onWatch=${onWatch} onDesk=${onDesk}
                                                       onSaved=${saved} onError=${setError} />`)}
              </tbody>
            </table>
          `}
      <div class="actions">
        <button type="button" onClick=${onClose}>${t('team.close')}</button>
      </div>
    </section>
  `;
}
