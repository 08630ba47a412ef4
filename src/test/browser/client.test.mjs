// Unit tests of sigil-web.js under Node (no browser): fetch is stubbed, one tab, no Web Locks.
// Run by BrowserIT with `node --test`; the module's path comes from SIGIL_WEB_JS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';

const { createClient, SigilError, retryAfterSeconds } = await import(pathToFileURL(process.env.SIGIL_WEB_JS).href);
const BASE = 'http://sigil.test/';

/** Replaces fetch with `handler(request)`; returns the list of requests seen. */
function stubFetch(handler) {
  const seen = [];
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    seen.push(request);
    return handler(request, seen.length);
  };
  return seen;
}

const json = (status, body, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const tokens = (n) => json(200, { access_token: `t${n}`, token_type: 'Bearer', expires_in: 900 });

test('a 503 on refresh backs off for Retry-After seconds without calling Sigil again', async () => {
  const seen = stubFetch(() => json(503, { code: 'unavailable' }, { 'Retry-After': '7' }));
  const sigil = createClient({ baseUrl: BASE, locks: null });
  try {
    const first = await sigil.refresh().catch((e) => e);
    assert.ok(first instanceof SigilError);
    assert.equal(first.status, 503);
    assert.equal(first.retryAfter, 7);
    const second = await sigil.refresh().catch((e) => e);
    assert.equal(second.code, 'unavailable');
    assert.equal(seen.length, 1, 'no request during the back-off');
  } finally {
    sigil.close();
  }
});

test('fetch adds the bearer and, on a 401 challenge, refreshes once and retries once', async () => {
  const seen = stubFetch((r) => {
    if (r.url.endsWith('/login')) return tokens(1);
    if (r.url.endsWith('/refresh-token')) return tokens(2);
    return r.headers.get('Authorization') === 'Bearer t2'
      ? json(200, { username: 'ann' })
      : json(401, { code: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  });
  const sigil = createClient({ baseUrl: BASE, locks: null });
  try {
    await sigil.login('ann', 'secret-password');
    const res = await sigil.fetch(sigil.url('me'));
    assert.equal(res.status, 200);
    assert.deepEqual(seen.map((r) => `${r.method} ${new URL(r.url).pathname} ${r.headers.get('Authorization') ?? ''}`), [
      'POST /login ', 'GET /me Bearer t1', 'POST /refresh-token ', 'GET /me Bearer t2']);
    assert.equal(seen[2].credentials, 'include');
  } finally {
    sigil.close();
  }
});

test('fetch gives up after one refresh when the retry is refused again', async () => {
  const seen = stubFetch((r) => (r.url.endsWith('/refresh-token') ? tokens(seen.length)
    : json(401, {}, { 'WWW-Authenticate': 'Bearer error="invalid_token"' })));
  const sigil = createClient({ baseUrl: BASE, locks: null });
  try {
    await sigil.refresh();
    const res = await sigil.fetch(sigil.url('me'));
    assert.equal(res.status, 401);
    assert.equal(seen.filter((r) => r.url.endsWith('/refresh-token')).length, 2);
  } finally {
    sigil.close();
  }
});

test('concurrent refreshes in one tab share one request', async () => {
  const seen = stubFetch(() => tokens(1));
  const sigil = createClient({ baseUrl: BASE, locks: null });
  try {
    assert.deepEqual(await Promise.all([sigil.refresh(), sigil.refresh(), sigil.refresh()]), [true, true, true]);
    assert.equal(seen.length, 1);
    assert.equal(sigil.accessToken, 't1');
  } finally {
    sigil.close();
  }
});

test('a refused refresh signs out with the problem code as the reason', async () => {
  stubFetch((r) => (r.url.endsWith('/login') ? tokens(1) : json(401, { code: 'refresh_token_reused' })));
  const sigil = createClient({ baseUrl: BASE, locks: null });
  const events = [];
  sigil.addEventListener('signed-in', () => events.push('signed-in'));
  sigil.addEventListener('signed-out', (e) => events.push(`signed-out ${e.detail.reason}`));
  try {
    await sigil.login('ann', 'secret-password');
    await assert.rejects(sigil.refresh(), { status: 401, code: 'refresh_token_reused' });
    assert.equal(sigil.signedIn, false);
    assert.equal(sigil.accessToken, null);
    assert.deepEqual(events, ['signed-in', 'signed-out refresh_token_reused']);
  } finally {
    sigil.close();
  }
});

test('restore answers false when there is no session', async () => {
  stubFetch(() => json(401, { code: 'invalid_refresh_token' }));
  const sigil = createClient({ baseUrl: BASE, locks: null });
  try {
    assert.equal(await sigil.restore(), false);
  } finally {
    sigil.close();
  }
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  assert.equal(retryAfterSeconds('12'), 12);
  assert.equal(retryAfterSeconds(null), 0);
  assert.equal(retryAfterSeconds('soon'), 0);
  const inAMinute = new Date(Date.now() + 60_000).toUTCString();
  assert.ok(Math.abs(retryAfterSeconds(inAMinute) - 60) <= 1);
});

/** A browser's WebAuthn surface, stubbed: navigator.credentials and PublicKeyCredential's static helpers. */
function stubWebAuthn() {
  const calls = [];
  const credential = { toJSON: () => ({ id: 'cred', type: 'public-key', response: {} }) };
  globalThis.navigator = { credentials: {
    get: async (options) => { calls.push(['get', options]); return credential; },
    create: async (options) => { calls.push(['create', options]); return credential; },
  } };
  globalThis.PublicKeyCredential = class {
    static parseRequestOptionsFromJSON(json) { calls.push(['parseRequest', json]); return { parsed: json }; }
    static parseCreationOptionsFromJSON(json) { calls.push(['parseCreation', json]); return { parsed: json }; }
    static async signalUnknownCredential(o) { calls.push(['signalUnknown', o]); }
    static async signalAllAcceptedCredentials(o) { calls.push(['signalAll', o]); }
  };
  return calls;
}

test('a passwordless sign-in posts credential.toJSON() with the ceremony and signs in', async () => {
  const calls = stubWebAuthn();
  const seen = stubFetch((request) => (request.url.endsWith('/login/passkey/options')
    ? json(200, { ceremony: 'c1', publicKey: { challenge: 'abc', rpId: 'example.com' } })
    : tokens(1)));
  const sigil = createClient({ baseUrl: BASE, locks: null });
  try {
    await sigil.signInWithPasskey();
    assert.equal(sigil.accessToken, 't1');
    assert.deepEqual(calls.map((c) => c[0]), ['parseRequest', 'get']);
    assert.deepEqual(calls[1][1].publicKey, { parsed: { challenge: 'abc', rpId: 'example.com' } });
    assert.equal(calls[1][1].mediation, undefined);
    assert.deepEqual(await seen[1].json(), { ceremony: 'c1', credential: { id: 'cred', type: 'public-key', response: {} } });
  } finally {
    sigil.close();
  }
});

test('deleting a passkey tells the password manager the server no longer knows it', async () => {
  const calls = stubWebAuthn();
  const payload = Buffer.from(JSON.stringify({ sub: '00000000-0000-0000-0000-000000000001' })).toString('base64url');
  stubFetch((request) => {
    if (request.url.endsWith('/login')) return json(200, { access_token: `h.${payload}.s`, token_type: 'Bearer', expires_in: 900 });
    if (request.method === 'GET') return json(200, [{ id: 'p1', credentialId: 'AAAA' }]);
    return new Response(null, { status: 204 });
  });
  const sigil = createClient({ baseUrl: BASE, locks: null });
  try {
    await sigil.login('ann', 'secret-password');
    const [passkey] = await sigil.listPasskeys();
    await sigil.deletePasskey(passkey);
    const signals = calls.filter((c) => c[0].startsWith('signal'));
    assert.deepEqual(signals[0], ['signalAll', { rpId: undefined, userId: 'AAAAAAAAAAAAAAAAAAAAAQ', allAcceptedCredentialIds: ['AAAA'] }]);
    assert.deepEqual(signals[1], ['signalUnknown', { rpId: undefined, credentialId: 'AAAA' }]);
  } finally {
    sigil.close();
  }
});
