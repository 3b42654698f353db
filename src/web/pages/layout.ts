import { web } from '../../messages/web.js';
import { html, type HtmlValue, type SafeHtml } from './html.js';

/**
 * The frame of every page: one stylesheet and one small script, both first-party (the
 * CSP allows nothing else); the pages work fully without the script.
 */
export function layout(title: string, body: HtmlValue): SafeHtml {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title} · ${web.siteName}</title>
        <link rel="stylesheet" href="/assets/site.css" />
        <script src="/assets/show-password.js" defer></script>
      </head>
      <body>
        <header><p class="site">${web.siteName}</p></header>
        <main id="main">
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`;
}

/** Errors announced to screen readers as soon as the page shows them. */
export function errorList(errors: readonly string[]): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="errors" role="alert" id="form-errors">
    <p>${web.fieldErrorsHeading}</p>
    <ul>
      ${errors.map((error) => html`<li>${error}</li>`)}
    </ul>
  </div>`;
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}

export interface PasswordInput {
  id: string;
  label: string;
  autocomplete: 'new-password' | 'current-password';
}

/** Password managers fill these (autocomplete) and paste works (no handlers that block it). */
export function passwordInputs(inputs: readonly PasswordInput[], invalid: boolean): SafeHtml {
  return html`${inputs.map(
      (input, index) =>
        html`<p class="field">
          <label for="${input.id}">${input.label}</label>
          <input
            type="password"
            id="${input.id}"
            name="${input.id}"
            autocomplete="${input.autocomplete}"
            required
            data-password
            ${index === 0 ? html`autofocus` : ''}
            ${invalid ? html`aria-invalid="true" aria-describedby="form-errors"` : ''}
          />
        </p>`,
    )}
    <p class="toggle" hidden>
      <label><input type="checkbox" id="show-passwords" /> ${web.showPasswords}</label>
    </p>`;
}
