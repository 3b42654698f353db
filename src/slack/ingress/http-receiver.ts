import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  HTTPModuleFunctions,
  HTTPResponseAck,
  type App,
  type Logger as BoltLogger,
  type Receiver,
  type ReceiverEvent,
  type ReceiverProcessEventErrorHandlerArgs,
} from '@slack/bolt';
import type { Clock } from '../../core/clock.js';
import { freshTimestamp } from './timestamp.js';

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  clock: Clock;
  logger: BoltLogger;
  /** True when it answered the request itself. */
  processEventErrorHandler(args: ReceiverProcessEventErrorHandlerArgs): Promise<boolean>;
}

/**
 * Bolt's HTTP receiving without Express: Bolt's ExpressReceiver runs every Slack request
 * through an Express app and router (about a tenth of a flow step's CPU). This does what
 * Bolt's own HTTPReceiver does, with the ±300 s timestamp check first, as one request
 * handler that `listen()` serves directly and the web server mounts.
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | null = null;

  constructor(private readonly options: SlackHttpReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  /** Served by `SlackRuntime.listen` or the web server; nothing to open here. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /** Answers one POST of Slack's; the caller has matched the path. */
  readonly handle = (request: IncomingMessage, response: ServerResponse): void => {
    // A replayed (old) or forged future request is refused before its body is read.
    if (!freshTimestamp(request.headers['x-slack-request-timestamp'], this.options.clock.now())) {
      HTTPModuleFunctions.buildNoBodyResponse(response, 401);
      return;
    }
    void this.receive(request, response);
  };

  private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { logger } = this.options;
    let buffered: Awaited<ReturnType<typeof HTTPModuleFunctions.parseAndVerifyHTTPRequest>>;
    try {
      buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
        { signingSecret: this.options.signingSecret, logger },
        request,
      );
    } catch (error) {
      const tooLarge =
        HTTPModuleFunctions.isRawBodyError(error) &&
        (error.type === 'entity.too.large' || error.statusCode === 413);
      logger.warn(tooLarge ? 'Slack request body too large' : 'Slack request verification failed');
      HTTPModuleFunctions.buildNoBodyResponse(response, tooLarge ? 413 : 401);
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered) as Record<string, unknown>;
    } catch {
      logger.warn('Slack request body could not be parsed');
      HTTPModuleFunctions.buildNoBodyResponse(response, 400);
      return;
    }
    if (body.ssl_check === '1') {
      HTTPModuleFunctions.buildSSLCheckResponse(response);
      return;
    }
    if (body.type === 'url_verification') {
      HTTPModuleFunctions.buildUrlVerificationResponse(response, body);
      return;
    }
    const ack = new HTTPResponseAck({
      logger,
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: response,
    });
    const event: ReceiverEvent = {
      body,
      ack: ack.bind(),
      retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(request),
      retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(request),
      customProperties: {},
    };
    try {
      if (!this.app) throw new Error('the Slack receiver was never given its app');
      await this.app.processEvent(event);
    } catch (error) {
      const answered = await this.options.processEventErrorHandler({
        error: error as Error,
        logger,
        request,
        response,
        storedResponse: ack.storedResponse,
      });
      if (answered) ack.ack();
    }
  }
}
