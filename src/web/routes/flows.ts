import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { childMachines, flowMachines } from '../../../machines/index.js';
import { flowsPage, type FlowDiagram } from '../pages/flows.js';
import { notFoundPage } from '../pages/messages.js';
import { sendPage } from './context.js';

const DEFAULT_FLOWS_DIR = fileURLToPath(new URL('../../../docs/flows/', import.meta.url));

/** `/flows`: every machine's generated diagram (flows and the children they invoke), for reviewers. Read once at start-up. */
export function flowRoutes(flowsDir: string = DEFAULT_FLOWS_DIR): Router {
  const pictures = new Map<string, Buffer>();
  const diagrams: FlowDiagram[] = [...flowMachines, ...childMachines].map(({ spec, title, machine }) => {
    const file = join(flowsDir, `${machine.id}.svg`);
    if (existsSync(file)) pictures.set(machine.id, readFileSync(file));
    return { id: machine.id, spec, title, hasSvg: pictures.has(machine.id) };
  });
  const page = flowsPage(diagrams);

  const router = Router();
  router.get('/flows', (_request, response) => sendPage(response, 200, page));
  router.get('/flows/:file', (request, response) => {
    const id = /^([A-Za-z]+)\.svg$/.exec(String(request.params.file))?.[1];
    const picture = id === undefined ? undefined : pictures.get(id);
    if (picture === undefined) {
      sendPage(response, 404, notFoundPage());
      return;
    }
    response.type('image/svg+xml').send(picture);
  });
  return router;
}
