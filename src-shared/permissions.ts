/**
 * Every permission Asclepia knows, and the default grant of each role (DOMAIN.md "Roles and what
 * each may do"). The router, the tests and the renderer all read this one file.
 */
export const PERMISSIONS = {
  'users.manage': 'Manage user accounts and roles',
  'settings.manage': 'Change clinic settings',
  'audit.read': 'Read the audit log',
  'backups.manage': 'Make and restore backups',
  'catalogs.manage': 'Manage departments, doctors, rooms and beds, tests, prices and holidays',
  'patients.read': 'Look up patient demographics',
  'patients.read_own': 'See your own patient details',
  'patients.write': 'Register and edit patients',
  'patients.merge': 'Merge duplicate patients',
  'clinical.read': 'Read clinical records',
  'clinical.read_prescriptions': 'Read prescriptions to dispense them',
  'clinical.read_own': 'See your own visits, results and prescriptions',
  'clinical.emergency': 'Open a patient’s clinical record in an emergency, giving a reason',
  'clinical.write': 'Write encounters, diagnoses, orders and prescriptions',
  'vitals.write': 'Record vitals',
  'results.write': 'Enter test results and attachments',
  'appointments.read': 'See appointments',
  'appointments.read_own': 'See your own appointments',
  'appointments.manage': 'Book, reschedule, cancel, check in and mark no-shows',
  'appointments.manage_own': 'Book and cancel your own appointments',
  'appointments.complete_own': 'Complete your own appointments',
  'schedules.manage': 'Set any doctor’s working hours and leave',
  'schedules.manage_own': 'Set your own working hours and leave',
  'admissions.manage': 'Admit, transfer and discharge patients',
  'admissions.board': 'See the bed board',
  'admissions.discharge_summary': 'Write discharge summaries',
  'billing.manage': 'Issue invoices and take payments',
  'billing.void': 'Void invoices and issue credit notes',
  'billing.pharmacy_sales': 'Sell at the pharmacy counter',
  'billing.read_own': 'See your own bills',
  'pharmacy.read': 'See pharmacy stock',
  'pharmacy.manage': 'Receive, adjust and dispense stock',
  'reports.all': 'Run every report and export',
  'reports.lists': 'Export the lists you work with',
  'reports.own': 'Export your own records',
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

export const ROLE_NAMES = ['admin', 'front_desk', 'doctor', 'nurse', 'pharmacist', 'patient'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export const ROLE_LABELS: Record<RoleName, string> = {
  admin: 'Administrator',
  front_desk: 'Front desk',
  doctor: 'Doctor',
  nurse: 'Nurse',
  pharmacist: 'Pharmacist',
  patient: 'Patient',
};

export const DEFAULT_ROLE_PERMISSIONS: Record<RoleName, readonly Permission[]> = {
  admin: [
    'users.manage',
    'settings.manage',
    'audit.read',
    'backups.manage',
    'catalogs.manage',
    'patients.read',
    'patients.write',
    'patients.merge',
    'appointments.read',
    'schedules.manage',
    'billing.manage',
    'billing.void',
    'pharmacy.read',
    'reports.all',
    'clinical.emergency',
  ],
  front_desk: [
    'patients.read',
    'patients.write',
    'appointments.read',
    'appointments.manage',
    'schedules.manage',
    'admissions.manage',
    'admissions.board',
    'billing.manage',
    'reports.lists',
    'clinical.emergency',
  ],
  doctor: [
    'patients.read',
    'patients.write',
    'clinical.read',
    'clinical.write',
    'vitals.write',
    'appointments.read',
    'appointments.complete_own',
    'schedules.manage_own',
    'admissions.board',
    'admissions.discharge_summary',
    'pharmacy.read',
    'reports.lists',
  ],
  nurse: ['patients.read', 'clinical.read', 'vitals.write', 'results.write', 'appointments.read', 'admissions.board', 'reports.lists'],
  pharmacist: [
    'patients.read',
    'clinical.read_prescriptions',
    'clinical.emergency',
    'billing.pharmacy_sales',
    'pharmacy.read',
    'pharmacy.manage',
    'reports.lists',
  ],
  patient: ['patients.read_own', 'clinical.read_own', 'appointments.read_own', 'appointments.manage_own', 'billing.read_own', 'reports.own'],
};

export function isPermission(name: string): name is Permission {
  return Object.hasOwn(PERMISSIONS, name);
}
