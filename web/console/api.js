// The staff HTTP API: sign-in, who am I, sign-out. The CSRF token from the session lives in
// this module's memory only and goes out as X-CSRF-Token on every state-changing request.
// Failures throw ApiError with the HTTP status, the protocol's error code and message (from
// {"error": {code, message}}; a bare {"error": "sentence"} is taken as the message) and the
// answer's whole body, which may say more (an upload's {"received"}).

export class ApiError extends Error {
  constructor(status, code, message, body = null) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

let csrfToken = null;

// `body`: a value sent as JSON, or a Blob sent as raw bytes. `signal`: an AbortSignal.
// `background`: the console asks on its own (a poll), which does not keep the session from
// idling out.
async function Request(method, path, body, signal = undefined, background = false) {
  const headers = {};
  if (background) headers['X-Uitweg-Background'] = '1';
  const raw = body instanceof Blob;
  if (body !== undefined) headers['Content-Type'] = raw ? 'application/octet-stream' : 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined || raw ? body : JSON.stringify(body),
    credentials: 'same-origin',
    signal,
  });
  if (response.status === 204) return null;
  let json = null;
  try {
    json = await response.json();
  } catch {
    json = null;
  }
  if (!response.ok) {
    const error = json?.error;
    const message = typeof error === 'string' ? error : error?.message ?? '';
    throw new ApiError(response.status, error?.code ?? 'internal', message, json);
  }
  return json;
}

// Returns {username, role, display_name}.
export async function SignIn(username, password, code) {
  const me = await Request('POST', '/api/v1/staff/session', { username, password, code });
  csrfToken = me.csrf_token;
  return me;
}

// The signed-in staff member, or null without a valid session.
// `background`: asked by the console itself (its socket keeps failing), not by the member.
export async function Me({ background = false } = {}) {
  try {
    const me = await Request('GET', '/api/v1/staff/me', undefined, undefined, background);
    csrfToken = me.csrf_token;
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

// Throws when the server did not end the session (the member is still signed in); a session
// that had ended already counts as signed out.
export async function SignOut() {
  try {
    await Request('DELETE', '/api/v1/staff/session');
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  csrfToken = null;
}

// The signed-in member's sessions: [{id, created_at, last_seen_at, current}], newest first.
export async function Sessions() {
  const answer = await Request('GET', '/api/v1/staff/sessions');
  return answer.sessions;
}

// Ends one of them; its consoles are closed at once.
export async function EndSession(id) {
  await Request('DELETE', `/api/v1/staff/sessions/${encodeURIComponent(id)}`);
}

// The audit trail, newest first: [{seq, at, node, account_id, role, action, conversation_id,
// detail}]. `filter`: {account, action, conversation, before, limit}; empty values are left out.
export async function AuditEntries(filter = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const suffix = query.toString() ? `?${query}` : '';
  const answer = await Request('GET', `/api/v1/audit${suffix}`);
  return answer.entries;
}

// Account administration (admins): every account, newest knowledge of each.
export async function Accounts() {
  const answer = await Request('GET', '/api/v1/admin/accounts');
  return answer.accounts;
}

// Invites a colleague: {account, setup_link}.
export async function InviteAccount(username, role, displayName) {
  return Request('POST', '/api/v1/admin/accounts', {
    username,
    role,
    display_name: displayName,
  });
}

// change: 'role' (body {role}), 'disable', 'enable', 'reset-password', 'reset-2fa'.
// Returns {account, setup_link?}.
export async function ChangeAccount(id, change, body = {}) {
  return Request('POST', `/api/v1/admin/accounts/${encodeURIComponent(id)}/${change}`, body);
}

export async function Team() {
  return (await Request('GET', '/api/v1/team')).team;
}

export async function SetCapacity(id, capacity) {
  return (await Request('POST', `/api/v1/team/${encodeURIComponent(id)}/capacity`, { capacity })).member;
}

// The counsellor's own ended conversations in [since, until) (Unix ms), newest first.
export async function History(since, until) {
  const query = new URLSearchParams({ since: String(since), until: String(until) });
  return (await Request('GET', `/api/v1/history?${query}`)).conversations;
}

// One of them in full: {conversation, messages}. Reading it is recorded in the audit trail.
export async function HistoryConversation(id) {
  return Request('GET', `/api/v1/history/${encodeURIComponent(id)}`);
}

// The team's canned responses: [{id, title, body, language, tags, updated_at}].
export async function CannedResponses() {
  return (await Request('GET', '/api/v1/canned')).responses;
}

// Supervisors: add (no id) or change a response; returns it as stored.
export async function SaveCanned(id, response) {
  const path = id ? `/api/v1/canned/${encodeURIComponent(id)}` : '/api/v1/canned';
  return (await Request('POST', path, response)).response;
}

export async function DeleteCanned(id) {
  return Request('DELETE', `/api/v1/canned/${encodeURIComponent(id)}`);
}

// The opening hours ({weekly, exceptions, open, changes_at}), for admins.
export async function OpeningHours() {
  return Request('GET', '/api/v1/admin/opening-hours');
}

export async function SetOpeningHours(hours) {
  return Request('POST', '/api/v1/admin/opening-hours', hours);
}

// Messages visitors left that nobody has taken yet, oldest first.
// `background`: read by a poll, not because the member asked.
export async function MessagesLeft({ background = false } = {}) {
  return (await Request('GET', '/api/v1/messages-left', undefined, undefined, background)).messages;
}

// Colleagues who could take a conversation over now ({id, display_name}), oneself not included.
export async function Colleagues() {
  return (await Request('GET', '/api/v1/colleagues')).colleagues;
}

// The registration form ({version, fields}); the same for the whole session.
let registrationForm = null;
export async function RegistrationFormDefinition() {
  registrationForm ??= (await Request('GET', '/api/v1/registration-form')).form;
  return registrationForm;
}

export async function Registration(conversationId) {
  return (await Request('GET', `/api/v1/registrations/${encodeURIComponent(conversationId)}`)).registration;
}

// answers: {field: [option ids]}; complete: every required field answered.
export async function SaveRegistration(conversationId, answers, complete) {
  return (
    await Request('POST', `/api/v1/registrations/${encodeURIComponent(conversationId)}`, { answers, complete })
  ).registration;
}

// The directory of receiving organisations.
export async function Organisations() {
  return (await Request('GET', '/api/v1/organisations')).organisations;
}

export async function AddOrganisation(organisation) {
  return (await Request('POST', '/api/v1/organisations', organisation)).organisation;
}

export async function ChangeOrganisation(id, organisation) {
  return (await Request('POST', `/api/v1/organisations/${encodeURIComponent(id)}`, organisation)).organisation;
}

// After the visitor's yes to the consent request at `requestSeq`.
export async function Refer(conversationId, requestSeq, agreed, contact) {
  return (
    await Request('POST', '/api/v1/referrals', { conversation_id: conversationId, request_seq: requestSeq, agreed, contact })
  ).referral;
}

// `background`: read by a poll, not because the member asked.
export async function Referrals({ background = false } = {}) {
  return (await Request('GET', '/api/v1/referrals', undefined, undefined, background)).referrals;
}

// `from`: the status the member saw; 409 when a colleague changed it meanwhile.
export async function SetReferralStatus(id, from, status) {
  return (await Request('POST', `/api/v1/referrals/${encodeURIComponent(id)}/status`, { from, status })).referral;
}

// The visitor's information pages: every page in every language, with its newest version.
export async function ContentPages() {
  return (await Request('GET', '/api/v1/admin/content')).pages;
}

// One page: its text (the newest, `version`, or the built-in one), and every version without
// texts.
export async function ContentPage(slug, language, version = 0, builtIn = false) {
  const query = builtIn ? '?built_in=1' : version ? `?version=${encodeURIComponent(version)}` : '';
  return Request('GET', `/api/v1/admin/content/${encodeURIComponent(slug)}/${encodeURIComponent(language)}${query}`);
}

// Saves `body` as the next version; `basedOn` is the version the editor started from.
export async function SaveContentPage(slug, language, body, basedOn, restoredFrom = 0) {
  return Request('POST', `/api/v1/admin/content/${encodeURIComponent(slug)}/${encodeURIComponent(language)}`, {
    body,
    based_on: basedOn,
    restored_from: restoredFrom,
  });
}

// {title, html}: the page as visitors would see it.
export async function PreviewContent(body) {
  return Request('POST', '/api/v1/admin/content/preview', { body });
}

// The insights dashboard for a URLSearchParams of from, to, campaign and region.
export async function Insights(params) {
  return Request('GET', `/api/v1/insights${params.size ? `?${params}` : ''}`);
}

// The last run of the emerging-words job: {running, lexicon_version, categories, computed_at
// (null before the first run), windows, recent_conversations, baseline_conversations,
// min_conversations, terms: [{term, recent, baseline, ratio}]}.
// `background`: read by a poll, not because the member asked.
export async function EmergingWords({ background = false } = {}) {
  return Request('GET', '/api/v1/insights/emerging', undefined, undefined, background);
}

// Starts a run over the last four weeks against the twelve before (analysts and admins).
export async function RunEmergingWords() {
  return Request('POST', '/api/v1/insights/emerging', {});
}

// The methodology review's scores per criterion and `period` ('month' or 'week') of the
// conversations that ended from `from` to `to` (YYYY-MM-DD), with the rubric.
export async function Methodology(from, to, period) {
  const query = new URLSearchParams({ from, to, period });
  return Request('GET', `/api/v1/insights/methodology?${query}`);
}

// Methodology review (supervisors): the rubric, their samples with progress, drawing one, a
// sampled conversation's transcript with its review, and saving the scores.
export async function ReviewRubric() {
  return (await Request('GET', '/api/v1/reviews/rubric')).rubric;
}

export async function ReviewSamples() {
  return (await Request('GET', '/api/v1/reviews/samples')).samples;
}

// `draw`: {from, to (YYYY-MM-DD), size, only_unreviewed}.
export async function DrawReviewSample(draw) {
  return (await Request('POST', '/api/v1/reviews/samples', draw)).sample;
}

export async function ReviewSample(id) {
  return (await Request('GET', `/api/v1/reviews/samples/${encodeURIComponent(id)}`)).sample;
}

// {conversation, messages, review (or null)}.
export async function ReviewConversation(sampleId, conversationId) {
  return Request(
    'GET',
    `/api/v1/reviews/samples/${encodeURIComponent(sampleId)}/conversations/${encodeURIComponent(conversationId)}`,
  );
}

// `scores`: {criterion: level score, or null for not applicable}. `basedOn`: the reviewed_at of
// the review shown, or null for none (409 when a colleague saved one since).
export async function SaveReview(sampleId, conversationId, scores, comment, basedOn) {
  return (
    await Request(
      'POST',
      `/api/v1/reviews/samples/${encodeURIComponent(sampleId)}/conversations/${encodeURIComponent(conversationId)}`,
      { scores, comment, based_on: basedOn },
    )
  ).review;
}

// The partners that receive reports ({partners, version}); SavePartners replaces the whole list
// (admins) while it is still the version `basedOn`, and answers as Partners.
export async function Partners() {
  return Request('GET', '/api/v1/insights/partners');
}

export async function SavePartners(partners, basedOn) {
  return Request('POST', '/api/v1/insights/partners', { partners, based_on: basedOn });
}

// The campaign codes with what each brought from `from` to `to` (YYYY-MM-DD; default 30 days).
export async function Campaigns(from = '', to = '') {
  const query = new URLSearchParams();
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  return Request('GET', `/api/v1/campaigns${query.size ? `?${query}` : ''}`);
}

export async function CreateCampaign(code, label) {
  return Request('POST', '/api/v1/campaigns', { code, label });
}

export async function RetireCampaign(code) {
  return Request('POST', `/api/v1/campaigns/${encodeURIComponent(code)}/retire`);
}

// {url, svg}: the campaign link for this site and its QR code.
export async function CampaignQr(code) {
  const base = encodeURIComponent(location.origin);
  return Request('GET', `/api/v1/campaigns/${encodeURIComponent(code)}/qr?base=${base}`);
}

// Outreach review (analysts): the scans of channel exports, their findings and verdicts, and
// the lexicon.
const kOutreach = '/api/v1/outreach';

// {scans: [scan, ...] newest first, import_folder: whether a server path may be scanned}.
export async function OutreachScans() {
  return Request('GET', `${kOutreach}/scans`);
}

// `background`: read by a poll, not because the member asked.
export async function OutreachScan(id, { background = false } = {}) {
  return Request('GET', `${kOutreach}/scans/${encodeURIComponent(id)}`, undefined, undefined, background);
}

// {id, chunk_bytes}: a place for a file of `size` bytes, to be sent in chunks.
export async function CreateOutreachUpload(name, size, signal) {
  return Request('POST', `${kOutreach}/uploads`, { name, size }, signal);
}

// Appends `chunk` (a Blob) at `offset`; answers {received}. A 409 carries {received} too.
export async function SendOutreachChunk(id, offset, chunk, signal) {
  return Request('PUT', `${kOutreach}/uploads/${encodeURIComponent(id)}?offset=${offset}`, chunk, signal);
}

// `source`: {upload: id} or {path: server path}. Answers the scan, queued.
export async function StartOutreachScan(source) {
  return Request('POST', `${kOutreach}/scans`, source);
}

export async function CancelOutreachScan(id) {
  return Request('POST', `${kOutreach}/scans/${encodeURIComponent(id)}/cancel`);
}

export async function DeleteOutreachScan(id) {
  return Request('DELETE', `${kOutreach}/scans/${encodeURIComponent(id)}`);
}

// {total, findings} ranked by score. `verdict`: none, any, recruitment, not_recruitment, unsure
// or every.
export async function OutreachFindings(scanId, verdict, after, limit) {
  const query = new URLSearchParams({ verdict, after: String(after), limit: String(limit) });
  return Request('GET', `${kOutreach}/scans/${encodeURIComponent(scanId)}/findings?${query}`);
}

// {findings, channels}: every post of near-duplicate cluster `n`.
export async function OutreachCluster(scanId, n) {
  return Request('GET', `${kOutreach}/scans/${encodeURIComponent(scanId)}/clusters/${encodeURIComponent(n)}`);
}

// The finding with its verdict (recruitment, not_recruitment or unsure).
export async function SetOutreachVerdict(findingId, verdict) {
  return Request('PUT', `${kOutreach}/findings/${encodeURIComponent(findingId)}/verdict`, { verdict });
}

// Where a scan's recruitment findings download (format csv or json), and the labelled verdicts
// between two days (YYYY-MM-DD) as JSON lines.
export function OutreachExportUrl(scanId, format) {
  return `${kOutreach}/scans/${encodeURIComponent(scanId)}/export?format=${encodeURIComponent(format)}`;
}

export function OutreachVerdictsUrl(from, to) {
  return `${kOutreach}/verdicts.jsonl?${new URLSearchParams({ from, to })}`;
}

// {version, toml, terms}.
export async function OutreachLexicon() {
  return Request('GET', `${kOutreach}/lexicon`);
}

export async function OutreachLexiconVersions() {
  return (await Request('GET', `${kOutreach}/lexicon/versions`)).versions;
}

// term: {based_on, text, category, weight, variants, note}; answers the new lexicon.
export async function AddLexiconTerm(term) {
  return Request('POST', `${kOutreach}/lexicon/terms`, term);
}

export async function RetireLexiconTerm(basedOn, term, note) {
  return Request('POST', `${kOutreach}/lexicon/retire`, { based_on: basedOn, term, note });
}

// {findings_checked, hits, examples}: the term alone over the findings of the last 10 scans.
export async function TestLexiconTerm(term) {
  return Request('POST', `${kOutreach}/lexicon/test`, term);
}
