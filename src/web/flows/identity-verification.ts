import { Router } from 'express';
import { web } from '../../messages/web.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { DocumentImages } from '../../services/document-images/document-images.js';
import type { DocumentViewTickets } from '../../services/document-images/view-tickets.js';
import { messagePage } from '../pages/messages.js';
import { sendPage } from '../routes/context.js';

export interface DocumentRouteDependencies {
  tickets: DocumentViewTickets;
  images: DocumentImages;
  audit: AuditLog;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/pdf': 'pdf',
};

/**
 * SPEC 3.10 on the web: `/documents/<token>`: a reviewer's one-time link to an identity document image. The first
 * GET takes the ticket and streams the image decrypted, never cached (`no-store`, the strict
 * CSP of every page); a second GET, or one after 5 minutes, gets a page saying so. HEAD
 * answers without using the link, so a link preview cannot burn it. Every view is audited.
 */
export function identityDocumentRoutes(deps: DocumentRouteDependencies): Router {
  const router = Router();
  router.head('/documents/:token', (_request, response) => {
    response.status(204).end();
  });
  router.get('/documents/:token', async (request, response) => {
    const ticket = await deps.tickets.redeem(request.params.token);
    if (ticket === null) {
      sendPage(response, 404, messagePage(web.documentLink.usedTitle, web.documentLink.used));
      return;
    }
    const found = await deps.images.read(ticket.ref);
    if (found === null) {
      sendPage(response, 410, messagePage(web.documentLink.goneTitle, web.documentLink.gone));
      return;
    }
    await deps.audit.record({
      actor: ticket.reviewer,
      action: 'review.document-image-view',
      outcome: 'success',
      accountId: ticket.accountId,
      detail: { type: found.image.contentType },
    });
    response.setHeader('Content-Type', found.image.contentType);
    response.setHeader(
      'Content-Disposition',
      `inline; filename="identity-document.${EXTENSIONS[found.image.contentType] ?? 'bin'}"`,
    );
    response.status(200).end(found.file);
  });
  return router;
}
