// sigil-web.js: the browser client for Sigil. One ES module without dependencies.
//
//   import { createClient } from 'https://auth.example.com/sigil-web.js';
//   const sigil = createClient();              // Sigil's URL defaults to where this file came from
//   sigil.addEventListener('signed-in', () => ...);
//   sigil.addEventListener('signed-out', (e) => console.log(e.detail.reason));
//   if (!(await sigil.restore())) await sigil.login(username, password);
//   const me = await (await sigil.fetch(sigil.url('me'))).json();
//
// The access token lives in this object's memory only (never in localStorage or a cookie); the refresh
// token is Sigil's HttpOnly cookie, which scripts cannot read. All tabs of one browser share that cookie,
// so they refresh one at a time (Web Locks, or a BroadcastChannel announcement where locks are missing)
// and hand the result to each other. A tab that still races (an older browser, a lost response) presents
// the just-rotated token within Sigil's grace period and gets the same successor, so it does no harm.

/** A failed call to Sigil: HTTP status (0 for a network failure), the problem's `code`, Retry-After. */
export class SigilError extends Error {
  constructor(status, problem = {}, retryAfterSeconds = 0) {
    super(problem.detail || problem.title || (status ? `HTTP ${status}` : 'Network failure'));
    this.name = 'SigilError';
    this.status = status;
    this.code = problem.code || (status ? `http_${status}` : 'network_error');
    this.problem = problem;
    this.retryAfter = retryAfterSeconds;
  }
}

export function createClient(options) {
  return new SigilClient(options);
}

const SKIP = Symbol('lock held elsewhere');
const MAX_BACKOFF_MS = 60_000;

/**
 * Events: `signed-in` (a token after being signed out), `refreshed` (every new token, also one another
 * tab obtained), `signed-out` (detail.reason: `logout`, `logout_everywhere`, or the problem code that
 * ended the session, such as `invalid_refresh_token` or `refresh_token_reused`).
 */
export class SigilClient extends EventTarget {
  #base;
  #margin;
  #locks;
  #lockName;
  #channel = null;
  #token = null;
  #expiresAt = 0;
  #timer = null;
  #inflight = null;
  #outcomes = 0; // bumped by every refresh outcome, ours or another tab's
  #blockedUntil = 0;
  #lastError = null;
  #failures = 0;
  #peerRefreshingUntil = 0;
  #rpId = globalThis.location?.hostname; // until options name it
  #conditional = null; // the AbortController of a pending autofill (conditional UI) request

  /**
   * @param {object} [options]
   * @param {string} [options.baseUrl] Sigil's base URL; defaults to the directory this module was loaded from.
   * @param {number} [options.refreshMargin] seconds before expiry at which to refresh silently (default 60).
   * @param {LockManager|null} [options.locks] Web Locks to use (default navigator.locks; null to use none).
   */
  constructor({ baseUrl = new URL('.', import.meta.url).href, refreshMargin = 60, locks = globalThis.navigator?.locks } = {}) {
    super();
    this.#base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
    this.#margin = refreshMargin * 1000;
    this.#locks = locks || null;
    this.#lockName = `sigil-refresh ${this.#base}`;
    if (typeof BroadcastChannel === 'function') {
      this.#channel = new BroadcastChannel(`sigil ${this.#base}`);
      this.#channel.onmessage = (e) => this.#onMessage(e.data);
    }
    globalThis.document?.addEventListener('visibilitychange', () => {
      // Timers of hidden tabs are throttled: catch up when the tab is shown again.
      if (document.visibilityState === 'visible' && this.#token && this.#expiringSoon()) this.#silentRefresh();
    });
  }

  /** A URL under Sigil's base, e.g. `url('me')`. */
  url(path) {
    return new URL(String(path).replace(/^\/+/, ''), this.#base).href;
  }

  get signedIn() {
    return this.#token !== null;
  }

  /** The current access token (memory only), or null. */
  get accessToken() {
    return this.#token;
  }

  /** Logs in; resolves when signed in, rejects with a SigilError (e.g. code `invalid_credentials`, `mfa_required`). */
  async login(username, password) {
    const res = await this.#call('login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!res.ok) throw await problem(res);
    this.#failures = 0;
    this.#blockedUntil = 0;
    this.#adopt(await res.json(), true);
  }

  /**
   * Passwordless sign-in with a passkey. `conditional: true` runs it as autofill (conditional UI): the promise
   * waits until the user picks a passkey in the username field (`autocomplete="username webauthn"`); abort it
   * with `signal` when the page signs in another way. Rejects with a SigilError (`invalid_credentials`) or the
   * browser's DOMException (`NotAllowedError` when the user cancels).
   */
  async signInWithPasskey({ username, conditional = false, signal } = {}) {
    if (conditional && !(await passkeyAutofillAvailable())) throw new SigilError(0, { code: 'conditional_ui_unavailable' });
    const options = await this.#json('login/passkey/options', username ? { username } : {});
    const credential = conditional
      ? await this.#conditionalGet(requestOptions(options.publicKey), signal)
      : await this.#modal({ publicKey: requestOptions(options.publicKey), signal });
    const res = await this.#call('login/passkey', jsonPost({ ceremony: options.ceremony, credential: credentialJSON(credential) }));
    if (!res.ok) throw await problem(res);
    this.#adopt(await res.json(), true);
  }

  /**
   * Completes a login that answered `mfa_required` with a passkey: pass the SigilError's `problem.mfa_token`.
   * (A code goes to `completeMfa`.)
   */
  async completeMfaWithPasskey(mfaToken) {
    const options = await this.#json('login/mfa/passkey/options', { mfa_token: mfaToken });
    const credential = await this.#modal({ publicKey: requestOptions(options.publicKey) });
    const res = await this.#call('login/mfa', jsonPost({ mfa_token: mfaToken, ceremony: options.ceremony, credential: credentialJSON(credential) }));
    if (!res.ok) throw await problem(res);
    this.#adopt(await res.json(), true);
  }

  /** Completes a login that answered `mfa_required` with a TOTP or recovery code. */
  async completeMfa(mfaToken, code) {
    const res = await this.#call('login/mfa', jsonPost({ mfa_token: mfaToken, code }));
    if (!res.ok) throw await problem(res);
    this.#adopt(await res.json(), true);
  }

  /**
   * Registers a passkey for the signed-in user. `password`: the current one (re-authentication); leave it out
   * after a step-up. Resolves with the passkey (id, name, created, ...).
   */
  async registerPasskey({ password, name } = {}) {
    const options = await this.#authorizedJson('me/passkeys/registration/options', password ? { password } : {});
    await this.#endAutofill(); // a browser runs one ceremony at a time
    const credential = await navigator.credentials.create({ publicKey: creationOptions(options.publicKey) });
    return this.#authorizedJson('me/passkeys/registration', { ceremony: options.ceremony, credential: credentialJSON(credential), name });
  }

  /** Steps this session up with a passkey (user verification), then refreshes so the token carries it. */
  async stepUpWithPasskey() {
    const options = await this.#authorizedJson('me/mfa/passkey/options', {});
    const credential = await this.#modal({ publicKey: requestOptions(options.publicKey) });
    await this.#authorizedJson('me/mfa/verify', { ceremony: options.ceremony, credential: credentialJSON(credential) });
    await this.refresh();
  }

  /**
   * The user's passkeys. Also tells the password manager which of them the server still accepts
   * (`PublicKeyCredential.signalAllAcceptedCredentials`, where the browser has it), so deleted ones disappear.
   */
  async listPasskeys() {
    const res = await this.fetch(this.url('me/passkeys'));
    if (!res.ok) throw await problem(res);
    const passkeys = await res.json();
    const userId = userHandleOf(this.#token);
    if (typeof globalThis.PublicKeyCredential?.signalAllAcceptedCredentials === 'function' && userId) {
      PublicKeyCredential.signalAllAcceptedCredentials({
        rpId: this.#rpId, userId, allAcceptedCredentialIds: passkeys.map((p) => p.credentialId),
      }).catch(() => {});
    }
    return passkeys;
  }

  async renamePasskey(id, name) {
    const res = await this.fetch(this.url(`me/passkeys/${encodeURIComponent(id)}`), jsonRequest('PATCH', { name }));
    if (!res.ok) throw await problem(res);
  }

  /**
   * Deletes a passkey (needs a recent step-up: `stepUpWithPasskey` first), then tells the password manager that
   * the server no longer knows it (`PublicKeyCredential.signalUnknownCredential`, where the browser has it).
   */
  async deletePasskey(passkey) {
    const res = await this.fetch(this.url(`me/passkeys/${encodeURIComponent(passkey.id)}`), { method: 'DELETE' });
    if (!res.ok) throw await problem(res);
    if (typeof globalThis.PublicKeyCredential?.signalUnknownCredential === 'function' && passkey.credentialId) {
      PublicKeyCredential.signalUnknownCredential({ rpId: this.#rpId, credentialId: passkey.credentialId }).catch(() => {});
    }
  }

  /** A modal ceremony: a pending autofill request is aborted first (a browser runs one ceremony at a time). */
  async #modal(options) {
    await this.#endAutofill();
    return navigator.credentials.get(options);
  }

  async #endAutofill() {
    if (!this.#conditional) return;
    this.#conditional.abort();
    await new Promise((resolve) => setTimeout(resolve, 0)); // let the browser settle the aborted request
  }

  async #conditionalGet(publicKey, signal) {
    this.#conditional?.abort();
    const own = new AbortController();
    this.#conditional = own;
    const combined = signal && typeof AbortSignal.any === 'function' ? AbortSignal.any([signal, own.signal]) : own.signal;
    signal?.addEventListener('abort', () => own.abort(), { once: true });
    try {
      return await navigator.credentials.get({ publicKey, mediation: 'conditional', signal: combined });
    } finally {
      if (this.#conditional === own) this.#conditional = null;
    }
  }

  async #json(path, body) {
    const res = await this.#call(path, jsonPost(body));
    if (!res.ok) throw await problem(res);
    const answer = await res.json();
    if (answer.publicKey?.rpId || answer.publicKey?.rp?.id) this.#rpId = answer.publicKey.rpId || answer.publicKey.rp.id;
    return answer;
  }

  async #authorizedJson(path, body) {
    const res = await this.fetch(this.url(path), jsonRequest('POST', body));
    if (!res.ok) throw await problem(res);
    if (res.status === 204) return null;
    const answer = await res.json();
    if (answer.publicKey?.rpId || answer.publicKey?.rp?.id) this.#rpId = answer.publicKey.rpId || answer.publicKey.rp.id;
    return answer;
  }

  /** After a page load: signs in silently from the refresh cookie. True if signed in, false if there is no session. */
  async restore() {
    if (this.#token) return true;
    try {
      return await this.refresh();
    } catch (e) {
      if (e instanceof SigilError && e.status === 401) return false;
      throw e;
    }
  }

  /** Rotates the refresh cookie for a new access token, one tab at a time. Resolves true or rejects with a SigilError. */
  refresh() {
    return this.#coordinated(this.#token);
  }

  /** Logs this session out in every tab (the cookie is shared, so is the session). */
  async logout() {
    const res = await this.#call('refresh-token', { method: 'DELETE' });
    if (!res.ok) throw await problem(res);
    this.#signOut('logout', true);
  }

  /** Revokes every session of the user, on every device, then signs out every tab here. */
  async logoutEverywhere() {
    const res = await this.fetch(this.url('sessions'), { method: 'DELETE' });
    if (!res.ok) throw await problem(res);
    await this.#call('refresh-token', { method: 'DELETE' }).catch(() => {}); // clears the dead cookie
    this.#signOut('logout_everywhere', true);
  }

  /**
   * fetch() with the bearer token. On a 401 bearer challenge it refreshes once and retries once; when the
   * session is gone it returns that 401. Bodies must be replayable (string, Blob, FormData, URLSearchParams).
   */
  async fetch(input, init) {
    const original = new Request(input, init);
    if (this.#token && Date.now() >= this.#expiresAt) await this.refresh().catch(() => {});
    const used = this.#token;
    const res = await fetch(withBearer(original.clone(), used));
    if (res.status !== 401 || !/^Bearer/i.test(res.headers.get('WWW-Authenticate') || '')) return res;
    if (this.#token === used) {
      try {
        await this.#coordinated(used);
      } catch {
        return res;
      }
    }
    return this.#token ? fetch(withBearer(original, this.#token)) : res;
  }

  /** Stops timers and leaves the tab channel (for tests and single-page apps that drop the client). */
  close() {
    clearTimeout(this.#timer);
    this.#channel?.close();
    this.#channel = null;
  }

  // ---- internals ---------------------------------------------------------------------------------

  #call(path, init) {
    return fetch(this.url(path), { ...init, credentials: 'include', cache: 'no-store' });
  }

  /** Single flight in this tab (one promise) and across tabs (the lock). */
  #coordinated(stale) {
    this.#inflight ??= this.#acrossTabs(stale).finally(() => { this.#inflight = null; });
    return this.#inflight;
  }

  async #acrossTabs(stale) {
    const seen = this.#outcomes;
    // Another tab may have refreshed since the caller looked: its token is as good as ours would be.
    const settled = () => this.#outcomes !== seen || (this.#token !== null && this.#token !== stale);
    if (this.#locks) {
      const first = await this.#locks.request(this.#lockName, { ifAvailable: true },
        (lock) => (lock ? (settled() ? this.#fromPeer() : this.#rotate()) : SKIP));
      if (first !== SKIP) return first;
      // Another tab holds the lock: it is refreshing and will broadcast the outcome before releasing.
      return this.#locks.request(this.#lockName, async () => {
        if (!settled()) await this.#nextOutcome(seen, 2000);
        return settled() ? this.#fromPeer() : this.#rotate(); // its tab died mid-refresh: our turn
      });
    }
    if (this.#channel && Date.now() < this.#peerRefreshingUntil) {
      await this.#nextOutcome(seen, 10_000);
      if (settled()) return this.#fromPeer();
    }
    this.#channel?.postMessage({ type: 'refreshing' });
    return this.#rotate();
  }

  /** The outcome another tab broadcast, as if we had obtained it. */
  #fromPeer() {
    if (this.#token) return true;
    if (Date.now() < this.#blockedUntil && this.#lastError) throw this.#lastError;
    throw new SigilError(401, { code: 'signed_out', detail: 'Signed out' });
  }

  async #rotate() {
    if (Date.now() < this.#blockedUntil && this.#lastError) throw this.#lastError;
    let res;
    try {
      res = await this.#call('refresh-token', { method: 'POST', headers: { Accept: 'application/json' } });
    } catch {
      throw this.#backOff(new SigilError(0));
    }
    if (res.ok) {
      this.#failures = 0;
      this.#blockedUntil = 0;
      this.#adopt(await res.json(), true);
      return true;
    }
    const error = await problem(res);
    if (res.status === 401) {
      this.#signOut(error.code, true);
    } else if (res.status === 503 || res.status === 429 || res.status >= 500) {
      throw this.#backOff(error);
    } else {
      this.#outcomes++;
      this.#channel?.postMessage({ type: 'failed' });
    }
    throw error;
  }

  /** Waits Retry-After (or 1, 2, 4 … 60 s without one) before the next attempt, in every tab. */
  #backOff(error) {
    this.#failures++;
    const delay = error.retryAfter > 0 ? error.retryAfter * 1000 : Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.#failures - 1));
    this.#blockedUntil = Date.now() + delay;
    this.#lastError = error;
    this.#outcomes++;
    this.#channel?.postMessage({ type: 'backoff', until: this.#blockedUntil, status: error.status, retryAfter: error.retryAfter });
    if (this.#token) this.#schedule(delay);
    return error;
  }

  #adopt({ access_token: token, expires_in: expiresIn }, broadcast, expiresAt = Date.now() + expiresIn * 1000) {
    const wasSignedIn = this.#token !== null;
    this.#token = token;
    this.#expiresAt = expiresAt;
    this.#outcomes++;
    const lifetime = expiresAt - Date.now();
    this.#schedule(lifetime > 2 * this.#margin ? lifetime - this.#margin : lifetime / 2);
    if (broadcast) this.#channel?.postMessage({ type: 'token', token, expiresAt });
    if (!wasSignedIn) this.dispatchEvent(new CustomEvent('signed-in'));
    this.dispatchEvent(new CustomEvent('refreshed', { detail: { expiresAt } }));
  }

  #signOut(reason, broadcast) {
    const wasSignedIn = this.#token !== null;
    this.#token = null;
    this.#expiresAt = 0;
    this.#outcomes++;
    clearTimeout(this.#timer);
    if (broadcast) this.#channel?.postMessage({ type: 'signed-out', reason });
    if (wasSignedIn) this.dispatchEvent(new CustomEvent('signed-out', { detail: { reason } }));
  }

  #onMessage(m) {
    if (m?.type !== 'refreshing') this.#peerRefreshingUntil = 0; // any outcome ends a peer's refresh
    if (m?.type === 'token' && typeof m.token === 'string') {
      this.#failures = 0;
      this.#blockedUntil = 0;
      this.#adopt({ access_token: m.token }, false, m.expiresAt);
    } else if (m?.type === 'signed-out') {
      this.#signOut(m.reason, false);
    } else if (m?.type === 'backoff') {
      this.#blockedUntil = m.until;
      this.#lastError = new SigilError(m.status, { code: m.status ? 'unavailable' : 'network_error' }, m.retryAfter);
      this.#outcomes++;
      if (this.#token) this.#schedule(m.until - Date.now());
    } else if (m?.type === 'failed') {
      this.#outcomes++;
    } else if (m?.type === 'refreshing') {
      this.#peerRefreshingUntil = Date.now() + 10_000;
    }
  }

  #nextOutcome(seen, timeoutMs) {
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); this.#channel?.removeEventListener('message', check); resolve(); };
      const check = () => queueMicrotask(() => { if (this.#outcomes !== seen) done(); });
      const timer = setTimeout(done, timeoutMs);
      if (!this.#channel || this.#outcomes !== seen) done();
      else this.#channel.addEventListener('message', check);
    });
  }

  #expiringSoon() {
    return this.#expiresAt - Date.now() <= this.#margin;
  }

  #schedule(delayMs) {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#silentRefresh(), Math.max(0, delayMs));
  }

  #silentRefresh() {
    this.#coordinated(this.#token).catch(() => {}); // outcomes arrive as events and back-off
  }
}

function jsonRequest(method, body) {
  return { method, headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) };
}

function jsonPost(body) {
  return jsonRequest('POST', body);
}

/** Whether the browser offers passkeys in autofill (conditional mediation). */
export async function passkeyAutofillAvailable() {
  return typeof PublicKeyCredential === 'function'
    && typeof PublicKeyCredential.isConditionalMediationAvailable === 'function'
    && PublicKeyCredential.isConditionalMediationAvailable();
}

// WebAuthn Level 3 JSON helpers where the browser has them; a small base64url fallback elsewhere.
const b64urlToBytes = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(s.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
const bytesToB64url = (b) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function creationOptions(json) {
  if (typeof globalThis.PublicKeyCredential?.parseCreationOptionsFromJSON === 'function') return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  return {
    ...json,
    challenge: b64urlToBytes(json.challenge),
    user: { ...json.user, id: b64urlToBytes(json.user.id) },
    excludeCredentials: (json.excludeCredentials || []).map((c) => ({ ...c, id: b64urlToBytes(c.id) })),
  };
}

function requestOptions(json) {
  if (typeof globalThis.PublicKeyCredential?.parseRequestOptionsFromJSON === 'function') return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  return { ...json, challenge: b64urlToBytes(json.challenge), allowCredentials: (json.allowCredentials || []).map((c) => ({ ...c, id: b64urlToBytes(c.id) })) };
}

function credentialJSON(credential) {
  if (typeof credential.toJSON === 'function') return credential.toJSON();
  const r = credential.response;
  const response = { clientDataJSON: bytesToB64url(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = bytesToB64url(r.attestationObject);
    response.transports = typeof r.getTransports === 'function' ? r.getTransports() : [];
  } else {
    response.authenticatorData = bytesToB64url(r.authenticatorData);
    response.signature = bytesToB64url(r.signature);
    if (r.userHandle) response.userHandle = bytesToB64url(r.userHandle);
  }
  return { id: credential.id, rawId: bytesToB64url(credential.rawId), type: credential.type, response,
    authenticatorAttachment: credential.authenticatorAttachment, clientExtensionResults: credential.getClientExtensionResults() };
}

/** The WebAuthn user handle of the token's user: the 16 bytes of its `sub` UUID, base64url (as Sigil sets it). */
function userHandleOf(token) {
  try {
    const sub = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sub;
    const hex = sub.replace(/-/g, '');
    return bytesToB64url(Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16)));
  } catch {
    return null;
  }
}

function withBearer(request, token) {
  if (token) request.headers.set('Authorization', `Bearer ${token}`);
  return request;
}

async function problem(res) {
  const body = await res.json().catch(() => ({}));
  return new SigilError(res.status, body, retryAfterSeconds(res.headers.get('Retry-After')));
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110). */
export function retryAfterSeconds(value) {
  if (!value) return 0;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
