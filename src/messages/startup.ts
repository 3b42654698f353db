/**
 * What stops start-up, for the operator: each line names the variable to fix and how. The
 * Redis topology's own lines stay with its connection code, which knows the hosts it tried.
 */
export const startup = {
  /** Said by the app only: the CLIs never run Slack, so it would mislead there. */
  withoutSlack: (workbench: boolean) =>
    workbench
      ? 'SLACK_BOT_TOKEN is not set: the workbench runs the app against a local Slack emulator.'
      : 'SLACK_BOT_TOKEN is not set: running without Slack.',
  portInUse: (variable: string, host: string, port: number) =>
    `${variable}: port ${port} on ${host} is already in use; stop whatever holds it or set ${variable} to a free port.`,
  portDenied: (variable: string, port: number) =>
    `${variable}: not allowed to listen on port ${port}; ports below 1024 need privileges, so set ${variable} to 1024 or above.`,
  cannotListen: (variable: string, host: string, why: string) =>
    `${variable}: cannot listen on ${host} (${why}); set ${variable} to an address of this machine, such as 127.0.0.1, or 0.0.0.0 for every interface.`,
  unreadablePem: (variable: string, path: string, why: string) =>
    `${variable}: cannot read ${path} (${why}); expected a readable PEM file.`,
  documentDirectoryUnwritable: (path: string, why: string) =>
    `DOCUMENT_STORE_DIR: cannot write to ${path} (${why}); name a directory the app's user may create and write, or set DOCUMENT_STORE_URL.`,
  slackTokenRefused: (why: string) =>
    `SLACK_BOT_TOKEN: Slack refused the bot token (${why}); set the Bot User OAuth Token (xoxb-…) of the app installed in SLACK_TEAM_ID.`,
  slackAppTokenRefused: (why: string) =>
    `SLACK_APP_TOKEN: Slack refused the app-level token (${why}); create one with the connections:write scope under Basic Information → App-Level Tokens of the app installed in SLACK_TEAM_ID.`,
  slackSocketUnreachable: (seconds: number) =>
    `SLACK_MODE: Socket Mode could not open its WebSocket to Slack within ${seconds} s; allow outbound wss:// to Slack on port 443, or run in HTTP mode (SLACK_MODE=http with SLACK_SIGNING_SECRET).`,
  slackUnreachable: (url: string, why: string) =>
    `SLACK_API_URL: cannot reach Slack's Web API at ${url} (${why}); check the network and proxy, or unset SLACK_API_URL to use Slack's own.`,
} as const;
