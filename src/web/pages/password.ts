import type { PageState } from '../password-pages.js';
import { notifications } from '../../messages/notifications.js';
import { web } from '../../messages/web.js';
import { html, type SafeHtml } from './html.js';
import { csrfField, errorList, layout, passwordInputs } from './layout.js';
import { messagePage, unavailablePage } from './messages.js';

export type PageKind = 'reset' | 'change';

export interface RenderContext {
  kind: PageKind;
  csrf: string;
  now: number;
  passwordRules: readonly string[];
}

export interface RenderedPage {
  status: number;
  body: SafeHtml;
}

/** One function from the engine's page state to HTML and status; no flow logic here. */
export function renderPasswordPage(state: PageState, context: RenderContext): RenderedPage {
  switch (state.page) {
    case 'invalid':
      return { status: 404, body: invalidPage(context.kind) };
    case 'form':
      return {
        status: state.errors.length > 0 ? 422 : 200,
        body: state.kind === 'reset' ? resetForm(context, state.errors) : changeForm(context, state.errors),
      };
    case 'code':
      return { status: 200, body: codePage(state, context) };
    case 'done':
      return {
        status: 200,
        body:
          state.kind === 'reset'
            ? messageOk(web.reset.doneTitle, web.reset.done)
            : messageOk(web.change.doneTitle, web.change.done),
      };
    case 'cooldown':
      return {
        status: 429,
        body: messagePage(web.cooldown.title, web.cooldown.body(state.retryAt, context.now), {
          href: '/forgot',
          text: web.cooldown.resetInstead,
        }),
      };
    case 'unavailable':
      return { status: 503, body: unavailablePage() };
  }
}

/** The same page for unknown, expired, used, superseded, revoked and rate-limited links. */
export function invalidPage(kind: PageKind): SafeHtml {
  return layout(
    web.invalid.title,
    html`<p role="alert">${web.invalid.body}</p>
      ${
        kind === 'reset'
          ? html`<p><a href="/forgot">${web.invalid.resetNext}</a></p>`
          : html`<p>${web.invalid.changeNext}</p>`
      }`,
  );
}

function messageOk(title: string, body: string): SafeHtml {
  return layout(title, html`<p role="status">${body}</p>`);
}

function resetForm(context: RenderContext, errors: readonly string[]): SafeHtml {
  return layout(
    web.reset.title,
    html`<p>${web.reset.intro}</p>
      ${errorList(errors)} ${ruleList(context.passwordRules)}
      <form method="post" action="/reset/password">
        ${csrfField(context.csrf)}
        ${passwordInputs(
          [
            { id: 'password', label: web.reset.newLabel, autocomplete: 'new-password' },
            { id: 'confirmation', label: web.reset.confirmLabel, autocomplete: 'new-password' },
          ],
          errors.length > 0,
        )}
        <p><button type="submit">${web.reset.submit}</button></p>
      </form>`,
  );
}

function changeForm(context: RenderContext, errors: readonly string[]): SafeHtml {
  return layout(
    web.change.title,
    html`<p>${web.change.intro}</p>
      ${errorList(errors)} ${ruleList(context.passwordRules)}
      <form method="post" action="/password">
        ${csrfField(context.csrf)}
        ${passwordInputs(
          [
            { id: 'current', label: web.change.currentLabel, autocomplete: 'current-password' },
            { id: 'password', label: web.change.newLabel, autocomplete: 'new-password' },
            { id: 'confirmation', label: web.change.confirmLabel, autocomplete: 'new-password' },
          ],
          errors.length > 0,
        )}
        <p><button type="submit">${web.change.submit}</button></p>
      </form>`,
  );
}

function ruleList(rules: readonly string[]): SafeHtml {
  return html`<div class="rules" id="password-rules">
    <p>${web.passwordRules.heading}</p>
    <ul>
      ${rules.map((rule) => html`<li>${rule}</li>`)}
    </ul>
  </div>`;
}

type CodeState = Extract<PageState, { page: 'code' }>;

function codePage(state: CodeState, context: RenderContext): SafeHtml {
  const waiting = state.resendAvailableAt > context.now;
  return layout(
    web.code.title,
    html`<p>
        ${state.delayed ? notifications.delivery.delayed : web.code.sent(state.channel, state.maskedTarget)}
      </p>
      ${state.notice ? html`<p role="alert" class="notice">${state.notice}</p>` : ''}
      <form method="post" action="/reset/code">
        ${csrfField(context.csrf)}
        <p class="field">
          <label for="code">${web.code.label}</label>
          <input
            type="text"
            id="code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
            maxlength="6"
            required
            autofocus
          />
        </p>
        <p><button type="submit">${web.code.submit}</button></p>
      </form>
      <form method="post" action="/reset/resend" class="secondary">
        ${csrfField(context.csrf)}
        ${waiting ? html`<p>${web.code.resendWait(state.resendAvailableAt, context.now)}</p>` : ''}
        <p><button type="submit">${web.code.resend}</button></p>
      </form>
      ${
        state.canUseAlternate
          ? html`<form method="post" action="/reset/alternate" class="secondary">
              ${csrfField(context.csrf)}
              <p>${web.code.alternateHint}</p>
              <p><button type="submit">${web.code.useAlternate}</button></p>
            </form>`
          : ''
      }`,
  );
}
