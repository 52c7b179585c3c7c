// Stand-in for Google's client script (reference provider, tests only), served at Google's path /gsi/client. Like
// Google's, it reads the page's #g_id_onload element when it runs, shows the One Tap prompt, and posts the credential
// with g_csrf_token (also set as a cookie, for the double-submit check) to the element's data-login_uri. The
// credential comes from the provider (POST /one-tap-stand-in/credential), which its Experience API then verifies.
// Google draws its prompt in an iframe; this one is a plain dialog in the page, labelled, usable with the keyboard.
// Also `google.accounts.id.{initialize, prompt, cancel}` for pages that drive One Tap from script.
(() => {
  const script = document.currentScript;
  const scriptUrl = new URL(script ? script.src : location.href);
  const PROMPT_ID = 'credential_picker_container';
  let settings = null;

  const readOnload = () => {
    const element = document.getElementById('g_id_onload');
    if (!element) return null;
    const data = element.dataset;
    return {
      client_id: data.client_id,
      login_uri: data.login_uri,
      auto_select: data.auto_select === 'true',
      cancel_on_tap_outside: data.cancel_on_tap_outside !== 'false',
      itp_support: data.itp_support === 'true',
      context: data.context || 'signin',
    };
  };

  function cancel() {
    document.getElementById(PROMPT_ID)?.remove();
    document.removeEventListener('click', onClickOutside, true);
  }

  function onClickOutside(event) {
    const prompt = document.getElementById(PROMPT_ID);
    if (prompt && !prompt.contains(event.target) && settings?.cancel_on_tap_outside) cancel();
  }

  async function signIn(email, name, status) {
    let credential = null;
    try {
      const response = await fetch('/one-tap-stand-in/credential', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: settings.client_id, email, name }),
      });
      credential = (await response.json()).credential || null;
    } catch {
      credential = null;
    }
    if (!credential) {
      status.textContent = 'Google could not sign you in. Try again.';
      return;
    }
    const csrf = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    document.cookie = `g_csrf_token=${csrf}; path=/; samesite=lax`;
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = settings.login_uri;
    form.hidden = true;
    for (const [key, value] of [['credential', credential], ['g_csrf_token', csrf], ['select_by', 'user']]) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = key;
      input.value = value;
      form.append(input);
    }
    document.body.append(form);
    form.submit();
  }

  function prompt() {
    cancel();
    if (!settings?.client_id || !settings.login_uri) return;
    const verb = settings.context === 'signup' ? 'Sign up to' : 'Sign in to';
    const dialog = document.createElement('div');
    dialog.id = PROMPT_ID;
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-labelledby', 'stand-in-one-tap-title');
    dialog.dataset.clientId = settings.client_id;
    dialog.dataset.context = settings.context;
    dialog.dataset.autoSelect = String(settings.auto_select);
    dialog.dataset.language = scriptUrl.searchParams.get('hl') || '';
    dialog.style.cssText =
      'position:fixed;top:16px;right:16px;z-index:2147483647;width:min(360px,calc(100vw - 32px));box-sizing:border-box;' +
      'padding:16px;background:#fff;color:#1f1f1f;border-radius:8px;box-shadow:0 2px 12px rgba(0,0,0,.3);' +
      'font:14px/1.4 system-ui,sans-serif;text-align:left';
    const title = document.createElement('p');
    title.id = 'stand-in-one-tap-title';
    title.style.cssText = 'margin:0 0 8px;font-weight:600';
    title.textContent = `${verb} ${location.host} with Google`;
    const field = (label, type, value) => {
      const wrap = document.createElement('label');
      wrap.style.cssText = 'display:block;margin-top:8px';
      wrap.textContent = label;
      const input = document.createElement('input');
      input.type = type;
      input.value = value;
      input.autocomplete = 'off';
      input.style.cssText = 'display:block;width:100%;box-sizing:border-box;margin-top:2px;padding:6px;font:inherit;color:#1f1f1f;background:#fff;border:1px solid #5f6368;border-radius:4px';
      wrap.append(input);
      return [wrap, input];
    };
    const [emailLabel, email] = field('Google account', 'email', 'one.tap@example.com');
    const [nameLabel, name] = field('Name', 'text', 'One Tap User');
    const status = document.createElement('p');
    status.setAttribute('role', 'status');
    status.style.cssText = 'margin:8px 0 0;color:#b3261e';
    const button = (text, styles) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = text;
      b.style.cssText = `font:inherit;padding:6px 12px;border-radius:4px;cursor:pointer;${styles}`;
      return b;
    };
    const go = button('Continue', 'background:#0b57d0;color:#fff;border:1px solid #0b57d0');
    const close = button('Close', 'background:#fff;color:#1f1f1f;border:1px solid #5f6368');
    go.addEventListener('click', () => signIn(email.value.trim(), name.value.trim(), status));
    close.addEventListener('click', cancel);
    dialog.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') cancel();
    });
    const actions = document.createElement('div');
    actions.style.cssText = 'display:flex;gap:8px;margin-top:12px';
    actions.append(go, close);
    dialog.append(title, emailLabel, nameLabel, actions, status);
    document.body.append(dialog);
    document.addEventListener('click', onClickOutside, true);
  }

  window.google = window.google || {};
  window.google.accounts = window.google.accounts || {};
  window.google.accounts.id = {
    initialize(options) {
      settings = { cancel_on_tap_outside: true, context: 'signin', ...options };
    },
    prompt,
    cancel,
    disableAutoSelect() {},
  };

  settings = readOnload();
  if (settings) prompt();
})();
