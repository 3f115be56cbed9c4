// The platform served over HTTPS by the binary itself (tls_cert / tls_key): a visitor and a
// counsellor chat as they would over plain HTTP, every page carries HSTS, and the staff
// session cookie is Secure.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NewContext, NewPage } from './support/browser.mjs';
import {
  CounsellorAccepts,
  CounsellorSays,
  CounsellorSignsIn,
  SeesMessage,
  VisitorSays,
  VisitorStartsChat,
} from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';

const env = ServerAndBrowser('tls', { staff: ['tess'], tls: true });

test('a visitor and a counsellor chat over HTTPS', async () => {
  assert.match(env.server.origin, /^https:\/\/127\.0\.0\.1:\d+$/);
  const visitorContext = await NewContext(env.browser, { ignoreHTTPSErrors: true });
  const counsellorContext = await NewContext(env.browser, { ignoreHTTPSErrors: true });
  const visitor = await NewPage(visitorContext);
  const counsellor = await NewPage(counsellorContext);

  const front = await visitor.goto(`${env.server.origin}/`);
  assert.equal(front.headers()['strict-transport-security'], 'max-age=31536000');

  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Robin' });
  await CounsellorSignsIn(counsellor, env.server.origin, 'tess', kPassword);
  const cookies = await counsellorContext.cookies(env.server.origin);
  assert.ok(cookies.length > 0, 'signed in with a session cookie');
  for (const cookie of cookies) assert.equal(cookie.secure, true, `${cookie.name} is Secure`);

  await CounsellorAccepts(counsellor, 'Robin');
  await CounsellorSays(counsellor, 'Robin', 'Hoi Robin, ik ben er.');
  await SeesMessage(visitor, 'Hoi Robin, ik ben er.');
  await VisitorSays(visitor, 'Fijn dat het veilig gaat.');
  await SeesMessage(counsellor, 'Fijn dat het veilig gaat.');

  assert.deepEqual(visitor.problems, []);
  assert.deepEqual(counsellor.problems, []);
  await visitorContext.close();
  await counsellorContext.close();
});
