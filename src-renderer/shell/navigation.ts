import { type Icon, IconHome, IconListSearch, IconSettings, IconShieldLock, IconUrgent, IconUserCircle, IconUserSearch, IconUsers } from '@tabler/icons-react';
import type { Permission } from '../../src-shared/permissions.js';
import { APPOINTMENTS_NAV } from '../features/appointments/index.js';
import { RECORDS_NAV } from '../features/records/index.js';
import { SCHEDULES_NAV } from '../features/schedules/index.js';
import { VISITS_NAV } from '../features/visits/index.js';

export interface NavItem {
  label: string;
  path: string;
  icon: Icon;
  /** Shown only to roles holding it; the server refuses the screen's calls to anyone else anyway. */
  permission?: Permission;
}

/** Only screens that exist. A module adds its entry here the day its screen lands. */
export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Home', path: '/', icon: IconHome },
  { label: 'Patients', path: '/patients', icon: IconUserSearch, permission: 'patients.read' },
  { label: 'Users', path: '/users', icon: IconUsers, permission: 'users.manage' },
  { label: 'Roles', path: '/roles', icon: IconShieldLock, permission: 'users.manage' },
  { label: 'Audit log', path: '/audit', icon: IconListSearch, permission: 'audit.read' },
  { label: 'Emergency access', path: '/emergency-access', icon: IconUrgent, permission: 'audit.read' },
  { label: 'Clinic settings', path: '/settings', icon: IconSettings, permission: 'settings.manage' },
  { label: 'My account', path: '/account', icon: IconUserCircle },
];

/** Appointments follow the registry; the clinical record's screens and the schedules come next, the user's own account last. */
function allNavItems(): readonly NavItem[] {
  const [home, patients, ...rest] = NAV_ITEMS;
  const account = rest.filter((item) => item.path === '/account');
  const others = rest.filter((item) => item.path !== '/account');
  return [home, patients, ...VISITS_NAV, ...APPOINTMENTS_NAV, ...others, ...RECORDS_NAV, ...SCHEDULES_NAV, ...account].filter(
    (item): item is NavItem => item !== undefined,
  );
}

export function visibleNavItems(permissions: readonly string[]): NavItem[] {
  return allNavItems().filter((item) => !item.permission || permissions.includes(item.permission));
}
