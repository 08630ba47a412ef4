// The reset page in Debian's Chromium, against a real Sigil prod process (dev.sigil.prod.BrowserIT passes
// SIGIL_URL, RESET_USER, RESET_TOKEN: a token just mailed, CHROMIUM). A link scanner fetches the link first
// (GET and HEAD, no cookies); then the person opens it and sets a new password; the link then no longer works.
// Prints one "ok - <check>" line per check; exits non-zero on the first failure.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const SIGIL = process.env.SIGIL_URL;
const USER = process.env.RESET_USER;
const LINK = `${SIGIL}/account/reset-password?token=${process.env.RESET_TOKEN}`;
const NEW_PASSWORD = 'quiet harbour lantern';

async function login(password) {
  return (await fetch(`${SIGIL}/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: USER, password }),
  })).status;
}

for (const method of ['GET', 'HEAD']) {
  const r = await fetch(LINK, { method, headers: { 'User-Agent': 'SafeLinks-Scanner/1.0' } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.match(r.headers.get('content-security-policy'), /default-src 'none'; script-src 'self'/);
}
console.log("ok - a scanner's GET and HEAD of the link");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await (await browser.newContext()).newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));

  await page.goto(LINK);
  await page.waitForFunction(() => location.search === '');
  console.log('ok - the page drops the token from the address bar');

  await page.fill('#password', NEW_PASSWORD);
  await page.click('#submit');
  await page.locator('#result').filter({ hasText: 'Your password is set' }).waitFor({ timeout: 15_000 });
  assert.equal(await login(NEW_PASSWORD), 200);
  console.log('ok - the person sets a new password after the scanner, and signs in with it');
  assert.deepEqual(problems, [], 'no console error or CSP violation');
  console.log('ok - no console error or CSP violation');

  await page.goto(LINK);
  await page.fill('#password', 'another fine password');
  await page.click('#submit');
  await page.locator('#result').filter({ hasText: 'unknown, used or expired' }).waitFor({ timeout: 15_000 });
  assert.ok(await page.locator('#submit').isDisabled());
  console.log('ok - the link works once');
  console.log('all reset checks passed');
} finally {
  await browser.close();
}
