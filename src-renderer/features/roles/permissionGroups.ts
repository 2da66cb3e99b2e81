import { PERMISSION_NAMES, type Permission } from '../../../src-shared/permissions.js';

/** The areas of the roles matrix, in screen order; a permission belongs to one by its name's prefix. */
const AREAS = [
  { label: 'Administration', prefixes: ['users', 'settings', 'audit', 'backups', 'catalogs'] },
  { label: 'Patients', prefixes: ['patients'] },
  { label: 'Clinical', prefixes: ['clinical', 'vitals', 'results'] },
  { label: 'Appointments', prefixes: ['appointments', 'schedules'] },
  { label: 'Admissions', prefixes: ['admissions'] },
  { label: 'Billing', prefixes: ['billing'] },
  { label: 'Pharmacy', prefixes: ['pharmacy'] },
  { label: 'Reports', prefixes: ['reports'] },
] as const;

export interface PermissionGroup {
  label: string;
  permissions: Permission[];
}

export function groupPermissions(names: readonly Permission[] = PERMISSION_NAMES): PermissionGroup[] {
  const groups: PermissionGroup[] = AREAS.map((area) => ({ label: area.label, permissions: [] }));
  const other: PermissionGroup = { label: 'Other', permissions: [] };
  for (const name of names) {
    const prefix = name.split('.')[0] ?? '';
    const index = AREAS.findIndex((area) => (area.prefixes as readonly string[]).includes(prefix));
    (index >= 0 ? groups[index] : other)?.permissions.push(name);
  }
  return [...groups, other].filter((group) => group.permissions.length > 0);
}
