// Stand-in for the captcha vendors' client scripts (reference provider, tests only): Cloudflare Turnstile's
// `window.turnstile` when served at /turnstile/v0/api.js, reCAPTCHA Enterprise's `window.grecaptcha.enterprise` at
// /recaptcha/enterprise.js. Same public API (render, execute, getResponse, reset, remove, ready, callbacks); a
// challenge is answered by the provider (POST /captcha-stand-in/challenge), whose tokens its Experience API verifies.
// The checkbox is a real checkbox with a label (the vendors' own widgets live in iframes and are theirs to make
// accessible); it carries the theme and language it was given as data attributes.
(() => {
  const script = document.currentScript;
  const scriptUrl = new URL(script ? script.src : location.href);
  const recaptcha = scriptUrl.pathname.includes('/recaptcha/');
  const widgets = new Map();
  let counter = 0;

  // Relative to the page: the provider that serves the page answers for the vendor.
  async function challenge(sitekey) {
    try {
      const response = await fetch('/captcha-stand-in/challenge', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sitekey }),
      });
      const body = await response.json();
      return body.token || null;
    } catch {
      return null;
    }
  }

  const call = (fn, ...args) => {
    if (typeof fn === 'function') fn(...args);
    else if (typeof fn === 'string' && typeof window[fn] === 'function') window[fn](...args);
  };

  function drawCheckbox(widget) {
    const label = document.createElement('label');
    label.className = 'stand-in-captcha';
    label.dataset.theme = widget.options.theme || 'auto';
    label.dataset.language = widget.options.language || widget.language || '';
    label.dataset.vendor = recaptcha ? 'recaptcha-enterprise' : 'turnstile';
    const box = document.createElement('input');
    box.type = 'checkbox';
    const text = document.createElement('span');
    text.textContent = "I'm not a robot";
    const status = document.createElement('span');
    status.className = 'stand-in-captcha-status';
    status.setAttribute('role', 'status');
    label.append(box, text, status);
    box.addEventListener('change', async () => {
      if (!box.checked) return;
      box.disabled = true;
      const token = await challenge(widget.options.sitekey);
      box.disabled = false;
      if (token) {
        widget.token = token;
        status.textContent = 'Verified';
        call(widget.options.callback, token);
      } else {
        box.checked = false;
        status.textContent = 'Verification failed';
        call(widget.options['error-callback'], 'challenge-failed');
      }
    });
    widget.box = box;
    widget.status = status;
    widget.element.replaceChildren(label);
  }

  function render(container, options = {}) {
    const element = typeof container === 'string' ? document.querySelector(container) : container;
    const id = `stand-in-${++counter}`;
    const widget = { element, options, token: '', language: scriptUrl.searchParams.get('hl') };
    widgets.set(id, widget);
    if (options.execution !== 'execute') drawCheckbox(widget);
    return id;
  }

  async function runInvisible(widget) {
    const token = await challenge(widget.options.sitekey);
    if (token) {
      widget.token = token;
      call(widget.options.callback, token);
    } else {
      call(widget.options['error-callback'], 'challenge-failed');
    }
  }

  const find = (id) => widgets.get(id) || [...widgets.values()].at(-1);

  const common = {
    render,
    getResponse: (id) => find(id)?.token || '',
    reset(id) {
      const widget = find(id);
      if (!widget) return;
      widget.token = '';
      if (widget.box) {
        widget.box.checked = false;
        widget.status.textContent = '';
      }
    },
  };

  if (recaptcha) {
    // reCAPTCHA Enterprise: `execute(siteKey, {action})` → Promise<token> (score-based, invisible).
    const enterprise = {
      ...common,
      ready: (callback) => queueMicrotask(callback),
      async execute(siteKey) {
        const token = await challenge(siteKey);
        if (!token) throw new Error('challenge-failed');
        return token;
      },
    };
    window.grecaptcha = { ...(window.grecaptcha || {}), enterprise };
  } else {
    window.turnstile = {
      ...common,
      ready: (callback) => queueMicrotask(callback),
      execute(id) {
        const widget = find(id);
        if (widget) runInvisible(widget);
      },
      remove: (id) => {
        const widget = widgets.get(id);
        if (widget) widget.element.replaceChildren();
        widgets.delete(id);
      },
    };
  }
})();
