/**
 * The clinical record's screens, as the shell and the patient page use them: the chart of one
 * patient (rendered under the demographics), the nurses' worklist and the test catalog.
 */
import { IconClipboardList, IconFlask } from '@tabler/icons-react';
import { Route } from 'wouter';
import type { NavItem } from '../../shell/navigation.js';
import { CatalogPage } from './CatalogPage.js';
import { WorklistPage } from './WorklistPage.js';

export { PatientChart, VISIT_PARAM } from './PatientChart.js';

/** Screens of the clinical record with their own place in the navigation (worklist, catalog). */
export const RECORDS_NAV: readonly NavItem[] = [
  { label: 'Worklist', path: '/worklist', icon: IconClipboardList, permission: 'results.write' },
  { label: 'Test catalog', path: '/catalog', icon: IconFlask, permission: 'catalogs.manage' },
];

/** Their routes, rendered inside the shell's <Switch>. */
export function recordsRoutes(permissions: readonly string[]) {
  const routes = [];
  if (permissions.includes('results.write')) {
    routes.push(
      <Route key="records-worklist" path="/worklist">
        <WorklistPage />
      </Route>,
    );
  }
  if (permissions.includes('catalogs.manage')) {
    routes.push(
      <Route key="records-catalog" path="/catalog">
        <CatalogPage />
      </Route>,
    );
  }
  return routes;
}
