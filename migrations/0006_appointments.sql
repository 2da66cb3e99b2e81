-- Appointments: departments, doctor profiles, weekly hours, leave, clinic holidays, appointments
-- with their history, and notifications.
--
-- A doctor is never double-booked. appointment_units holds one row per 5-minute unit of every
-- active (booked, checked-in, completed) appointment, keyed by (doctor, unit): two overlapping
-- appointments would need the same key, so the primary key refuses the second whatever code
-- path wrote it. Triggers keep the units in step with the appointments in the same transaction.

CREATE TABLE departments (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE doctor_profiles (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL UNIQUE REFERENCES users (id),
  department_id TEXT NOT NULL REFERENCES departments (id),
  specialization TEXT NOT NULL DEFAULT '',
  consultation_fee_minor INTEGER NOT NULL DEFAULT 0 CHECK (consultation_fee_minor >= 0),
  slot_minutes INTEGER NOT NULL CHECK (slot_minutes BETWEEN 5 AND 240 AND slot_minutes % 5 = 0),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  -- Bumped by every change to the weekly hours, which are saved as a whole.
  hours_version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX doctor_profiles_department ON doctor_profiles (department_id);

-- Clinic-local wall-clock minutes, so 08:00 stays 08:00 across daylight-saving changes.
CREATE TABLE working_hours (
  id TEXT PRIMARY KEY,
  doctor_id TEXT NOT NULL REFERENCES users (id),
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1435 AND start_minute % 5 = 0),
  end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 5 AND 1440 AND end_minute % 5 = 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  CHECK (start_minute < end_minute)
) STRICT;
CREATE INDEX working_hours_doctor ON working_hours (doctor_id, weekday, start_minute);

CREATE TABLE doctor_leave (
  id TEXT PRIMARY KEY,
  doctor_id TEXT NOT NULL REFERENCES users (id),
  start_at TEXT NOT NULL,
  end_at TEXT NOT NULL,
  reason TEXT NOT NULL,
  -- Withdrawn leave stays on record.
  removed_at TEXT,
  removed_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  CHECK (start_at < end_at)
) STRICT;
CREATE INDEX doctor_leave_doctor ON doctor_leave (doctor_id, end_at) WHERE removed_at IS NULL;

CREATE TABLE clinic_holidays (
  id TEXT PRIMARY KEY,
  date TEXT NOT NULL,
  name TEXT NOT NULL,
  removed_at TEXT,
  removed_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX clinic_holidays_date ON clinic_holidays (date) WHERE removed_at IS NULL;

CREATE TABLE appointments (
  id TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL REFERENCES patients (id),
  doctor_id TEXT NOT NULL REFERENCES users (id),
  start_at TEXT NOT NULL,
  end_at TEXT NOT NULL,
  reason TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'checked_in', 'completed', 'cancelled', 'no_show')),
  cancel_reason TEXT,
  checked_in_at TEXT,
  completed_at TEXT,
  encounter_id TEXT REFERENCES encounters (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  -- On the 5-minute grid, 5 minutes to 4 hours long.
  CHECK (unixepoch(start_at) % 300 = 0),
  CHECK (unixepoch(end_at) - unixepoch(start_at) BETWEEN 300 AND 14400),
  CHECK ((unixepoch(end_at) - unixepoch(start_at)) % 300 = 0),
  CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL))
) STRICT;
CREATE INDEX appointments_doctor ON appointments (doctor_id, start_at);
CREATE INDEX appointments_patient ON appointments (patient_id, start_at);
CREATE INDEX appointments_day ON appointments (start_at);
CREATE INDEX appointments_booked ON appointments (start_at) WHERE status = 'booked';

-- 0..47: the 5-minute units of the longest appointment (triggers cannot use a recursive CTE).
CREATE TABLE grid_units (n INTEGER PRIMARY KEY) STRICT;
INSERT INTO grid_units (n)
SELECT a.n * 8 + b.n FROM
  (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) AS a,
  (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7) AS b;

CREATE TABLE appointment_units (
  doctor_id TEXT NOT NULL,
  -- unixepoch / 300 of the unit's start.
  unit INTEGER NOT NULL,
  appointment_id TEXT NOT NULL,
  PRIMARY KEY (doctor_id, unit)
) STRICT, WITHOUT ROWID;
CREATE INDEX appointment_units_appointment ON appointment_units (appointment_id);

CREATE TRIGGER appointments_units_insert AFTER INSERT ON appointments
WHEN NEW.status IN ('booked', 'checked_in', 'completed')
BEGIN
  INSERT INTO appointment_units (doctor_id, unit, appointment_id)
  SELECT NEW.doctor_id, unixepoch(NEW.start_at) / 300 + n, NEW.id FROM grid_units
  WHERE n < (unixepoch(NEW.end_at) - unixepoch(NEW.start_at)) / 300;
END;

CREATE TRIGGER appointments_units_update AFTER UPDATE OF doctor_id, start_at, end_at, status ON appointments
BEGIN
  DELETE FROM appointment_units WHERE appointment_id = OLD.id;
  INSERT INTO appointment_units (doctor_id, unit, appointment_id)
  SELECT NEW.doctor_id, unixepoch(NEW.start_at) / 300 + n, NEW.id FROM grid_units
  WHERE NEW.status IN ('booked', 'checked_in', 'completed') AND n < (unixepoch(NEW.end_at) - unixepoch(NEW.start_at)) / 300;
END;

CREATE TRIGGER appointments_no_delete BEFORE DELETE ON appointments
BEGIN
  SELECT RAISE(ABORT, 'appointments are never deleted; cancel them');
END;

-- Every booking, reschedule and status change, with who and why.
CREATE TABLE appointment_events (
  id TEXT PRIMARY KEY,
  appointment_id TEXT NOT NULL REFERENCES appointments (id),
  kind TEXT NOT NULL CHECK (kind IN ('booked', 'rescheduled', 'cancelled', 'checked_in', 'completed', 'no_show')),
  at TEXT NOT NULL,
  -- Where a reschedule moved it from.
  from_start_at TEXT,
  from_end_at TEXT,
  from_doctor_id TEXT,
  reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  -- NULL when the daily job made the change.
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX appointment_events_appointment ON appointment_events (appointment_id, at);

CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  -- The permission a user needs to see it.
  audience TEXT NOT NULL,
  -- One per kind and key (e.g. the reminder list for one day).
  dedupe_key TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (kind, dedupe_key)
) STRICT;
CREATE INDEX notifications_created ON notifications (created_at DESC);

CREATE TABLE notification_reads (
  id TEXT PRIMARY KEY,
  notification_id TEXT NOT NULL REFERENCES notifications (id),
  user_id TEXT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (notification_id, user_id)
) STRICT;
