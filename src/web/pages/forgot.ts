import { web } from '../../messages/web.js';
import { html, type SafeHtml } from './html.js';
import { csrfField, errorList, layout } from './layout.js';

export function forgotForm(csrf: string, errors: readonly string[] = []): SafeHtml {
  const invalid = errors.length > 0;
  return layout(
    web.forgot.title,
    html`<p>${web.forgot.intro}</p>
      ${errorList(errors)}
      <form method="post" action="/forgot">
        ${csrfField(csrf)}
        <p class="field">
          <label for="email">${web.forgot.emailLabel}</label>
          <input
            type="email"
            id="email"
            name="email"
            autocomplete="username"
            required
            autofocus
            ${invalid ? html`aria-invalid="true" aria-describedby="form-errors"` : ''}
          />
        </p>
        <p><button type="submit">${web.forgot.submit}</button></p>
      </form>`,
  );
}

export function forgotSent(linkTtlMs: number): SafeHtml {
  return layout(
    web.forgot.sentTitle,
    html`<p role="status">${web.forgot.sent(linkTtlMs)}</p>
      <p>${web.forgot.sentNext}</p>
      <p><a href="/forgot">${web.forgot.askAgain}</a></p>`,
  );
}

export function forgotTooMany(retryAt: number, now: number): SafeHtml {
  return layout(web.forgot.tooManyTitle, html`<p role="alert">${web.forgot.tooMany(retryAt, now)}</p>`);
}
