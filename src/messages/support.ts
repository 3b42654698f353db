/**
 * Sentences of support work in channels (SPEC §5): mentions handed off to DM, agent
 * commands, the audit mirror and "This wasn't me". Nothing here ever carries a code, link,
 * token, password or document number; masked values are the most any sentence shows.
 */
const userRef = (userId: string): string => `<@${userId}>`;

export const support = {
  mention: {
    handOff: (userId: string) =>
      `Hi ${userRef(userId)}, I have sent you a direct message so we can continue privately. Please never post codes, links or passwords in a channel.`,
    dmIntro:
      'You asked for help in a channel. Account matters stay here, in private. What would you like to do?',
    dmFailed: (userId: string) =>
      `Hi ${userRef(userId)}, I could not open a direct message with you. Please open the Account Assistant's Messages tab and write "help".`,
    agentHelp:
      'Support commands: `lookup @user`, `unlock @user`, `reset-offer @user`. Everyone else: mention me and I will continue in a direct message.',
  },
  commands: {
    usage: 'Use `lookup @user`, `unlock @user` or `reset-offer @user`, naming one Slack user.',
    notAgent:
      'Sorry, only the support team can look up, unlock or send offers to other people. If you need help with your own account, write to me in a direct message.',
    unknownUser: (userId: string) =>
      `${userRef(userId)} has no linked account, so there is nothing to look up. They can link their Slack user by opening the Account Assistant.`,
    ownAccount:
      'Support actions never apply to your own account, so nothing was done and this was recorded. Ask another agent, or use the Account Assistant in a direct message like everyone else.',
    unavailable:
      'The account store is temporarily unavailable. Nothing was changed; please try again in a minute.',
    failed:
      'Something went wrong and nothing was changed. Please try again; if it keeps failing, check the app logs.',
  },
  lookup: {
    title: (userId: string) => `Account of ${userRef(userId)}`,
    accountId: 'Account ID',
    loginEmail: 'Login email',
    securityMobile: 'Security mobile',
    verification: 'Verification',
    selfService: 'Self-service',
    locked: (reason: string, since: string) => `locked since ${since} (${reason})`,
    unlocked: 'open',
    codesLocked: 'Code entry',
    codesLockedValue: (until: string) => `locked after too many wrong codes, until ${until}`,
    codesOpen: 'open',
    recent: 'Recent activity',
    noRecent: 'No recent security events.',
    masked: 'Values are masked; the person sees their own details in the Account Assistant.',
  },
  unlock: {
    done: (userId: string) =>
      `Unlocked ${userRef(userId)}: self-service is open again, code entry and the wrong-password count are reset. I have told them by direct message.`,
    directoryRefused: (userId: string) =>
      `The company directory does not allow this app to clear the sign-in lockout of ${userRef(userId)}, so nothing was changed (self-service and code entry stay as they were). Ask IT to clear it in the directory, or to grant the app write access to the lockout attribute (pwdAccountLockedTime; AD lockoutTime).`,
    userNotice:
      'Support has unlocked your account. You can use the Account Assistant again. If anything looks wrong, reset your password.',
  },
  resetOffer: {
    sent: (userId: string) => `I have sent ${userRef(userId)} a password reset offer by direct message.`,
    failed: (userId: string) =>
      `I could not send ${userRef(userId)} a direct message. Ask them to open the Account Assistant and choose "Reset password".`,
    dmText:
      'Support offers you a password reset. Press the button to start it; nothing changes until you finish.',
    button: 'Reset my password',
    locked: 'This account is locked for self-service. Unlock it first, then send the offer.',
  },
  damagedRecord: (userId: string, record: string) =>
    `:warning: ${userRef(userId)} could not be served: the stored ${record} is unreadable. It was left untouched; please repair it and contact them.`,
  notMe: {
    done: 'Thank you for telling us. Self-service for your account is locked, and every code and link we had sent is no longer valid. Support has been alerted and will contact you. Meanwhile, change the password anywhere else you reused it.',
    already:
      'Self-service for your account is already locked and support knows. They will contact you; nothing more to do now.',
    notLinked:
      'Your Slack user is not linked to an account, so there is nothing to lock. If you think someone is using your account, tell the support channel.',
    unavailable:
      'I could not lock your account just now because the account store is unavailable. Please press the button again in a minute, or tell the support channel at once.',
    failed:
      'I could not finish protecting your account. Please press the button again, or tell the support channel at once.',
    supportAlert: (userId: string, accountId: string) =>
      `:rotating_light: ${userRef(userId)} reported a change they did not make on account ${accountId}. Self-service is locked, all codes and links are revoked and open flows ended. Please contact them, then unlock with \`unlock @user\`.`,
    lockReason: 'reported by the account owner',
  },
  audit: {
    line: (actor: string, action: string, outcome: string, accountId: string | undefined) =>
      `${actor} · ${action} · ${outcome}${accountId ? ` · account ${accountId}` : ''}`,
  },
} as const;
