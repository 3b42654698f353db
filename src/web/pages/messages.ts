import { web } from '../../messages/web.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';

/** A page that only tells something: errors, not found, unavailable. */
export function messagePage(title: string, body: string, next?: { href: string; text: string }): SafeHtml {
  return layout(
    title,
    html`<p role="alert">${body}</p>
      ${next ? html`<p><a href="${next.href}">${next.text}</a></p>` : ''}`,
  );
}

export const notFoundPage = () => messagePage(web.notFound.title, web.notFound.body);
export const serverErrorPage = () => messagePage(web.serverError.title, web.serverError.body);
export const unavailablePage = () => messagePage(web.unavailable.title, web.unavailable.body);
