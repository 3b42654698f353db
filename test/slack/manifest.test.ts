import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * The fields of Slack's app manifest schema (api.slack.com/reference/manifests) that this
 * manifest uses, with Slack's limits. Strict objects: a misspelt key fails here as the
 * manifest upload would.
 */
const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/);
const httpsUrl = z.string().regex(/^https:\/\/[^\s]+$/);
const manifestSchema = z.strictObject({
  display_information: z.strictObject({
    name: z.string().min(1).max(35),
    description: z.string().max(140).optional(),
    long_description: z.string().min(175).max(4000).optional(),
    background_color: hexColor.optional(),
  }),
  features: z.strictObject({
    app_home: z.strictObject({
      home_tab_enabled: z.boolean(),
      messages_tab_enabled: z.boolean(),
      messages_tab_read_only_enabled: z.boolean(),
    }),
    bot_user: z.strictObject({
      display_name: z.string().min(1).max(80),
      always_online: z.boolean().optional(),
    }),
    slash_commands: z
      .array(
        z.strictObject({
          command: z.string().regex(/^\/[a-z0-9_-]{1,31}$/),
          description: z.string().min(1).max(2000),
          usage_hint: z.string().max(1000).optional(),
          should_escape: z.boolean().optional(),
          url: httpsUrl.optional(),
        }),
      )
      .max(50),
  }),
  oauth_config: z.strictObject({
    scopes: z.strictObject({ bot: z.array(z.string().regex(/^[a-z_.:]+$/)).max(255) }),
  }),
  settings: z.strictObject({
    event_subscriptions: z.strictObject({
      request_url: httpsUrl.optional(),
      bot_events: z.array(z.string()).max(100),
    }),
    interactivity: z.strictObject({ is_enabled: z.boolean(), request_url: httpsUrl.optional() }),
    org_deploy_enabled: z.boolean().optional(),
    socket_mode_enabled: z.boolean(),
    token_rotation_enabled: z.boolean().optional(),
  }),
});

/** Why each bot scope is there; the README documents the same list. */
const SCOPE_NEEDS: Record<string, string> = {
  'app_mentions:read': 'app_mention events in support channels',
  'chat:write': 'chat.postMessage / chat.update / chat.postEphemeral',
  commands: '/account',
  'im:history': 'message.im events (the DM conversation)',
  'im:write': 'conversations.open for DMs the app starts',
  'users:read': 'users.info: refuse bots, guests and Slack Connect strangers',
  'users:read.email': 'the profile email that links a Slack user to an account (SPEC 3.11)',
  'usergroups:read': 'usergroups.users.list: support agents and reviewers by user group',
};

const manifest = manifestSchema.parse(
  JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')),
);

describe('manifest.json', () => {
  it('matches the fields of Slack’s manifest schema', () => {
    expect(manifest.display_information.name).toBe('Account Assistant');
  });

  it('has Home and a writable Messages tab', () => {
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });

  it('declares /account, interactivity, Socket Mode and exactly the events the listeners handle', () => {
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual(['/account']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([
      'app_home_opened',
      'app_mention',
      'message.im',
    ]);
  });

  it('asks for the minimal bot scopes, each with a reason', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(Object.keys(SCOPE_NEEDS).sort());
  });
});
