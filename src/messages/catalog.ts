/**
 * The one message catalog: every sentence a person reads in Slack, on a web page, in an
 * email or an SMS comes from here. Each area keeps its part in its own file beside this one.
 */
import { accountsFile } from './accounts-file.js';
import { cli } from './cli.js';
import { codes } from './codes.js';
import { common } from './common.js';
import { credentials } from './credentials.js';
import { directory } from './directory.js';
import { engine } from './engine.js';
import { flows } from './flows.js';
import { notifications } from './notifications.js';
import { review } from './review.js';
import { slack } from './slack.js';
import { startup } from './startup.js';
import { support } from './support.js';
import { validation } from './validation.js';
import { web } from './web.js';
import { workbench } from './workbench.js';

export const messages = {
  accountsFile,
  cli,
  codes,
  common,
  credentials,
  directory,
  engine,
  flows,
  notifications,
  review,
  slack,
  startup,
  support,
  validation,
  web,
  workbench,
} as const;
