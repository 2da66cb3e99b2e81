-- Emergency ("break glass") access: one user, one patient's clinical record, one hour, a reason.
CREATE TABLE emergency_access (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  patient_id TEXT NOT NULL REFERENCES patients (id),
  reason TEXT NOT NULL,
  granted_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  reviewed_by TEXT REFERENCES users (id),
  reviewed_at TEXT,
  review_note TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX emergency_access_user_patient ON emergency_access (user_id, patient_id, expires_at);
CREATE INDEX emergency_access_review ON emergency_access (reviewed_at, granted_at);
