import { web } from '../messages/web.js';
import { workbench } from '../messages/workbench.js';
import { html, type SafeHtml } from '../web/pages/html.js';

/** The workbench's frame; its script draws everything else from the state API. */
export function workbenchPage(): SafeHtml {
  const labels = workbench.labels;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${workbench.title} · ${web.siteName}</title>
        <link rel="stylesheet" href="/workbench/workbench.css" />
        <script src="/workbench/workbench.js" defer></script>
      </head>
      <body class="wb">
        <header class="wb-top">
          <p class="wb-site">${web.siteName} · ${workbench.title}</p>
          <label class="wb-picker"
            >${labels.person}
            <select id="wb-person"></select>
          </label>
        </header>
        <noscript><p class="wb-noscript">${workbench.noScript}</p></noscript>
        <p class="wb-intro">${workbench.intro}</p>
        <p class="wb-error" id="wb-error" role="alert" hidden></p>
        <main class="wb-main">
          <nav class="wb-tabs" aria-label="${labels.channels}" id="wb-tabs"></nav>
          <section class="wb-pane" id="wb-conversation" aria-live="polite"></section>
          <aside class="wb-side">
            <section class="wb-card" aria-labelledby="wb-diagram-title">
              <h2 id="wb-diagram-title">${labels.diagram}</h2>
              <div id="wb-diagram"></div>
            </section>
            <section class="wb-card" aria-labelledby="wb-inbox-title">
              <h2 id="wb-inbox-title">${labels.inbox}</h2>
              <div id="wb-inbox"></div>
            </section>
          </aside>
        </main>
        <div class="wb-modal-backdrop" id="wb-modal" hidden></div>
      </body>
    </html>`;
}
