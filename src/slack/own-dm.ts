import type { webApi } from '@slack/bolt';

/**
 * Whether `channel` is this person's DM with the app. A signed click still names its message
 * from the payload, and a replay with the user swapped (or an app holding the signing secret)
 * can name anyone's: the app asks Slack for the person's own DM instead of trusting it. A DM
 * id starts with D; anything else is no DM and costs no call. When Slack does not answer, the
 * channel counts as someone else's: the answer then goes to a new message in the person's DM.
 */
export async function isOwnDm(client: webApi.WebClient, userId: string, channel: string): Promise<boolean> {
  if (!channel.startsWith('D')) return false;
  try {
    const opened = await client.conversations.open({ users: userId });
    return opened.channel?.id === channel;
  } catch {
    return false;
  }
}
