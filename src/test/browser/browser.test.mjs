// Browser checks of sigil-web.js, the demo page and cross-origin use, in Debian's Chromium against a
// real Sigil prod process. Run by dev.sigil.prod.BrowserIT, which starts Sigil and passes:
//   SIGIL_URL (http://localhost:<port>), SIGIL_USER, SIGIL_PASSWORD, APP_PORT (an allowed origin
//   http://localhost:<APP_PORT>, same site), FOREIGN_PORT (http://127.0.0.1:<FOREIGN_PORT>, another site),
//   OTHER_PORT (http://localhost:<OTHER_PORT>, same rp id but not an allowed origin),
//   SCREENSHOT (where to save the signed-in demo page), CHROMIUM (the executable).
// Prints one "ok - <check>" line per check; exits non-zero on the first failure.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import http from 'node:http';

const SIGIL = process.env.SIGIL_URL;
const USER = process.env.SIGIL_USER;
const PASSWORD = process.env.SIGIL_PASSWORD;
const APP = `http://localhost:${process.env.APP_PORT}`;
const FOREIGN = `http://127.0.0.1:${process.env.FOREIGN_PORT}`;
const OTHER = `http://localhost:${process.env.OTHER_PORT}`;
const COOKIE = '__Secure-refresh_token';

// ---- helpers -------------------------------------------------------------------------------------

/** A plain page on another origin: the app (allowed, same site) or a foreign site. */
function serveBlankPage(port, host) {
  const server = http.createServer((req, res) => {
    res.writeHead(req.url === '/' ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>other origin</title><p>other origin</p>');
  });
  return new Promise((resolve) => server.listen(Number(port), host, () => resolve(server)));
}

/** sigil_refresh_total by outcome, from Sigil's own Prometheus endpoint. */
async function refreshCount(outcome) {
  const text = await (await fetch(`${SIGIL}/q/metrics`, { headers: { Accept: 'text/plain' } })).text();
  const line = text.split('\n').find((l) => l.startsWith('sigil_refresh_total{') && l.includes(`outcome="${outcome}"`));
  return line ? Number(line.trim().split(/\s+/).pop()) : 0;
}

/** A JSON POST to Sigil from Node (no browser, no Origin): status and body. */
async function post(path, body, bearer) {
  const headers = { 'Content-Type': 'application/json' };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const res = await fetch(`${SIGIL}/${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

/** CDP's credential ids are base64; WebAuthn's JSON is base64url. */
const b64url = (b64) => b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const b64 = (url) => Buffer.from(url, 'base64url').toString('base64');

async function until(what, probe, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const status = (page) => page.locator('#status');
const signedIn = (page) => status(page).filter({ hasText: 'Signed in' }).waitFor();
const signedOut = (page) => status(page).filter({ hasText: 'Signed out' }).waitFor();
const token = (page) => page.evaluate(() => window.sigil.accessToken);
const refreshCookie = async (context) => (await context.cookies(`${SIGIL}/refresh-token`)).find((c) => c.name === COOKIE);
const meStatus = (page) => page.evaluate(async () => (await window.sigil.fetch(window.sigil.url('me'))).status);

async function demoLogin(page) {
  await page.fill('#username', USER);
  await page.fill('#password', PASSWORD);
  await page.click('#login');
  await signedIn(page);
  await page.locator('#me-username').filter({ hasText: USER }).waitFor();
}

let failures = 0;
async function check(name, body) {
  try {
    await body();
    console.log(`ok - ${name}`);
  } catch (e) {
    failures++;
    console.log(`not ok - ${name}\n  ${String(e.stack || e).split('\n').slice(0, 6).join('\n  ')}`);
  }
}

// ---- the checks ----------------------------------------------------------------------------------

const app = await serveBlankPage(process.env.APP_PORT, 'localhost');
const foreign = await serveBlankPage(process.env.FOREIGN_PORT, '127.0.0.1');
const other = await serveBlankPage(process.env.OTHER_PORT, 'localhost');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  // One browser profile with two tabs on the demo page. Its clock is Playwright's: time runs normally
  // until the test jumps it forward to the tokens' silent-refresh moment.
  const tabs = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await tabs.clock.install();
  const cookieRequests = [];
  tabs.on('requestfinished', async (r) => {
    if (r.url().startsWith(SIGIL)) {
      const headers = await r.allHeaders();
      cookieRequests.push({ method: r.method(), path: new URL(r.url()).pathname, cookie: headers.cookie ?? '' });
    }
  });
  const a = await tabs.newPage();
  const errors = [];
  // A CSP violation or a script error shows here; a 401 answer is logged too and is expected (restore without a session).
  a.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('status of 401')) errors.push(m.text()); });
  a.on('pageerror', (e) => errors.push(String(e)));

  await check('login works on the demo page (no CSP violation, no script error)', async () => {
    await a.goto(`${SIGIL}/demo/`);
    await signedOut(a);
    await demoLogin(a);
    assert.equal(await meStatus(a), 200);
    assert.deepEqual(errors, []);
  });

  await check('document.cookie does not show the refresh cookie, which is HttpOnly, Secure, SameSite=Strict', async () => {
    assert.equal(await a.evaluate(() => document.cookie), '');
    const c = await refreshCookie(tabs);
    assert.ok(c, 'the browser stored the refresh cookie');
    assert.deepEqual([c.httpOnly, c.secure, c.sameSite, c.path, c.domain], [true, true, 'Strict', '/refresh-token', 'localhost']);
  });

  await check('a page reload restores the session by one silent refresh', async () => {
    const rotated = await refreshCount('rotated');
    await a.reload();
    await signedIn(a);
    assert.equal(await refreshCount('rotated'), rotated + 1);
    assert.equal(await meStatus(a), 200);
  });

  const b = await tabs.newPage();
  await b.goto(`${SIGIL}/demo/`);
  await signedIn(b);
  await until('tab A to adopt tab B\'s token', async () => (await token(a)) === (await token(b)));

  await check('two tabs whose tokens expire together both stay signed in, with exactly one rotation', async () => {
    const rotated = await refreshCount('rotated');
    const grace = await refreshCount('grace');
    const before = await token(a);
    // 14.5 minutes on: both tabs' silent-refresh timers (one minute before the 15-minute expiry) fire now.
    await tabs.clock.fastForward(14.5 * 60 * 1000);
    await until('both tabs to hold a new token', async () => {
      const [ta, tb] = [await token(a), await token(b)];
      return ta && ta !== before && ta === tb;
    });
    assert.equal(await refreshCount('rotated'), rotated + 1, 'exactly one rotation');
    assert.equal(await refreshCount('grace'), grace, 'no racing refresh reached Sigil');
    assert.deepEqual([await meStatus(a), await meStatus(b)], [200, 200]);
    await signedIn(a);
    await signedIn(b);
  });

  await check('a tab presenting the just-rotated refresh token after another tab rotated is not logged out', async () => {
    // Tab B's refresh request left with the old cookie before tab A's rotation answered: put the old
    // cookie back, exactly what that request carries.
    const old = await refreshCookie(tabs);
    await a.evaluate(() => window.sigil.refresh());
    const successor = await refreshCookie(tabs);
    assert.notEqual(successor.value, old.value);
    await tabs.addCookies([old]);
    const grace = await refreshCount('grace');
    const rotated = await refreshCount('rotated');
    assert.equal(await b.evaluate(() => window.sigil.refresh()), true);
    assert.equal(await refreshCount('grace'), grace + 1, 'answered within the grace period');
    assert.equal(await refreshCount('rotated'), rotated, 'no second rotation');
    assert.equal((await refreshCookie(tabs)).value, successor.value, 'the same successor as tab A');
    await signedIn(a);
    await signedIn(b);
    assert.equal(await a.evaluate(() => window.sigil.refresh()), true, 'the successor is live');
  });

  await check('the refresh cookie was sent to /refresh-token only', async () => {
    const withCookie = cookieRequests.filter((r) => r.cookie.includes(COOKIE));
    assert.ok(withCookie.length >= 3, `refreshes carried the cookie (${withCookie.length})`);
    assert.deepEqual([...new Set(withCookie.map((r) => r.path))], ['/refresh-token']);
    assert.ok(cookieRequests.some((r) => r.path === '/me' && !r.cookie.includes(COOKIE)), '/me went without it');
    assert.ok(cookieRequests.some((r) => r.path === '/sigil-web.js' && !r.cookie.includes(COOKIE)));
  });

  await check('logout in one tab signs out the other', async () => {
    await a.click('#logout');
    await signedOut(a);
    await signedOut(b);
    assert.equal(await b.evaluate(() => window.sigil.signedIn), false);
    assert.equal(await b.evaluate(() => window.sigil.restore()), false, 'the session is gone at Sigil too');
  });

  await check('the demo page lists sessions, revokes one, and logs out everywhere', async () => {
    // A second session of the same user, from another client.
    const other = await fetch(`${SIGIL}/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: USER, password: PASSWORD }),
    });
    assert.equal(other.status, 200);
    const otherCookie = other.headers.get('set-cookie').split(';')[0];
    await demoLogin(a);
    await signedIn(b);
    const rows = a.locator('#sessions tbody tr');
    await until('at least two sessions listed', async () => (await rows.count()) >= 2);
    await a.locator('#sessions tbody tr.current').waitFor();
    await a.screenshot({ path: process.env.SCREENSHOT, fullPage: true });

    const count = await rows.count();
    await a.locator('#sessions tbody tr:not(.current) button').first().click();
    await until('one session fewer', async () => (await rows.count()) === count - 1);

    const rotated = await refreshCount('rotated');
    await a.click('#refresh');
    await until('the refresh button to rotate', async () => (await refreshCount('rotated')) === rotated + 1);

    await a.click('#logout-everywhere');
    await signedOut(a);
    await signedOut(b);
    const afterAll = await fetch(`${SIGIL}/refresh-token`, { method: 'POST', headers: { Cookie: otherCookie } });
    assert.equal(afterAll.status, 401, 'every session of the user is revoked');
  });

  await tabs.close();

  // A browser without Web Locks: the tabs fall back to announcing their refresh on the BroadcastChannel.
  const legacy = await browser.newContext();
  await legacy.clock.install();
  await legacy.addInitScript(() => Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined }));

  await check('without Web Locks (BroadcastChannel fallback), two tabs expiring together stay signed in with one rotation', async () => {
    const c = await legacy.newPage();
    await c.goto(`${SIGIL}/demo/`);
    assert.equal(await c.evaluate(() => navigator.locks), undefined);
    await signedOut(c);
    await demoLogin(c);
    const d = await legacy.newPage();
    await d.goto(`${SIGIL}/demo/`);
    await signedIn(d);
    await until('tab C to adopt tab D\'s token', async () => (await token(c)) === (await token(d)));
    const rotated = await refreshCount('rotated');
    const grace = await refreshCount('grace');
    const before = await token(c);
    await legacy.clock.fastForward(14.5 * 60 * 1000);
    // A BroadcastChannel announcement is not a lock: two tabs may announce at the same instant. Then
    // both call Sigil, the later one within the grace period gets the same refresh successor, and each
    // tab may end up holding the other's access token (they cross on the channel). Both are valid.
    await until('both tabs to hold a new token', async () => {
      const [tc, td] = [await token(c), await token(d)];
      return tc && td && tc !== before && td !== before;
    });
    await until('the rotation to be counted', async () => (await refreshCount('rotated')) >= rotated + 1);
    assert.equal(await refreshCount('rotated'), rotated + 1, 'exactly one rotation');
    const raced = (await refreshCount('grace')) - grace;
    assert.ok(raced <= 1, `at most one racing refresh (${raced})`);
    if (raced === 0) await until('tab C and tab D to share the token', async () => (await token(c)) === (await token(d)));
    assert.deepEqual([await meStatus(c), await meStatus(d)], [200, 200]);
    await c.click('#logout');
    await signedOut(d);
  });
  await legacy.close();

  // An app on another origin of the same site (http://localhost:<APP_PORT>), allowed by configuration.
  const appContext = await browser.newContext();
  const appPage = await appContext.newPage();
  const load = (page) => page.evaluate(async (sigil) => {
    const { createClient } = await import(`${sigil}/sigil-web.js`);
    window.sigil = createClient(); // Sigil's URL: where the module came from
  }, SIGIL);

  await check('an app on an allowed origin of the same site logs in, refreshes, restores after reload and reads /me', async () => {
    await appPage.goto(`${APP}/`);
    await load(appPage);
    await appPage.evaluate(([u, p]) => window.sigil.login(u, p), [USER, PASSWORD]);
    const me = await appPage.evaluate(async () => (await window.sigil.fetch(window.sigil.url('me'))).json());
    assert.equal(me.username, USER);
    assert.equal(await appPage.evaluate(() => window.sigil.refresh()), true);
    await appPage.reload();
    await load(appPage);
    assert.equal(await appPage.evaluate(() => window.sigil.restore()), true);
  });

  await check('a page on a different site cannot refresh: no cookie sent (SameSite) and 403 (Origin check)', async () => {
    const page = await appContext.newPage(); // same profile: the browser holds the app's refresh cookie
    await page.goto(`${FOREIGN}/`);
    // What the network stack really sent and received (a request that fails CORS reports no headers to the page).
    const cdp = await appContext.newCDPSession(page);
    const ids = new Map();
    const sent = new Map();
    const received = new Map();
    cdp.on('Network.requestWillBeSent', (e) => ids.set(e.requestId, e.request.url));
    cdp.on('Network.requestWillBeSentExtraInfo', (e) => sent.set(e.requestId, e));
    cdp.on('Network.responseReceivedExtraInfo', (e) => received.set(e.requestId, e));
    await cdp.send('Network.enable');
    const rotated = await refreshCount('rotated');
    const outcome = await page.evaluate((url) => fetch(url, { method: 'POST', credentials: 'include' })
      .then((r) => `read ${r.status}`, (e) => e.name), `${SIGIL}/refresh-token`);
    assert.equal(outcome, 'TypeError', 'the page cannot read the answer');
    const id = await until('the refresh request on the wire', () =>
      [...ids].find(([i, url]) => url === `${SIGIL}/refresh-token` && sent.has(i) && received.has(i))?.[0]);
    const { headers, associatedCookies } = sent.get(id);
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    assert.equal(lower.cookie, undefined, 'SameSite=Strict kept the cookie back');
    const held = associatedCookies.find((c) => c.cookie.name === COOKIE);
    // Chromium names it SchemefulSameSiteStrict (and, headless, also blocks third-party cookies: UserPreferences).
    assert.ok(held && held.blockedReasons.some((r) => r.endsWith('SameSiteStrict')), held?.blockedReasons.join());
    assert.deepEqual([lower.origin, lower['sec-fetch-site']], [FOREIGN, 'cross-site']);
    assert.equal(received.get(id).statusCode, 403, 'refused by the Origin check');
    assert.equal(await refreshCount('rotated'), rotated);
    // Had the cookie gone along (a laxer SameSite, an older browser), the Origin check refuses the same
    // request: replay the browser's headers plus the cookie.
    const replay = await fetch(`${SIGIL}/refresh-token`, { method: 'POST',
      headers: { origin: lower.origin, 'sec-fetch-site': lower['sec-fetch-site'], cookie: `${COOKIE}=${held.cookie.value}` } });
    assert.equal(replay.status, 403);
    assert.equal((await replay.json()).code, 'cross_site_request');
    assert.equal(await refreshCount('rotated'), rotated);
    assert.equal(await appPage.evaluate(() => window.sigil.refresh()), true, 'the app\'s session is untouched');
    await page.close();
  });

  await check('a page on a foreign origin cannot read /me, but can read the JWKS', async () => {
    const page = await appContext.newPage();
    await page.goto(`${FOREIGN}/`);
    const bearer = await appPage.evaluate(() => window.sigil.accessToken); // even holding a stolen token
    const me = await page.evaluate(([url, t]) => fetch(url, { headers: { Authorization: `Bearer ${t}` } })
      .then((r) => `read ${r.status}`, (e) => e.name), [`${SIGIL}/me`, bearer]);
    assert.equal(me, 'TypeError');
    const plain = await page.evaluate((url) => fetch(url).then((r) => `read ${r.status}`, (e) => e.name), `${SIGIL}/me`);
    assert.equal(plain, 'TypeError');
    const jwks = await page.evaluate((url) => fetch(url).then((r) => r.json()), `${SIGIL}/.well-known/jwks.json`);
    assert.equal(jwks.keys[0].kty, 'RSA');
    await page.close();
  });

  await check('the app logs out', async () => {
    await appPage.evaluate(() => window.sigil.logout());
    assert.equal(await appPage.evaluate(() => window.sigil.restore()), false);
  });

  // ---- passkeys: a CDP virtual authenticator (CTAP2, internal transport, resident keys, user verification)

  const pk = await browser.newContext({ viewport: { width: 1100, height: 1100 } });
  const p = await pk.newPage();
  const cdp = await pk.newCDPSession(p);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });
  const amr = () => p.locator('#me-amr').textContent();
  const pkConsole = [];
  p.on('console', (m) => pkConsole.push(`${m.type()}: ${m.text()}`));
  p.on('response', async (r) => {
    if (r.url().startsWith(SIGIL) && r.request().method() === 'POST') {
      pkConsole.push(`${r.status()} ${new URL(r.url()).pathname} ${r.request().postData()?.slice(0, 60)} -> ${(await r.text().catch(() => '')).slice(0, 120)}`);
    }
  });
  const withTimeout = (promise, what, ms = 20_000) => Promise.race([promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms))]);
  const signOutDemo = async () => { await p.click('#logout'); await signedOut(p); };

  await check('passkeys: register on the demo page after the password, then sign in without a password', async () => {
    await p.goto(`${SIGIL}/demo/`);
    await signedOut(p);
    await demoLogin(p);
    await p.fill('#passkey-password', PASSWORD);
    await p.click('#passkey-add');
    await withTimeout(p.locator('#passkeys tbody tr').first().waitFor(), 'the registered passkey listed');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].isResidentCredential, true);
    // Signed out, the page offers passkeys in autofill (conditional UI), which the virtual authenticator answers
    // at once when it simulates presence: off until the button's modal ceremony (which aborts the autofill) runs.
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
    await signOutDemo();
    await p.click('#passkey-login');
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true });
    await withTimeout(signedIn(p), 'passwordless sign-in');
    await p.locator('#me-amr').filter({ hasText: 'user' }).waitFor();
    assert.match(await amr(), /^hwk \+ user \(aal2\)$/);
    await p.screenshot({ path: process.env.SCREENSHOT.replace(/\.png$/, '-passkey.png'), fullPage: true });
  });

  await check('passkeys: a bad signature, a missing user verification or user presence are refused with invalid_credentials', async () => {
    await signOutDemo();
    for (const bits of [{ isBogusSignature: true }, { isBadUV: true }, { isBadUP: true }]) {
      await cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId, ...bits });
      const code = await p.evaluate(() => window.sigil.signInWithPasskey().then(() => 'signed in', (e) => e.code));
      assert.equal(code, 'invalid_credentials', JSON.stringify(bits));
    }
    await cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId, isBogusSignature: false, isBadUV: false, isBadUP: false });
  });

  // The ceremonies below run in a second tab on blank pages (no demo page, no autofill), with a copy of the passkey
  // on a virtual authenticator of its own; options and answers go through Node. The copy comes back at the end.
  const authenticatorOptions = { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
    isUserVerified: true, automaticPresenceSimulation: true };
  const q = await pk.newPage();
  const qcdp = await pk.newCDPSession(q);
  await qcdp.send('WebAuthn.enable');
  const { authenticatorId: qa } = await qcdp.send('WebAuthn.addVirtualAuthenticator', { options: authenticatorOptions });
  const [exported] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
  await qcdp.send('WebAuthn.addCredential', { authenticatorId: qa, credential: exported });
  /** The browser's answer to request options on the page's origin; `allow`: credential ids to ask for instead. */
  const assertionOn = (origin, options, allow) => withTimeout(q.goto(`${origin}/`).then(() => q.evaluate(async ([o, ids]) => {
    if (ids) o.allowCredentials = ids.map((id) => ({ type: 'public-key', id }));
    const c = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(o) });
    return c.toJSON();
  }, [options, allow])), `a ceremony on ${origin}`);
  const passwordless = async (origin = APP) => {
    const options = await post('login/passkey/options', {});
    return { ceremony: options.body.ceremony, credential: await assertionOn(origin, options.body.publicKey) };
  };
  const refused = (answer) => assert.deepEqual([answer.status, answer.body.code], [401, 'invalid_credentials'], JSON.stringify(answer.body));

  await check('passkeys: an answer signed on an origin outside sigil.webauthn.origins is refused (and 127.0.0.1 cannot even ask)', async () => {
    refused(await post('login/passkey', await passwordless(OTHER)));
    // Another site entirely: the browser itself will not sign for rp id localhost there.
    const options = await post('login/passkey/options', {});
    const error = await assertionOn(FOREIGN, options.body.publicKey).then(() => 'signed', (e) => e.message);
    assert.match(error, /SecurityError|relying party ID|not a registrable domain/i, error);
    assert.equal((await post('login/passkey', await passwordless(APP))).status, 200, 'the same passkey on an allowed origin');
  });

  await check('passkeys: a replayed answer is refused (the challenge is single-use)', async () => {
    const answer = await passwordless(APP);
    const first = await post('login/passkey', answer);
    assert.equal(first.status, 200);
    assert.ok(first.body.access_token);
    refused(await post('login/passkey', answer));
  });

  await check('passkeys: a cloned authenticator (its counter behind) is refused while the original still works', async () => {
    assert.equal((await post('login/passkey', await passwordless(APP))).status, 200);
    const [original] = (await qcdp.send('WebAuthn.getCredentials', { authenticatorId: qa })).credentials;
    assert.ok(original.signCount >= 2, `counter ${original.signCount}`);
    // The copy answers alone: the original leaves its authenticator for the time of the check.
    await qcdp.send('WebAuthn.removeCredential', { authenticatorId: qa, credentialId: original.credentialId });
    const { authenticatorId: clone } = await qcdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { ...authenticatorOptions, transport: 'usb' },
    });
    try {
      await qcdp.send('WebAuthn.addCredential', { authenticatorId: clone, credential: { ...original, signCount: 0 } });
      refused(await post('login/passkey', await passwordless(APP)));
    } finally {
      await qcdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: clone });
      await qcdp.send('WebAuthn.addCredential', { authenticatorId: qa, credential: original });
    }
    assert.equal((await post('login/passkey', await passwordless(APP))).status, 200, 'the original, its counter ahead');
  });

  await check('passkeys: one user\'s passkey in another user\'s second-factor ceremony is refused (invalid_mfa_code)', async () => {
    const [mine] = (await qcdp.send('WebAuthn.getCredentials', { authenticatorId: qa })).credentials;
    // User B, with a passkey of its own (on the same authenticator, removed again below).
    const b = { username: `b-${Date.now()}`, password: 'b-passkey-password-1' };
    assert.equal((await post('users', b)).status, 201);
    const bToken = (await post('login', b)).body.access_token;
    const reg = await post('me/passkeys/registration/options', { password: b.password }, bToken);
    await q.goto(`${APP}/`);
    const created = await withTimeout(q.evaluate(async (o) => (await navigator.credentials.create(
      { publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(o) })).toJSON(), reg.body.publicKey), 'B registers');
    assert.equal((await post('me/passkeys/registration', { ceremony: reg.body.ceremony, credential: created, name: 'b' }, bToken)).status, 201);
    try {
      const login = await post('login', b);
      assert.equal(login.body.code, 'mfa_required');
      const options = await post('login/mfa/passkey/options', { mfa_token: login.body.mfa_token });
      const credential = await assertionOn(APP, options.body.publicKey, [b64url(mine.credentialId)]);
      assert.equal(credential.id, b64url(mine.credentialId), 'the browser answered with user A\'s passkey');
      const answer = await post('login/mfa', { mfa_token: login.body.mfa_token, ceremony: options.body.ceremony, credential });
      assert.deepEqual([answer.status, answer.body.code], [401, 'invalid_mfa_code'], JSON.stringify(answer.body));
    } finally {
      await qcdp.send('WebAuthn.removeCredential', { authenticatorId: qa, credentialId: b64(created.rawId) });
    }
  });

  // The demo tab's authenticator gets the passkey back as it is now (its counter moved on in the second tab).
  const latest = (await qcdp.send('WebAuthn.getCredentials', { authenticatorId: qa })).credentials
    .find((c) => c.credentialId === exported.credentialId);
  await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: latest.credentialId });
  await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: latest });
  await q.close();

  await check('passkeys: the second factor after the password, then step-up and deletion', async () => {
    // The signed-out page offers passkeys in autofill (conditional UI), which the virtual authenticator would
    // answer at once: without presence it waits, and the modal ceremony below aborts it.
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
    if (await p.evaluate(() => window.sigil.signedIn)) await signOutDemo();
    await p.fill('#username', USER);
    await p.fill('#password', PASSWORD);
    await p.click('#login');
    await p.locator('#mfa-form').waitFor();
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true });
    await p.click('#mfa-passkey');
    await withTimeout(signedIn(p), 'second factor').catch(async (e) => {
      throw new Error(`${e.message}; page says: ${await p.locator('#login-error').textContent()}; console: ${pkConsole.join(' | ')}`);
    });
    await p.locator('#me-amr').filter({ hasText: 'pwd' }).waitFor();
    assert.match(await amr(), /^pwd \+ hwk \+ user \(aal2\)$/);
    await withTimeout(p.evaluate(() => window.sigil.stepUpWithPasskey()), 'step-up');
    await p.locator('#passkeys tbody tr button.danger').click();
    await withTimeout(until('the passkey deleted', async () => (await p.locator('#passkeys tbody tr').count()) === 0), 'deletion');
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false }); // no autofill answer
    await signOutDemo();
    await demoLogin(p); // no factor left: the password alone again
  });
} finally {
  await browser.close();
  app.close();
  foreign.close();
  other.close();
}
console.log(failures === 0 ? 'all browser checks passed' : `${failures} browser check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
