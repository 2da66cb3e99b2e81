/**
 * Appointments as the doctor and the patient see them: the doctor's queue and week, the patient's
 * own appointments with booking, a patient's appointments on their page, and the notification bell.
 */
import { IconCalendarEvent, IconCalendarWeek, IconListCheck } from '@tabler/icons-react';
import { Route } from 'wouter';
import type { NavItem } from '../../shell/navigation.js';
import { MyAppointmentsPage } from './MyAppointmentsPage.js';
import { QueuePage } from './QueuePage.js';
import { WeekPage } from './WeekPage.js';

export { NotificationBell } from './NotificationBell.js';
export { PatientAppointments } from './PatientAppointments.js';

export const VISITS_NAV: readonly NavItem[] = [
  { label: 'Today’s queue', path: '/queue', icon: IconListCheck, permission: 'appointments.complete_own' },
  { label: 'My week', path: '/my-week', icon: IconCalendarWeek, permission: 'appointments.complete_own' },
  { label: 'My appointments', path: '/my-appointments', icon: IconCalendarEvent, permission: 'appointments.manage_own' },
];

/** Their routes, rendered inside the shell's <Switch>. */
export function visitsRoutes(permissions: readonly string[]) {
  const routes = [];
  if (permissions.includes('appointments.complete_own')) {
    routes.push(
      <Route key="visits-queue" path="/queue">
        <QueuePage />
      </Route>,
      <Route key="visits-week" path="/my-week">
        <WeekPage />
      </Route>,
    );
  }
  if (permissions.includes('appointments.manage_own')) {
    routes.push(
      <Route key="visits-mine" path="/my-appointments">
        <MyAppointmentsPage />
      </Route>,
    );
  }
  return routes;
}
