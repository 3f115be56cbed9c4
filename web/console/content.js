// "Pages", for admins: the visitor's information pages in every language. An admin opens a page,
// edits its Markdown with a preview rendered by the server (as visitors will see it), and saves
// it as a new version; an earlier version, or the text that ships with Uitweg, can be opened and
// saved again to restore it. The server refuses a save when someone else saved the page since it
// was opened; leaving or opening another version asks first when the text was changed.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import { ContentPage, ContentPages, PreviewContent, SaveContentPage } from './api.js';
import { DiscardQuestion } from './discard-question.js';
import { useOneAtATime } from './one-at-a-time.js';
import { ShortDateTime } from './format.js';

// The server's HTML (cmark in safe mode: no raw HTML, no script links), put in as nodes parsed
// from an inert document.
function PreviewBody({ markup }) {
  const box = useRef(null);
  useEffect(() => {
    const parsed = new DOMParser().parseFromString(markup, 'text/html');
    box.current?.replaceChildren(...[...parsed.body.childNodes].map((n) => document.importNode(n, true)));
  }, [markup]);
  return html`<div class="content-preview" ref=${box}></div>`;
}

// `guard.current` is set to what runs a step that would leave the editor: it asks first when
// the text was changed (the panel's own Close goes through it).
function Editor({ slug, language, onClose, guard }) {
  const [page, setPage] = useState(null);
  const [body, setBody] = useState('');
  const [basedOn, setBasedOn] = useState(0);
  // What the text shown restores, if it is not the newest: {version} or {builtIn: true}.
  const [restoring, setRestoring] = useState(null);
  const [preview, setPreview] = useState(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [asking, setAsking] = useState(null);  // {run}: what waits for a yes to lose the edits
  // Only the newest load shows: the reload after a save must not undo a version opened meanwhile.
  const latest = useRef(0);
  // The version this editor saved last: a load read before that save committed must not build
  // on an older one (the next save would be refused as a colleague's).
  const lastSaved = useRef(0);
  const load = async (version = 0, builtIn = false) => {
    const request = ++latest.current;
    setError('');
    try {
      const loaded = await ContentPage(slug, language, version, builtIn);
      if (request !== latest.current) return;
      setPage(loaded);
      setBody(loaded.body);
      const newest = Math.max(loaded.newest_version, lastSaved.current);
      setBasedOn(newest);
      // A version older than the one just saved is a restore, even if this read was made before
      // that save committed.
      setRestoring(builtIn ? { builtIn: true } : version && version !== newest ? { version } : null);
      setPreview(null);
    } catch {
      if (request === latest.current) setError(t('content.failed'));
    }
  };
  useEffect(() => {
    load();
  }, [slug, language]);
  // Text typed and not saved is lost only after a yes.
  const unlessEdited = (run) => {
    if (page !== null && body !== page.body) setAsking({ run });
    else run();
  };
  guard.current = unlessEdited;
  const showPreview = async () => {
    setError('');
    try {
      setPreview(await PreviewContent(body));
    } catch (failure) {
      setPreview(null);
      setError(failure.status === 400 ? `${t('content.refused')} ${failure.message}` : t('content.failed'));
    }
  };
  // One save at a time: a second click would save over the first with the same based_on and be
  // refused as if a colleague had saved.
  const [saving, oneAtATime] = useOneAtATime();
  const save = (event) => {
    event.preventDefault();
    return oneAtATime(async () => {
      setError('');
      setStatus('');
      const before = latest.current;
      try {
        const saved = await SaveContentPage(slug, language, body, basedOn, restoring?.version ?? 0);
        setStatus(t('content.saved', { version: saved.version }));
        lastSaved.current = Math.max(lastSaved.current, saved.version);
        // A version opened while the save was under way stays (and builds on this save).
        if (latest.current === before) await load();
        else setBasedOn((newest) => Math.max(newest, saved.version));
      } catch (failure) {
        if (failure.status === 409) setError(t('content.conflict'));
        else if (failure.status === 400) setError(`${t('content.refused')} ${failure.message}`);
        else setError(t('content.failed'));
      }
    });
  };
  if (page === null) return html`<p class="error" role="alert">${error}</p>`;
  return html`
    <form class="content-editor" onSubmit=${save}
          aria-label=${t('content.editing', { page: slug, language })}>
      <label for="content-body">${t('content.body')}</label>
      <p id="content-hint" class="hint">${t('content.hint')}</p>
      <textarea id="content-body" rows="18" aria-describedby="content-hint" value=${body}
                onInput=${(e) => setBody(e.currentTarget.value)}></textarea>
      ${restoring
        ? html`<p class="notice">
                 ${restoring.builtIn ? t('content.restoringBuiltIn') : t('content.restoring', { version: restoring.version })}
               </p>`
        : null}
      <p class="error" role="alert">${error}</p>
      <p role="status">${status}</p>
      <div class="actions">
        <button type="button" onClick=${showPreview}>${t('content.preview')}</button>
        <button type="submit" class="primary" disabled=${saving}>${restoring ? t('content.restore') : t('content.save')}</button>
        <button type="button" onClick=${() => unlessEdited(onClose)}>${t('content.back')}</button>
      </div>
      ${asking
        ? html`<${DiscardQuestion} onYes=${() => { setAsking(null); asking.run(); }}
                                   onNo=${() => setAsking(null)} />`
        : null}
      ${preview
        ? html`<section class="preview" aria-labelledby="content-preview-heading">
                 <h3 id="content-preview-heading">${t('content.previewHeading')}</h3>
                 <h4>${preview.title}</h4>
                 <${PreviewBody} markup=${preview.html} />
               </section>`
        : null}
      <h3>${t('content.versions')}</h3>
      ${page.versions.length === 0
        ? html`<p>${t('content.builtIn')}</p>`
        : html`<ul class="canned-list">
            ${page.versions.map((v) => html`
              <li key=${v.version}>
                ${t('content.version', { version: v.version, when: ShortDateTime(v.created_at) })}
                ${v.version === page.newest_version ? html` <span class="meta">${t('content.current')}</span>` : null}
                <button type="button" aria-label=${t('content.openLabel', { version: v.version })}
                        onClick=${() => unlessEdited(() => load(v.version))}>${t('content.open')}</button>
              </li>
            `)}
            ${page.built_in
              ? html`<li key="built-in">
                       ${t('content.builtInText')}
                       <button type="button" aria-label=${t('content.openBuiltIn')}
                               onClick=${() => unlessEdited(() => load(0, true))}>${t('content.open')}</button>
                     </li>`
              : null}
          </ul>`}
    </form>
  `;
}

// `leave`: a ref given this panel's guarded close, for the console's menu.
export function ContentPanel({ onClose, leave }) {
  const [pages, setPages] = useState(null);
  const [open, setOpen] = useState(null);
  const [error, setError] = useState('');
  const heading = useRef(null);
  const editorGuard = useRef(null);
  const load = () =>
    ContentPages()
      .then(setPages)
      .catch(() => setError(t('content.failed')));
  useEffect(() => {
    heading.current?.focus();
    load();
    return () => {
      if (leave) leave.current = null;
    };
  }, []);
  // Leaving an open editor asks first when its text was changed.
  const close = () => (open && editorGuard.current ? editorGuard.current(onClose) : onClose());
  if (leave) leave.current = close;
  return html`
    <section class="panel content" aria-labelledby="content-heading">
      <h2 id="content-heading" ref=${heading} tabindex="-1">${t('content.heading')}</h2>
      <p class="error" role="alert">${error}</p>
      ${open
        ? html`<${Editor} key=${`${open.slug}.${open.language}`} slug=${open.slug} language=${open.language}
                          guard=${editorGuard} onClose=${() => { setOpen(null); load(); }} />`
        : pages === null
          ? null
          : html`
              <table>
                <caption class="visually-hidden">${t('content.heading')}</caption>
                <thead><tr>
                  <th scope="col">${t('content.page')}</th>
                  <th scope="col">${t('content.language')}</th>
                  <th scope="col">${t('content.state')}</th>
                  <th scope="col"><span class="visually-hidden">${t('content.open')}</span></th>
                </tr></thead>
                <tbody>
                  ${pages.map((p) => html`
                    <tr key=${`${p.slug}.${p.language}`}>
                      <td lang=${p.language}>${p.title ?? p.slug}</td>
                      <td>${p.language}</td>
                      <td>${p.newest ? t('content.version', { version: p.newest.version, when: ShortDateTime(p.newest.created_at) })
                                     : t('content.builtIn')}</td>
                      <td><button type="button" aria-label=${t('content.editLabel', { page: p.title ?? p.slug, language: p.language })}
                                  onClick=${() => setOpen(p)}>${t('content.edit')}</button></td>
                    </tr>
                  `)}
                </tbody>
              </table>
            `}
      <div class="actions">
        <button type="button" onClick=${close}>${t('content.close')}</button>
      </div>
    </section>
  `;
}
