// Sigil's own reset and verification pages. The token arrives in the link's query; loading the page (as a
// mail scanner does) only reads it. It is sent once, by the person's click, as a POST. The address bar drops
// it at once, so it is neither bookmarked nor shown; Referrer-Policy: no-referrer keeps it out of Referer.
const page = document.body.dataset.page;
const token = new URLSearchParams(location.search).get('token') || '';
history.replaceState(null, '', location.pathname);

const form = document.getElementById('form');
const result = document.getElementById('result');
const submit = document.getElementById('submit');

function show(text, ok) {
  result.textContent = text;
  result.className = ok ? 'ok' : 'error';
}

const messages = {
  invalid_reset_token: 'This link is unknown, used or expired. Ask for a new one.',
  invalid_verification_token: 'This link is unknown, used or expired.',
  mfa_code_required: 'Your account has a second factor: enter a current code (or a recovery code).',
  rate_limited: 'Too many attempts. Wait a moment and try again.',
};

if (!token) {
  show('This page needs the link from your mail.', false);
  submit.disabled = true;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  submit.disabled = true;
  const body = { token };
  let url = '../email/verify';
  if (page === 'reset') {
    url = '../password-reset/confirm';
    body.new_password = document.getElementById('password').value;
    const code = document.getElementById('code').value.trim();
    if (code) {
      body.code = code;
    }
  }
  try {
    const response = await fetch(url, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      credentials: 'omit', cache: 'no-store',
    });
    if (response.ok) {
      show(page === 'reset' ? 'Your password is set. Sign in with it.' : 'Your address is confirmed.', true);
      return;
    }
    const problem = await response.json().catch(() => ({}));
    show(messages[problem.code] || problem.detail || 'Something went wrong. Try again later.', false);
    // A wrong code or a refused password may be corrected; a dead link may not.
    submit.disabled = problem.code === 'invalid_reset_token' || problem.code === 'invalid_verification_token';
  } catch (e) {
    show('Sigil cannot be reached. Try again later.', false);
    submit.disabled = false;
  }
});
