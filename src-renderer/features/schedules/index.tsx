/**
 * Doctors' schedules as the shell uses them: departments and doctor profiles, clinic holidays,
 * any doctor's weekly hours and leave (admin, front desk) and a doctor's own.
 */
import { IconBeach, IconBuildingCommunity, IconCalendarCog, IconCalendarUser } from '@tabler/icons-react';
import { Route } from 'wouter';
import type { NavItem } from '../../shell/navigation.js';
import { DepartmentsPage } from './DepartmentsPage.js';
import { HolidaysPage } from './HolidaysPage.js';
import { MySchedulePage, SchedulesPage } from './SchedulesPage.js';

export const SCHEDULES_NAV: readonly NavItem[] = [
  { label: 'Schedules', path: '/schedules', icon: IconCalendarCog, permission: 'schedules.manage' },
  { label: 'My schedule', path: '/my-schedule', icon: IconCalendarUser, permission: 'schedules.manage_own' },
  { label: 'Departments & doctors', path: '/departments', icon: IconBuildingCommunity, permission: 'catalogs.manage' },
  { label: 'Holidays', path: '/holidays', icon: IconBeach, permission: 'catalogs.manage' },
];

/** Their routes, rendered inside the shell's <Switch>. */
export function schedulesRoutes(permissions: readonly string[]) {
  const routes = [];
  if (permissions.includes('schedules.manage')) {
    routes.push(
      <Route key="schedules-any" path="/schedules">
        <SchedulesPage />
      </Route>,
    );
  }
  if (permissions.includes('schedules.manage_own')) {
    routes.push(
      <Route key="schedules-own" path="/my-schedule">
        <MySchedulePage />
      </Route>,
    );
  }
  if (permissions.includes('catalogs.manage')) {
    routes.push(
      <Route key="schedules-departments" path="/departments">
        <DepartmentsPage />
      </Route>,
      <Route key="schedules-holidays" path="/holidays">
        <HolidaysPage />
      </Route>,
    );
  }
  return routes;
}
