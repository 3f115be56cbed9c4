// "Gespreksreview", for supervisors (review_conversations): draw a random sample of ended
// conversations of a period, read each transcript beside the rubric (forms/review.toml, from
// GET /api/v1/reviews/rubric), score every criterion, leave a short comment for the
// counsellor's coaching and save; the sample shows how far it is ("3 van 10 beoordeeld").
// Drawing, reading and saving are recorded in the audit trail by the server. See docs/review.md.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { CurrentLanguage, ServiceDateOf, t } from '../shared/i18n.js';
import {
  ApiError,
  DrawReviewSample,
  ReviewConversation,
  ReviewRubric,
  ReviewSample,
  ReviewSamples,
  SaveReview,
} from './api.js';
import { TranscriptMessages } from './transcript.js';
import { ShortDateTime, VisitorName } from './format.js';

const kDefaultSize = 10;

// The label of `text` ({nl, en}) in the console's language.
function Label(text) {
  return CurrentLanguage() === 'en' ? text.en : text.nl;
}

function Failure(failure, fallback) {
  return failure instanceof ApiError && failure.message ? `${t(fallback)} ${failure.message}` : t(fallback);
}

function DrawForm({ onDrawn }) {
  const now = Date.now();
  const [from, setFrom] = useState(ServiceDateOf(now - 30 * 24 * 60 * 60 * 1000));
  const [to, setTo] = useState(ServiceDateOf(now));
  const [size, setSize] = useState(kDefaultSize);
  const [onlyUnreviewed, setOnlyUnreviewed] = useState(true);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event) => {
    event.preventDefault();
    setError('');
    setBusy(true);
    try {
      onDrawn(await DrawReviewSample({ from, to, size: Number(size), only_unreviewed: onlyUnreviewed }));
    } catch (failure) {
      setError(Failure(failure, 'review.drawFailed'));
    } finally {
      setBusy(false);
    }
  };

  return html`
    <form class="review-draw" onSubmit=${submit} aria-labelledby="review-draw-heading">
      <h3 id="review-draw-heading">${t('review.drawHeading')}</h3>
      <p class="hint">${t('review.drawExplain')}</p>
      <div class="inline">
        <label for="review-from">${t('review.from')}</label>
        <input id="review-from" type="date" value=${from} required onInput=${(e) => setFrom(e.currentTarget.value)} />
        <label for="review-to">${t('review.to')}</label>
        <input id="review-to" type="date" value=${to} required onInput=${(e) => setTo(e.currentTarget.value)} />
        <label for="review-size">${t('review.size')}</label>
        <input id="review-size" type="number" min="1" max="50" value=${size} required
               onInput=${(e) => setSize(e.currentTarget.value)} />
      </div>
      <label>
        <input type="checkbox" checked=${onlyUnreviewed}
               onChange=${(e) => setOnlyUnreviewed(e.currentTarget.checked)} />
        ${t('review.onlyUnreviewed')}
      </label>
      <div class="actions">
        <button type="submit" disabled=${busy}>${t('review.draw')}</button>
      </div>
      <p class="error" role="alert">${error}</p>
    </form>
  `;
}

function Progress({ sample }) {
  return t('review.progress', { done: sample.reviewed, total: sample.size });
}

function SampleList({ samples, current, onOpen }) {
  if (samples === null) return html`<p>${t('review.loading')}</p>`;
  if (samples.length === 0) return html`<p>${t('review.noSamples')}</p>`;
  return html`
    <table class="review-samples">
      <caption>${t('review.samples')}</caption>
      <thead>
        <tr>
          <th scope="col">${t('review.drawnAt')}</th>
          <th scope="col">${t('review.period')}</th>
          <th scope="col">${t('review.progressHeading')}</th>
          <th scope="col"><span class="visually-hidden">${t('review.actions')}</span></th>
        </tr>
      </thead>
      <tbody>
        ${samples.map((sample) => html`
          <tr key=${sample.id} aria-current=${sample.id === current ? 'true' : undefined}>
            <td>${ShortDateTime(sample.created_at)}</td>
            <td>${t('review.periodText', { from: ServiceDateOf(sample.from), to: ServiceDateOf(sample.to - 1) })}</td>
            <td><${Progress} sample=${sample} /></td>
            <td>
              <button type="button" onClick=${() => onOpen(sample.id)}
                      aria-label=${t('review.openSampleOf', { date: ShortDateTime(sample.created_at) })}>
                ${t('review.openSample')}
              </button>
            </td>
          </tr>`)}
      </tbody>
    </table>
  `;
}

function SampleItems({ sample, onReview }) {
  return html`
    <section class="review-sample" aria-labelledby="review-sample-heading">
      <h3 id="review-sample-heading">${t('review.sampleHeading')}</h3>
      <p role="status"><${Progress} sample=${sample} /></p>
      <ol class="review-items">
        ${sample.items.map((item, index) => {
          const name = t('review.conversationN', { n: index + 1 });
          return html`
            <li key=${item.conversation.id}>
              <span>${name} · ${t('review.endedAt', { time: ShortDateTime(item.conversation.ended_at) })}</span>
              <span class="meta"> · ${item.reviewed ? t('review.reviewed') : t('review.notReviewed')}</span>
              <button type="button" onClick=${() => onReview(item.conversation.id, name)}
                      aria-label=${t('review.reviewConversation', { name })}>
                ${item.reviewed ? t('review.change') : t('review.score')}
              </button>
            </li>`;
        })}
      </ol>
    </section>
  `;
}

function Transcript({ opened, name }) {
  const visitor = VisitorName(opened.conversation);
  return html`
    <section class="transcript" aria-labelledby="review-transcript-heading">
      <h3 id="review-transcript-heading">${t('review.transcriptOf', { name })}</h3>
      <${TranscriptMessages} messages=${opened.messages} truncated=${opened.truncated} visitor=${visitor} />
    </section>
  `;
}

function RubricForm({ rubric, review, onSave }) {
  const [scores, setScores] = useState(() => {
    const initial = {};
    for (const criterion of rubric.criteria) {
      const given = review?.scores?.[criterion.id];
      initial[criterion.id] = given === undefined ? '' : given === null ? 'na' : String(given);
    }
    return initial;
  });
  const [comment, setComment] = useState(review?.comment ?? '');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const missing = rubric.criteria.filter((criterion) => scores[criterion.id] === '');

  const submit = async (event) => {
    event.preventDefault();
    if (missing.length > 0) {
      setError(t('review.missing', { names: missing.map((criterion) => Label(criterion.label)).join(', ') }));
      return;
    }
    const sent = {};
    for (const criterion of rubric.criteria) {
      const value = scores[criterion.id];
      sent[criterion.id] = value === 'na' ? null : Number(value);
    }
    setError('');
    setBusy(true);
    try {
      await onSave(sent, comment);
    } catch (failure) {
      setError(Failure(failure, 'review.saveFailed'));
    } finally {
      setBusy(false);
    }
  };

  return html`
    <form class="rubric" onSubmit=${submit} aria-labelledby="rubric-heading">
      <h3 id="rubric-heading">${t('review.rubricHeading')}</h3>
      ${rubric.criteria.map((criterion) => {
        const name = `criterion-${criterion.id}`;
        const describedBy = `${name}-good`;
        return html`
          <fieldset key=${criterion.id} aria-describedby=${describedBy}>
            <legend>${Label(criterion.label)}</legend>
            <p class="hint" id=${describedBy}>${Label(criterion.good)}</p>
            ${criterion.levels.map((level) => html`
              <label key=${level.score}>
                <input type="radio" name=${name} value=${String(level.score)}
                       checked=${scores[criterion.id] === String(level.score)}
                       onChange=${() => setScores({ ...scores, [criterion.id]: String(level.score) })} />
                ${level.score} · ${Label(level.label)}
              </label>`)}
            ${criterion.not_applicable
              ? html`<label>
                  <input type="radio" name=${name} value="na" checked=${scores[criterion.id] === 'na'}
                         onChange=${() => setScores({ ...scores, [criterion.id]: 'na' })} />
                  ${t('review.notApplicable')}
                </label>`
              : null}
          </fieldset>`;
      })}
      <label for="review-comment">${t('review.comment')}</label>
      <textarea id="review-comment" maxlength="1000" rows="3" value=${comment}
                aria-describedby="review-comment-hint"
                onInput=${(e) => setComment(e.currentTarget.value)}></textarea>
      <p class="hint" id="review-comment-hint">${t('review.commentHint')}</p>
      <p class="error" role="alert">${error}</p>
      <div class="actions">
        <button type="submit" disabled=${busy}>${t('review.save')}</button>
      </div>
    </form>
  `;
}

export function ReviewPanel({ onClose }) {
  const [rubric, setRubric] = useState(null);
  const [samples, setSamples] = useState(null);
  const [sample, setSample] = useState(null);
  const [opened, setOpened] = useState(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const heading = useRef(null);

  const loadSamples = async () => {
    try {
      setSamples(await ReviewSamples());
    } catch (failure) {
      setError(Failure(failure, 'review.failed'));
    }
  };
  useEffect(() => {
    heading.current?.focus();
    ReviewRubric().then(setRubric).catch((failure) => setError(Failure(failure, 'review.failed')));
    loadSamples();
  }, []);

  // What the member asked to see last: the answer to an earlier ask (a slow transcript, a
  // sample opened before) must not show up under what they went on to.
  const asked = useRef(0);
  const openSample = async (id) => {
    const ask = ++asked.current;
    setError('');
    setOpened(null);
    try {
      const answer = await ReviewSample(id);
      if (ask === asked.current) setSample(answer);
    } catch (failure) {
      if (ask === asked.current) setError(Failure(failure, 'review.failed'));
    }
  };
  const drawn = (fresh) => {
    asked.current += 1;
    setStatus(t('review.drawn', { n: fresh.size, of: fresh.candidates }));
    setSample(fresh);
    setOpened(null);
    loadSamples();
  };
  const openConversation = async (conversationId, name) => {
    const ask = ++asked.current;
    setError('');
    setStatus('');
    try {
      const answer = await ReviewConversation(sample.id, conversationId);
      if (ask === asked.current) setOpened({ ...answer, name });
    } catch (failure) {
      if (ask === asked.current) setError(Failure(failure, 'review.failed'));
    }
  };
  const backToSample = () => {
    asked.current += 1;
    setOpened(null);
  };
  // A colleague's review saved since this one was opened is not replaced unseen: it is shown in
  // the form instead (a form of its own: keyed by the review it shows).
  // What the save shows afterwards shows only while the member is still where they saved: one
  // who went on meanwhile (another sample, back to the list) stays there.
  const save = async (scores, comment) => {
    const ask = asked.current;
    const here = () => ask === asked.current;
    try {
      await SaveReview(sample.id, opened.conversation.id, scores, comment, opened.review?.reviewed_at ?? null);
    } catch (failure) {
      if (failure?.code !== 'aborted') throw failure;
      const answer = await ReviewConversation(sample.id, opened.conversation.id);
      if (here()) setOpened({ ...answer, name: opened.name });
      setError(t('review.changedMeanwhile'));
      return;
    }
    // Saved: a failure to read the sample again after it is no failure of the save (saving again
    // would be refused as a colleague's review).
    if (here()) setOpened(null);
    loadSamples();
    try {
      const fresh = await ReviewSample(sample.id);
      if (here()) setSample(fresh);
      setStatus(t('review.saved', { done: fresh.reviewed, total: fresh.size }));
    } catch (failure) {
      setStatus(t('review.savedOnly'));
      setError(Failure(failure, 'review.failed'));
    }
  };

  return html`
    <section class="panel review" aria-labelledby="review-heading">
      <h2 id="review-heading" ref=${heading} tabindex="-1">${t('review.heading')}</h2>
      <p class="hint">${t('review.explain')}</p>
      <p class="error" role="alert">${error}</p>
      <p role="status">${status}</p>
      <${DrawForm} onDrawn=${drawn} />
      <${SampleList} samples=${samples} current=${sample?.id} onOpen=${openSample} />
      ${sample && !opened ? html`<${SampleItems} sample=${sample} onReview=${openConversation} />` : null}
      ${sample && opened && rubric
        ? html`
            <div class="review-columns">
              <${Transcript} opened=${opened} name=${opened.name} />
              <${RubricForm} key=${`${opened.conversation.id}-${opened.review?.reviewed_at ?? 0}`} rubric=${rubric} review=${opened.review} onSave=${save} />
            </div>
            <div class="actions">
              <button type="button" onClick=${backToSample}>${t('review.backToSample')}</button>
            </div>`
        : null}
      <div class="actions">
        <button type="button" onClick=${onClose}>${t('review.close')}</button>
      </div>
    </section>
  `;
}
