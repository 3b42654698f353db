import { buildEngine } from '../../../src/engine/build.js';
import { createSlackClient } from '../../../src/slack/app.js';
import { createSlackReviewChannel } from '../../../src/slack/review/review-channel.js';
import type { BuiltEngine, EngineParts } from './harness.js';

/** The application's real engine with review cards posted to the harness's fake Slack. */
export function engineWithReviewChannel(parts: EngineParts): BuiltEngine {
  const slack = parts.config.slack;
  if (slack === null) throw new Error('no Slack config');
  const channel = createSlackReviewChannel(
    { ...parts, slack, stores: parts.application.stores, services: parts.application.services },
    createSlackClient(slack, parts.logger, 0),
  );
  const built = buildEngine(parts.config, parts.clock, parts.logger, parts.application, {
    messenger: parts.messenger,
    reviewChannel: channel,
  });
  return { engine: built.engine, passwordPages: built.passwordPages };
}
