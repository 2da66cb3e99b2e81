/**
 * Appointments at the front desk: the day board with booking on the slot grid, the appointment
 * panel (also used by other screens), tomorrow's reminder list and the CSV export.
 */
import { IconBell, IconCalendarTime, IconFileExport } from '@tabler/icons-react';
import { Route } from 'wouter';
import type { NavItem } from '../../shell/navigation.js';
import { BoardPage } from './BoardPage.js';
import { ExportPage } from './ExportPage.js';
import { RemindersPage } from './RemindersPage.js';

export { AppointmentDrawer } from './AppointmentDrawer.js';
export { StatusBadge } from './StatusBadge.js';

/**
 * The day board for everyone who reads appointments (booking on it needs appointments.manage), the
 * front desk's reminders, and the export. The export is listed for reports.all (the administrator); holders of
 * reports.lists reach it from the board's "Export" button.
 */
export const APPOINTMENTS_NAV: readonly NavItem[] = [
  { label: 'Appointments', path: '/appointments', icon: IconCalendarTime, permission: 'appointments.read' },
  { label: 'Reminders', path: '/appointments/reminders', icon: IconBell, permission: 'appointments.manage' },
  { label: 'Appointment export', path: '/appointments/export', icon: IconFileExport, permission: 'reports.all' },
];

/** Their routes, rendered inside the shell's <Switch>. */
export function appointmentsRoutes(permissions: readonly string[]) {
  const routes = [];
  if (permissions.includes('appointments.manage')) {
    routes.push(
      <Route key="appointments-reminders" path="/appointments/reminders">
        <RemindersPage />
      </Route>,
    );
  }
  if (permissions.includes('appointments.read') && (permissions.includes('reports.all') || permissions.includes('reports.lists'))) {
    routes.push(
      <Route key="appointments-export" path="/appointments/export">
        <ExportPage />
      </Route>,
    );
  }
  // The board reads with appointments.read; booking on it needs appointments.manage.
  if (permissions.includes('appointments.read')) {
    routes.push(
      <Route key="appointments-board" path="/appointments">
        <BoardPage />
      </Route>,
    );
  }
  return routes;
}
