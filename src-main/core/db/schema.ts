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

export interface EncountersTable extends Row {
  patient_id: string;
  doctor_id: string;
  appointment_id: string | null;
  admission_id: string | null;
  occurred_at: string;
  complaint: string;
  findings: string;
  /** JSON array of { text, icd10 }. */
  diagnoses: string;
  plan: string;
  revision: number;
}

export interface EncounterRevisionsTable extends Row {
  encounter_id: string;
  revision: number;
  complaint: string;
  findings: string;
  diagnoses: string;
  plan: string;
  amendment_reason: string | null;
}

export interface VitalsTable extends Row {
  patient_id: string;
  taken_at: string;
  systolic: number | null;
  diastolic: number | null;
  pulse: number | null;
  temperature_c: number | null;
  respiratory_rate: number | null;
  spo2: number | null;
  weight_kg: number | null;
  height_cm: number | null;
  glucose_mmol_l: number | null;
}

export interface TestCatalogTable extends Row {
  code: string;
  name: string;
  kind: 'test' | 'procedure';
  price_minor: number;
  unit: string | null;
  ref_low: number | null;
  ref_high: number | null;
  ref_text: string | null;
  active: 0 | 1;
}

export interface OrdersTable extends Row {
  patient_id: string;
  encounter_id: string | null;
  test_id: string;
  ordered_by: string;
  ordered_at: string;
  status: 'ordered' | 'resulted' | 'cancelled';
  notes: string | null;
}

export interface ResultsTable extends Row {
  order_id: string;
  patient_id: string;
  resulted_at: string;
  value_numeric: number | null;
  value_text: string | null;
  unit: string | null;
  ref_low: number | null;
  ref_high: number | null;
  flag: 'low' | 'normal' | 'high' | 'abnormal' | 'none';
}

export interface AttachmentsTable extends Row {
  patient_id: string;
  result_id: string | null;
  encounter_id: string | null;
  uploaded_at: string;
  file_name: string;
  mime_type: 'image/jpeg' | 'image/png' | 'application/pdf';
  size_bytes: number;
  content: Buffer;
}

export interface PrescriptionsTable extends Row {
  patient_id: string;
  encounter_id: string | null;
  prescriber_id: string;
  prescribed_at: string;
  /** JSON array of prescription items. */
  items: string;
  notes: string | null;
}

export interface DepartmentsTable extends Row {
  name: string;
  active: 0 | 1;
}

export interface DoctorProfilesTable extends Row {
  user_id: string;
  department_id: string;
  specialization: string;
  consultation_fee_minor: number;
  slot_minutes: number;
  active: 0 | 1;
  hours_version: number;
}

export interface WorkingHoursTable extends Row {
  doctor_id: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** Clinic-local minutes since midnight. */
  start_minute: number;
  end_minute: number;
}

export interface DoctorLeaveTable extends Row {
  doctor_id: string;
  start_at: string;
  end_at: string;
  reason: string;
  removed_at: string | null;
  removed_by: string | null;
}

export interface ClinicHolidaysTable extends Row {
  date: string;
  name: string;
  removed_at: string | null;
  removed_by: string | null;
}

export interface AppointmentsTable extends Row {
  patient_id: string;
  doctor_id: string;
  start_at: string;
  end_at: string;
  reason: string;
  notes: string;
  status: 'booked' | 'checked_in' | 'completed' | 'cancelled' | 'no_show';
  cancel_reason: string | null;
  checked_in_at: string | null;
  completed_at: string | null;
  encounter_id: string | null;
}

/** Kept by triggers: one row per 5-minute unit of an active appointment. */
export interface AppointmentUnitsTable {
  doctor_id: string;
  unit: number;
  appointment_id: string;
}

export interface GridUnitsTable {
  n: number;
}

export interface AppointmentEventsTable extends Row {
  appointment_id: string;
  kind: 'booked' | 'rescheduled' | 'cancelled' | 'checked_in' | 'completed' | 'no_show';
  at: string;
  from_start_at: string | null;
  from_end_at: string | null;
  from_doctor_id: string | null;
  reason: string | null;
}

export interface NotificationsTable extends Row {
  kind: string;
  audience: string;
  dedupe_key: string;
  title: string;
  body: string;
  link: string | null;
}

export interface NotificationReadsTable extends Row {
  notification_id: string;
  user_id: string;
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
  encounters: EncountersTable;
  encounter_revisions: EncounterRevisionsTable;
  vitals: VitalsTable;
  test_catalog: TestCatalogTable;
  orders: OrdersTable;
  results: ResultsTable;
  attachments: AttachmentsTable;
  prescriptions: PrescriptionsTable;
  departments: DepartmentsTable;
  doctor_profiles: DoctorProfilesTable;
  working_hours: WorkingHoursTable;
  doctor_leave: DoctorLeaveTable;
  clinic_holidays: ClinicHolidaysTable;
  appointments: AppointmentsTable;
  appointment_units: AppointmentUnitsTable;
  grid_units: GridUnitsTable;
  appointment_events: AppointmentEventsTable;
  notifications: NotificationsTable;
  notification_reads: NotificationReadsTable;
}

export type TableName = keyof DB;
