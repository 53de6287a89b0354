// Route → page. Each page is its own module; the switch is exhaustive.

import type { AppContext, Page } from '../page';
import type { Route } from '../router';
import { AlertsPage } from './alerts-page';
import { CompoundPage } from './compound-page';
import { CrewPage } from './crew-page';
import { OverviewPage } from './overview-page';
import { StationPage } from './station-page';
import { TicketsPage } from './tickets-page';
import { VisitsPage } from './visits-page';

export function createPage(route: Route, ctx: AppContext): Page {
  switch (route.page) {
    case 'overview':
      return new OverviewPage(ctx);
    case 'alerts':
      return new AlertsPage(ctx, route);
    case 'station':
      return new StationPage(ctx, route);
    case 'compound':
      return new CompoundPage(ctx, route);
    case 'tickets':
      return new TicketsPage(ctx);
    case 'visits':
      return new VisitsPage(ctx, route);
    case 'crew':
      return new CrewPage(ctx, route);
    default: {
      const never: never = route.page;
      throw new Error(`unknown page ${String(never)}`);
    }
  }
}
