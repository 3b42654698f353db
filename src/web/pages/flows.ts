import { web } from '../../messages/web.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';

export interface FlowDiagram {
  id: string;
  spec: string;
  title: string;
  /** False when docs/flows has no picture for the machine yet. */
  hasSvg: boolean;
}

export function flowsPage(diagrams: readonly FlowDiagram[]): SafeHtml {
  return layout(
    web.flows.title,
    html`<p>${web.flows.intro}</p>
      <nav aria-label="${web.flows.title}">
        <ol>
          ${diagrams.map((flow) => html`<li><a href="#${flow.id}">${flow.spec} ${flow.title}</a></li>`)}
        </ol>
      </nav>
      ${diagrams.map(
        (flow) =>
          html`<section id="${flow.id}" aria-labelledby="${flow.id}-title">
            <h2 id="${flow.id}-title">${flow.spec} ${flow.title}</h2>
            <p class="meta">${web.flows.section(flow.spec)} · <code>${flow.id}</code></p>
            ${
              flow.hasSvg
                ? html`<a href="/flows/${flow.id}.svg"
                    ><img src="/flows/${flow.id}.svg" alt="${web.flows.diagramAlt(flow.title)}"
                  /></a>`
                : html`<p>${web.flows.missing}</p>`
            }
          </section>`,
      )}`,
  );
}
