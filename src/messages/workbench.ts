/**
 * Every sentence of the workbench page and its start-up banner. The page's script takes its
 * labels from here (through the state API) so none is written in the browser code.
 */
export const workbench = {
  title: 'Workbench',
  intro:
    'Try every conversation as a demo person: the real Slack app answers through a local Slack emulator.',
  noScript: 'The workbench needs JavaScript: it is a live view of the Slack emulator.',
  labels: {
    person: 'Act as',
    dm: 'Messages',
    home: 'Home',
    channels: 'Channels',
    inbox: 'Inbox',
    diagram: 'Live flow',
    composer: 'Message the app, or type /account …',
    channelComposer: 'Write in the channel; mention the app with @assistant',
    send: 'Send',
    reply: 'Reply in thread',
    thread: 'Thread',
    onlyYou: 'Only visible to you',
    app: 'Account Assistant',
    you: 'you',
    mail: 'Email',
    sms: 'Text',
    to: 'to',
    noMessages: 'No messages yet. Say "hi" or type /account help.',
    noHome: 'The Home tab has not been published yet.',
    noInbox: 'Nothing sent yet: codes and links sent by mail or text show up here.',
    noFlow: 'No flow in progress.',
    finished: 'Finished flows',
    state: 'Current state',
    outcome: 'Finished as',
    selectPlaceholder: 'Choose…',
    close: 'Close',
    submit: 'Submit',
    openMail: 'Open the mail as sent (HTML)',
    busy: 'Waiting for the app…',
    failed: 'The workbench could not deliver that: ',
  },
  errors: {
    unknownPerson: 'Pick one of the demo people.',
    badRequest: 'That request is not something the workbench understands; reload the page.',
    crossSite: 'The workbench only takes requests from its own page.',
    emptyText: 'Write something first.',
  },
  banner: {
    heading: 'Account Assistant workbench',
    open: (url: string) => `Open ${url} in a browser.`,
    store: (kind: 'redis' | 'memory') =>
      kind === 'redis' ? 'Store: Redis (REDIS_URL), kept between runs.' : 'Store: in-process, lost on exit.',
    people: 'Demo people (Slack users):',
    password: (password: string) => `Demo accounts sign in with the password ${password}`,
  },
} as const;
