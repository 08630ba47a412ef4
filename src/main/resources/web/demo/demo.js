// The demo page's only script (the CSP allows no inline script). Everything goes through sigil-web.js.
import { createClient, passkeyAutofillAvailable } from '../sigil-web.js';

const sigil = createClient();
window.sigil = sigil; // for the browser test and for trying things in the console

const $ = (id) => document.getElementById(id);
const show = (signedIn) => {
  $('signed-in').hidden = !signedIn;
  $('signed-out').hidden = signedIn;
  $('status').textContent = signedIn ? 'Signed in' : 'Signed out';
  $('status').className = signedIn ? 'in' : 'out';
};

sigil.addEventListener('signed-in', () => { show(true); render(); });
sigil.addEventListener('signed-out', (e) => {
  show(false);
  $('login-error').textContent = e.detail.reason === 'logout' || e.detail.reason === 'logout_everywhere'
    ? '' : `Your session ended (${e.detail.reason}).`;
});
sigil.addEventListener('refreshed', (e) => {
  $('me-expiry').textContent = new Date(e.detail.expiresAt).toLocaleTimeString();
});

let mfaToken = null;
let autofill = null; // the pending conditional-UI request, aborted before any other sign-in

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('login-error').textContent = '';
  autofill?.abort();
  try {
    await sigil.login($('username').value, $('password').value);
    $('password').value = '';
  } catch (err) {
    if (err.code === 'mfa_required') {
      mfaToken = err.problem.mfa_token;
      $('mfa-form').hidden = false;
      return;
    }
    $('login-error').textContent = err.retryAfter ? `${err.message} Try again in ${err.retryAfter} s.` : err.message;
  }
});
$('mfa-form').addEventListener('submit', (e) => {
  e.preventDefault();
  signInStep(() => sigil.completeMfa(mfaToken, $('mfa-code').value));
});
$('mfa-passkey').addEventListener('click', () => signInStep(() => sigil.completeMfaWithPasskey(mfaToken)));
$('passkey-login').addEventListener('click', () => {
  autofill?.abort();
  signInStep(() => sigil.signInWithPasskey());
});

async function signInStep(action) {
  $('login-error').textContent = '';
  try {
    await action();
    mfaToken = null;
    $('mfa-form').hidden = true;
  } catch (err) {
    $('login-error').textContent = err.message;
  }
}

/** Passkeys in the username field's autofill (conditional UI), while the page is signed out. */
async function offerAutofill() {
  if (sigil.signedIn || !(await passkeyAutofillAvailable())) return;
  autofill = new AbortController();
  try {
    await sigil.signInWithPasskey({ conditional: true, signal: autofill.signal });
  } catch (err) {
    if (err.name !== 'AbortError' && err.name !== 'NotAllowedError') $('login-error').textContent = err.message;
  }
}

$('passkey-add-form').addEventListener('submit', (e) => {
  e.preventDefault();
  passkeyAction(async () => {
    await sigil.registerPasskey({ password: $('passkey-password').value || undefined, name: `Passkey ${new Date().toLocaleDateString()}` });
    $('passkey-password').value = '';
  });
});
$('passkey-step-up').addEventListener('click', () => passkeyAction(() => sigil.stepUpWithPasskey()));

async function passkeyAction(action) {
  $('passkey-error').textContent = '';
  try {
    await action();
    await render();
  } catch (err) {
    $('passkey-error').textContent = err.message;
  }
}

async function renderPasskeys() {
  const passkeys = await sigil.listPasskeys();
  const claims = JSON.parse(atob(sigil.accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  $('me-amr').textContent = `${(claims.amr || []).join(' + ')} (${claims.acr})`;
  $('passkeys').tBodies[0].replaceChildren(...passkeys.map((p) => {
    const tr = document.createElement('tr');
    tr.dataset.passkey = p.id;
    for (const text of [p.name, when(p.created), when(p.lastUsed), p.backedUp ? 'yes' : 'no']) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    const td = document.createElement('td');
    const rename = document.createElement('button');
    rename.type = 'button';
    rename.textContent = 'Rename';
    rename.addEventListener('click', () => passkeyAction(async () => {
      const name = prompt('New name', p.name);
      if (name) await sigil.renamePasskey(p.id, name);
    }));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'danger';
    remove.textContent = 'Delete';
    remove.addEventListener('click', () => passkeyAction(() => sigil.deletePasskey(p)));
    td.append(rename, remove);
    tr.append(td);
    return tr;
  }));
}
$('refresh').addEventListener('click', () => run(() => sigil.refresh()));
$('logout').addEventListener('click', () => run(() => sigil.logout()));
$('logout-everywhere').addEventListener('click', () => run(() => sigil.logoutEverywhere()));

async function run(action) {
  try {
    await action();
  } catch (err) {
    $('status').textContent = `Error: ${err.message}`;
  }
}

async function getJson(path) {
  const res = await sigil.fetch(sigil.url(path));
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

async function render() {
  try {
    const [me, sessions] = await Promise.all([getJson('me'), getJson('sessions')]);
    $('me-username').textContent = me.username;
    $('me-id').textContent = me.id;
    $('me-email').textContent = me.email ?? '—';
    $('me-roles').textContent = me.roles.length ? me.roles.join(', ') : '—';
    const rows = sessions.map((s) => {
      const tr = document.createElement('tr');
      tr.className = s.current ? 'current' : '';
      tr.dataset.session = s.id;
      for (const text of [s.id.slice(0, 8), when(s.created), when(s.lastUsed), `${s.clientAddress ?? ''} ${agent(s.userAgent)}`]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      const td = document.createElement('td');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Revoke';
      button.addEventListener('click', () => run(async () => {
        const res = await sigil.fetch(sigil.url(`sessions/${encodeURIComponent(s.id)}`), { method: 'DELETE' });
        if (!res.ok && res.status !== 404) throw new Error(`Revoke failed: HTTP ${res.status}`);
        if (s.current) await sigil.logout(); else await render();
      }));
      td.append(button);
      tr.append(td);
      return tr;
    });
    $('sessions').tBodies[0].replaceChildren(...rows);
    await renderPasskeys();
  } catch (err) {
    $('status').textContent = `Error: ${err.message}`;
  }
}

const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
/** "Chrome 156", "Firefox 140" …: the first known product in the user agent, else the agent's first word. */
const agent = (ua) => {
  if (!ua) return '';
  const m = ua.match(/\b(Edg|Firefox|HeadlessChrome|Chrome|Safari)\/(\d+)/);
  return m ? `${m[1] === 'Edg' ? 'Edge' : m[1]} ${m[2]}` : ua.split(/[\s/]/)[0];
};

show(false);
$('status').textContent = 'Restoring session…';
sigil.restore().then((ok) => { if (!ok) { show(false); offerAutofill(); } }, (err) => { show(false); $('login-error').textContent = err.message; });
sigil.addEventListener('signed-out', () => offerAutofill());
