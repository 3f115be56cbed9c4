// "Signals", for analysts and admins: scans of channel exports (Telegram, scrapers' JSON lines
// and CSV, zips of them) for recruitment posts, the review of what a scan found
// (outreach-review.js), and the lexicon the posts are found with (outreach-lexicon.js). This
// module is the panel and its list of scans: a file goes to the server in chunks with a progress
// bar, or a path in the server's import folder is named; a running scan shows how far it got
// (asked again every second) and can be cancelled; an ended one can be reviewed or deleted.

import { html, useEffect, useLayoutEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import {
  CancelOutreachScan,
  CreateOutreachUpload,
  DeleteOutreachScan,
  OutreachScan,
  OutreachScans,
  SendOutreachChunk,
  StartOutreachScan,
} from './api.js';
import { ShortDateTime } from './format.js';
import { Bytes, Refusal } from './outreach-format.js';
import { LexiconView } from './outreach-lexicon.js';
import { useOneAtATime } from './one-at-a-time.js';
import { ReviewView } from './outreach-review.js';
import { SendInChunks } from './outreach-upload.js';

const kStatus = {
  queued: 'outreach.status.queued',
  running: 'outreach.status.running',
  done: 'outreach.status.done',
  failed: 'outreach.status.failed',
  cancelled: 'outreach.status.cancelled',
};
const kActive = new Set(['queued', 'running']);
const kPollMs = 1000;

// Some routes answer {scan: ...}, others the scan itself.
function ScanOf(answer) {
  return answer?.scan ?? answer;
}

function UploadForm({ onStarted }) {
  const [file, setFile] = useState(null);
  const [progress, setProgress] = useState(null);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const input = useRef(null);
  const abort = useRef(null);
  const action = useRef(null);
  // {file, id}: the upload of this file, kept by the server when its scan could not start for
  // now (a disk too full to unpack it): trying again starts that scan, without sending it again.
  const kept = useRef(null);
  useEffect(() => () => abort.current?.abort(), []);
  // Upload and Cancel replace each other where the focus was: it goes along. (They are keyed
  // apart: Cancel, reused as the submit button by the render its click causes, would submit the
  // form again before the click ends.)
  const sending = progress !== null;
  const wasSending = useRef(false);
  useLayoutEffect(() => {
    if (sending !== wasSending.current && document.activeElement === document.body) action.current?.focus();
    wasSending.current = sending;
  }, [sending]);

  const upload = async (event) => {
    event.preventDefault();
    setError('');
    setStatus('');
    if (!file) {
      setError(t('outreach.chooseFirst'));
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    const chosen = { name: file.name, size: file.size };
    setProgress({ ...chosen, sent: 0 });
    try {
      let scan = null;
      if (kept.current?.file === file) {
        try {
          scan = ScanOf(await StartOutreachScan({ upload: kept.current.id }));
        } catch (failure) {
          if (failure?.status !== 404) throw failure;
          kept.current = null;  // removed meanwhile (a day old): sent again below
        }
      }
      if (scan === null) {
        const id = await SendInChunks(file, {
          create: (name, size) => CreateOutreachUpload(name, size, controller.signal),
          send: (upload, offset, chunk) => SendOutreachChunk(upload, offset, chunk, controller.signal),
          onProgress: (sent) => setProgress({ ...chosen, sent }),
        });
        kept.current = { file, id };
        scan = ScanOf(await StartOutreachScan({ upload: id }));
      }
      kept.current = null;
      setStatus(t('outreach.started', { name: chosen.name }));
      setFile(null);
      if (input.current) input.current.value = '';
      onStarted(scan);
    } catch (failure) {
      // Only a scan the server could not start for now keeps its upload.
      if (failure?.status !== 503) kept.current = null;
      if (failure?.name === 'AbortError') setStatus(t('outreach.uploadCancelled'));
      else setError(Refusal(failure, 'outreach.refused', 'outreach.uploadFailed'));
    } finally {
      abort.current = null;
      setProgress(null);
    }
  };

  return html`
    <form class="outreach-upload" onSubmit=${upload} aria-labelledby="outreach-upload-heading">
      <h3 id="outreach-upload-heading">${t('outreach.newScan')}</h3>
      <label for="outreach-file">${t('outreach.file')}</label>
      <p id="outreach-file-hint" class="hint">${t('outreach.fileHint')}</p>
      <input id="outreach-file" type="file" accept=".json,.jsonl,.csv,.zip" aria-describedby="outreach-file-hint"
             ref=${input} disabled=${sending}
             onChange=${(e) => setFile(e.currentTarget.files[0] ?? null)} />
      ${progress
        ? html`
            <div class="progress-line">
              <label for="outreach-upload-progress">${t('outreach.uploading', { name: progress.name })}</label>
              <progress id="outreach-upload-progress" max=${Math.max(progress.size, 1)} value=${progress.sent}></progress>
              <span>${t('outreach.sentOf', { sent: Bytes(progress.sent), total: Bytes(progress.size) })}</span>
            </div>`
        : null}
      <p class="error" role="alert">${error}</p>
      <p role="status">${status}</p>
      <div class="actions">
        ${progress === null
          ? html`<button type="submit" class="primary" key="upload" ref=${action}>${t('outreach.uploadAndScan')}</button>`
          : html`<button type="button" key="cancel" ref=${action}
                         onClick=${() => abort.current?.abort()}>${t('outreach.cancelUpload')}</button>`}
      </div>
    </form>
  `;
}

// Only when the server has an import folder: a file or export folder in it, scanned in place.
function PathForm({ onStarted }) {
  const [path, setPath] = useState('');
  const [error, setError] = useState('');
  const [starting, oneAtATime] = useOneAtATime();
  const start = (event) => {
    event.preventDefault();
    setError('');
    return oneAtATime(async () => {
      try {
        onStarted(ScanOf(await StartOutreachScan({ path: path.trim() })));
        setPath('');
      } catch (failure) {
        setError(Refusal(failure, 'outreach.refused', 'outreach.failed'));
      }
    });
  };
  return html`
    <form class="outreach-path" onSubmit=${start} aria-labelledby="outreach-path-label">
      <label id="outreach-path-label" for="outreach-path">${t('outreach.path')}</label>
      <p id="outreach-path-hint" class="hint">${t('outreach.pathHint')}</p>
      <input id="outreach-path" type="text" value=${path} aria-describedby="outreach-path-hint"
             onInput=${(e) => setPath(e.currentTarget.value)} />
      <p class="error" role="alert">${error}</p>
      <div class="actions"><button type="submit" disabled=${starting}>${t('outreach.scanPath')}</button></div>
    </form>
  `;
}

function ScanProgress({ scan }) {
  const label = t('outreach.progressOf', { id: scan.id });
  if (scan.status === 'queued' || !(scan.bytes_total > 0)) {
    return html`<progress class="scan-progress" aria-label=${label}></progress>`;
  }
  const percent = Math.floor((100 * scan.bytes_done) / scan.bytes_total);
  return html`
    <progress class="scan-progress" aria-label=${label} max=${scan.bytes_total} value=${scan.bytes_done}></progress>
    <span class="meta"> ${t('outreach.percent', { percent, posts: scan.posts })}</span>
  `;
}

function ScanRow({ scan, onReview, onChanged, onError }) {
  const [confirming, setConfirming] = useState(false);
  const [acting, oneAtATime] = useOneAtATime();
  const name = { id: scan.id, name: scan.source_name };
  const act = (action) => {
    setConfirming(false);
    return oneAtATime(async () => {
      try {
        await action();
        onChanged();
      } catch (failure) {
        onError(Refusal(failure, 'outreach.refused', 'outreach.failed'));
      }
    });
  };
  return html`
    <tr>
      <th scope="row">
        ${scan.source_name}
        <span class="meta">
          ${t('outreach.scanMeta', { id: scan.id, when: ShortDateTime(scan.created_at), by: scan.created_by_name || '–' })}
        </span>
      </th>
      <td>
        ${t(kStatus[scan.status] ?? 'outreach.status.unknown')}
        ${kActive.has(scan.status) ? html`<br /><${ScanProgress} scan=${scan} />` : null}
        ${scan.error ? html`<span class="meta"> ${scan.error}</span>` : null}
      </td>
      <td>${scan.posts}</td>
      <td>${scan.flagged}</td>
      <td>${scan.clusters}</td>
      <td class="row-actions">
        ${scan.status !== 'queued'
          ? html`<button type="button" aria-label=${t('outreach.reviewScan', name)}
                         onClick=${() => onReview(scan)}>${t('outreach.review')}</button>`
          : null}
        ${kActive.has(scan.status)
          ? html`<button type="button" aria-label=${t('outreach.cancelScan', name)} disabled=${acting}
                         onClick=${() => act(() => CancelOutreachScan(scan.id))}>${t('outreach.cancel')}</button>`
          : null}
        ${!kActive.has(scan.status) && !confirming
          ? html`<button type="button" aria-label=${t('outreach.deleteScan', name)}
                         onClick=${() => setConfirming(true)}>${t('outreach.delete')}</button>`
          : null}
        ${confirming
          ? html`
              <span>${t('outreach.deleteQuestion', name)}</span>
              <button type="button" disabled=${acting} onClick=${() => act(() => DeleteOutreachScan(scan.id))}>${t('outreach.deleteYes')}</button>
              <button type="button" onClick=${() => setConfirming(false)}>${t('outreach.deleteNo')}</button>`
          : null}
      </td>
    </tr>
  `;
}

function ScansView({ onReview }) {
  const [scans, setScans] = useState(null);
  const [importFolder, setImportFolder] = useState(false);
  const [error, setError] = useState('');
  const load = () =>
    OutreachScans()
      .then((answer) => {
        setScans(answer.scans);
        setImportFolder(answer.import_folder === true);
      })
      .catch(() => setError(t('outreach.failed')));
  useEffect(() => {
    load();
  }, []);

  // While a scan waits or runs, ask for it again every second; after a failed ask (the network
  // gone a moment), read the list again and go on asking, whatever that read brings.
  const active = (scans ?? []).filter((scan) => kActive.has(scan.status)).map((scan) => scan.id);
  const [failedAsks, setFailedAsks] = useState(0);
  useEffect(() => {
    if (active.length === 0) return undefined;
    let stopped = false;
    const timer = setTimeout(async () => {
      try {
        const fresh = (await Promise.all(active.map((id) => OutreachScan(id, { background: true })))).map(ScanOf);
        if (stopped) return;
        const byId = new Map(fresh.map((scan) => [scan.id, scan]));
        setScans((shown) => shown.map((scan) => byId.get(scan.id) ?? scan));
      } catch {
        if (stopped) return;
        await load();
        if (!stopped) setFailedAsks((count) => count + 1);
      }
    }, kPollMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [scans, failedAsks]);

  const started = (scan) => setScans((shown) => [scan, ...(shown ?? []).filter((s) => s.id !== scan.id)]);
  return html`
    <div class="outreach-scans">
      <${UploadForm} onStarted=${started} />
      ${importFolder ? html`<${PathForm} onStarted=${started} />` : null}
      <p class="error" role="alert">${error}</p>
      ${scans && scans.length > 0
        ? html`
            <div class="table-scroll">
              <table class="outreach-table">
                <caption>${t('outreach.scans')}</caption>
                <thead><tr>
                  <th scope="col">${t('outreach.source')}</th>
                  <th scope="col">${t('outreach.state')}</th>
                  <th scope="col">${t('outreach.posts')}</th>
                  <th scope="col">${t('outreach.flagged')}</th>
                  <th scope="col">${t('outreach.clusters')}</th>
                  <th scope="col"><span class="visually-hidden">${t('outreach.actions')}</span></th>
                </tr></thead>
                <tbody>
                  ${scans.map((scan) => html`
                    <${ScanRow} key=${scan.id} scan=${scan} onReview=${onReview} onChanged=${load}
                                onError=${setError} />`)}
                </tbody>
              </table>
            </div>`
        : null}
      ${scans && scans.length === 0 ? html`<p>${t('outreach.noScans')}</p>` : null}
    </div>
  `;
}

export function OutreachPanel({ onClose }) {
  const [view, setView] = useState({ name: 'scans', scan: null });
  const heading = useRef(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  // Once opened, the lexicon stays (hidden) while another view shows: a term half written and
  // its test result are still there on coming back.
  const [lexiconOpened, setLexiconOpened] = useState(false);
  useEffect(() => {
    if (view.name === 'lexicon') setLexiconOpened(true);
  }, [view.name]);
  const tab = (name, label, scan = view.scan) => html`
    <button type="button" aria-current=${view.name === name ? 'page' : undefined}
            onClick=${() => setView({ name, scan })}>${label}</button>
  `;
  return html`
    <section class="panel outreach" aria-labelledby="outreach-heading">
      <h2 id="outreach-heading" ref=${heading} tabindex="-1">${t('outreach.heading')}</h2>
      <p class="hint">${t('outreach.explain')}</p>
      <nav class="outreach-nav" aria-label=${t('outreach.views')}>
        ${tab('scans', t('outreach.scans'))}
        ${view.scan ? tab('review', t('outreach.reviewOf', { id: view.scan.id })) : null}
        ${tab('lexicon', t('outreach.lexicon'))}
      </nav>
      ${view.name === 'scans' ? html`<${ScansView} onReview=${(scan) => setView({ name: 'review', scan })} />` : null}
      ${view.name === 'review' ? html`<${ReviewView} key=${view.scan.id} scan=${view.scan} />` : null}
      ${lexiconOpened || view.name === 'lexicon'
        ? html`<div hidden=${view.name !== 'lexicon'}><${LexiconView} shown=${view.name === 'lexicon'} /></div>`
        : null}
      <div class="actions">
        <button type="button" onClick=${onClose}>${t('outreach.close')}</button>
      </div>
    </section>
  `;
}
