// A minimal login form (the dashboard will get a proper page later): the app asks GET /api/auth/me
// before anything else; on 401 it shows this form and continues once POST /api/auth/login has set
// the session cookie (HttpOnly: this script never sees the token). An API without access control
// (404 on /api/auth/me) is used as it is. Also the user badge with the logout button.

import { el } from './element';
import { lang } from './i18n';

const TEXT = {
  zh: {
    title: '登录',
    username: '用户名',
    password: '密码',
    submit: '登录',
    wrong: '用户名或密码错误',
    tooMany: (min: number) => `尝试次数过多，请 ${min} 分钟后再试`,
    failed: '登录失败',
    logout: '退出',
  },
  en: {
    title: 'Log in',
    username: 'Username',
    password: 'Password',
    submit: 'Log in',
    wrong: 'Wrong username or password',
    tooMany: (min: number) => `Too many attempts; try again in ${min} min`,
    failed: 'Login failed',
    logout: 'Log out',
  },
} as const;

const t = () => TEXT[lang()];

export interface Me {
  readonly user: { readonly username: string; readonly role: string; readonly crewId?: string; readonly mustChangePassword: boolean };
}

/** Resolves with the logged-in user (undefined when the API has no access control). */
export async function ensureLoggedIn(root: HTMLElement): Promise<Me | undefined> {
  const res = await fetch('/api/auth/me', { headers: { accept: 'application/json' } });
  if (res.status === 404) return undefined;
  if (res.ok) return (await res.json()) as Me;
  return showLoginForm(root);
}

function showLoginForm(root: HTMLElement): Promise<Me> {
  return new Promise((resolve) => {
    const field = 'display:block;width:100%;box-sizing:border-box;margin:6px 0 14px;padding:8px 10px;font-size:16px';
    const username = el('input', { attrs: { name: 'username', autocomplete: 'username', required: '', maxlength: '64' }, data: { testid: 'login-username' } });
    const password = el('input', { attrs: { name: 'password', type: 'password', autocomplete: 'current-password', required: '', maxlength: '256' }, data: { testid: 'login-password' } });
    username.style.cssText = field;
    password.style.cssText = field;
    const error = el('div', { class: 'placeholder error', data: { testid: 'login-error' } });
    error.style.cssText = 'min-height:0;height:auto;font-size:15px;margin-bottom:10px';
    const submit = el('button', { class: 'lang-switch', text: t().submit, attrs: { type: 'submit' }, data: { testid: 'login-submit' } });
    const form = el('form', { data: { testid: 'login-form' } }, [
      el('h1', { text: `热网哨兵 HeatWatch · ${t().title}` }),
      el('label', { text: t().username }, [username]),
      el('label', { text: t().password }, [password]),
      error,
      submit,
    ]);
    form.style.cssText = 'max-width:360px;margin:12vh auto;padding:24px';
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      submit.disabled = true;
      error.textContent = '';
      void fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ username: username.value, password: password.value }),
      })
        .then(async (r) => {
          if (r.ok) {
            password.value = '';
            const me = await fetch('/api/auth/me').then((x) => x.json() as Promise<Me>);
            resolve(me);
            return;
          }
          if (r.status === 429) {
            const s = Number(r.headers.get('retry-after') ?? '60');
            error.textContent = t().tooMany(Math.max(1, Math.ceil(s / 60)));
          } else {
            error.textContent = r.status === 401 ? t().wrong : `${t().failed} (HTTP ${r.status})`;
          }
        })
        .catch(() => (error.textContent = t().failed))
        .finally(() => (submit.disabled = false));
    });
    root.replaceChildren(form);
    username.focus();
  });
}

/** The user's name and a logout button, for the top bar. */
export function userBadge(me: Me): HTMLElement {
  const out = el('button', { class: 'lang-switch', text: t().logout, attrs: { type: 'button' }, data: { testid: 'logout' } });
  out.addEventListener('click', () => {
    void fetch('/api/auth/logout', { method: 'POST' }).finally(() => location.reload());
  });
  return el('div', { class: 'user-badge', data: { testid: 'user-badge' } }, [el('span', { text: `${me.user.username} ` }), out]);
}

/** A call answered 401: the session ended (expired, logged out elsewhere); start again at the form. */
export function onSessionEnded(): void {
  location.reload();
}
