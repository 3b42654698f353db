import type { App } from '@slack/bolt';
import { loadHomeModel } from '../../home-model.js';
import { homeView } from '../../views/home.js';
import type { SlackKit } from '../kit.js';

/** The Home tab is the Account Information page; it is rebuilt each time it is opened. */
export function register(app: App, kit: SlackKit): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const actor = { teamId: body.team_id, userId: event.user };
    const model = await loadHomeModel(kit.deps, actor);
    await client.views.publish({ user_id: event.user, view: homeView(model) });
  });
}
