/** Kysely's view of the tables; kept in step with migrations/ by the migration test. */
interface Row {
  id: string;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  version: number;
}

export interface SettingsTable extends Row {
  key: string;
  value: string;
}

export interface RolesTable extends Row {
  name: string;
  label: string;
  is_system: 0 | 1;
}

export interface RolePermissionsTable extends Row {
  role_id: string;
  permission: string;
}

export interface UsersTable extends Row {
  username: string;
  display_name: string;
  role_id: string;
  password_hash: string;
  active: 0 | 1;
  must_change_password: 0 | 1;
  totp_secret: string | null;
  /** Set between starting enrolment and confirming it with a first code. */
  totp_pending_secret: string | null;
  totp_enabled: 0 | 1;
  /** The last accepted time step, so one code cannot be used twice. */
  totp_last_step: number | null;
  /** For a patient-role user: the one patient record they may see. */
  patient_id: string | null;
}

export interface SignInThrottleTable extends Row {
  username: string;
  failures: number;
  last_failure_at: string | null;
  locked_until: string | null;
}

export interface TotpRecoveryCodesTable extends Row {
  user_id: string;
  code_hash: string;
  used_at: string | null;
}

export interface SessionsTable extends Row {
  user_id: string;
  workstation: string;
  expires_at: string;
  ended_at: string | null;
  end_reason: string | null;
  last_active_at: string | null;
  locked_at: string | null;
}

export interface AuditLogTable extends Row {
  seq: number;
  at: string;
  user_id: string | null;
  workstation: string;
  procedure: string;
  entity: string | null;
  entity_id: string | null;
  outcome: 'ok' | 'denied' | 'error';
  severity: 'normal' | 'high';
  details: string;
  prev_hash: string;
  hash: string;
}

export interface CountersTable extends Row {
  name: string;
  value: number;
}

export interface PatientsTable extends Row {
  mrn: string;
  given_name: string;
  family_name: string;
  other_names: string | null;
  sex: 'female' | 'male' | 'other' | 'unknown';
  birth_date: string;
  phone: string | null;
  phone_digits: string | null;
  email: string | null;
  address: string | null;
  national_id: string | null;
  blood_group: string | null;
  /** JSON array of { substance, reaction, severity }. */
  allergies: string;
  /** JSON { name, relationship, phone } or null. */
  emergency_contact: string | null;
  notes: string | null;
  active: 0 | 1;
  deactivation_reason: string | null;
  merged_into: string | null;
  merged_at: string | null;
}

export interface PatientNameKeysTable extends Row {
  patient_id: string;
  name_key: string;
}

/** Contentless FTS5 index over patients, kept by triggers; only rowid comes back. */
export interface PatientsFtsTable {
  rowid: number;
  names: string;
  numbers: string;
  patients_fts: string;
}

export interface EmergencyAccessTable extends Row {
  user_id: string;
  patient_id: string;
  reason: string;
  granted_at: string;
  expires_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
}

export interface DB {
  settings: SettingsTable;
  roles: RolesTable;
  role_permissions: RolePermissionsTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  sign_in_throttle: SignInThrottleTable;
  totp_recovery_codes: TotpRecoveryCodesTable;
  counters: CountersTable;
  patients: PatientsTable;
  patient_name_keys: PatientNameKeysTable;
  patients_fts: PatientsFtsTable;
  emergency_access: EmergencyAccessTable;
}

export type TableName = keyof DB;
