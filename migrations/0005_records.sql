-- The clinical record: encounters with amendments, vitals, the test catalog, orders and results,
-- attachments stored inside the encrypted database, prescriptions.
-- Every table carries patient_id and an occurred-at instant, indexed together, so the chart's
-- timeline reads the newest events of one patient straight from the indexes.

CREATE TABLE encounters (
  id TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL REFERENCES patients (id),
  doctor_id TEXT NOT NULL REFERENCES users (id),
  appointment_id TEXT,
  admission_id TEXT,
  occurred_at TEXT NOT NULL,
  complaint TEXT NOT NULL,
  findings TEXT NOT NULL,
  -- JSON array of { text, icd10 }.
  diagnoses TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(diagnoses)),
  plan TEXT NOT NULL,
  -- 1 for the original; each amendment adds a revision row and bumps this.
  revision INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX encounters_patient ON encounters (patient_id, occurred_at DESC);

-- Every version of an encounter as it was, the original included: a correction never erases.
CREATE TABLE encounter_revisions (
  id TEXT PRIMARY KEY,
  encounter_id TEXT NOT NULL REFERENCES encounters (id),
  revision INTEGER NOT NULL,
  complaint TEXT NOT NULL,
  findings TEXT NOT NULL,
  diagnoses TEXT NOT NULL CHECK (json_valid(diagnoses)),
  plan TEXT NOT NULL,
  -- NULL for the original; the reason for each amendment.
  amendment_reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (encounter_id, revision)
) STRICT;

CREATE TABLE vitals (
  id TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL REFERENCES patients (id),
  taken_at TEXT NOT NULL,
  systolic INTEGER,
  diastolic INTEGER,
  pulse INTEGER,
  temperature_c REAL,
  respiratory_rate INTEGER,
  spo2 INTEGER,
  weight_kg REAL,
  height_cm REAL,
  glucose_mmol_l REAL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX vitals_patient ON vitals (patient_id, taken_at DESC);

CREATE TABLE test_catalog (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('test', 'procedure')),
  price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
  unit TEXT,
  ref_low REAL,
  ref_high REAL,
  ref_text TEXT,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE orders (
  id TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL REFERENCES patients (id),
  encounter_id TEXT REFERENCES encounters (id),
  test_id TEXT NOT NULL REFERENCES test_catalog (id),
  ordered_by TEXT NOT NULL REFERENCES users (id),
  ordered_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ordered', 'resulted', 'cancelled')),
  notes TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX orders_patient ON orders (patient_id, ordered_at DESC);
CREATE INDEX orders_worklist ON orders (status, ordered_at);

CREATE TABLE results (
  id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL UNIQUE REFERENCES orders (id),
  patient_id TEXT NOT NULL REFERENCES patients (id),
  resulted_at TEXT NOT NULL,
  value_numeric REAL,
  value_text TEXT,
  unit TEXT,
  ref_low REAL,
  ref_high REAL,
  flag TEXT NOT NULL CHECK (flag IN ('low', 'normal', 'high', 'abnormal', 'none')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX results_patient ON results (patient_id, resulted_at DESC);

-- Files live inside the encrypted database, never beside it.
CREATE TABLE attachments (
  id TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL REFERENCES patients (id),
  result_id TEXT REFERENCES results (id),
  encounter_id TEXT REFERENCES encounters (id),
  uploaded_at TEXT NOT NULL,
  file_name TEXT NOT NULL,
  -- Decided from the bytes, not from the name or what the browser claimed.
  mime_type TEXT NOT NULL CHECK (mime_type IN ('image/jpeg', 'image/png', 'application/pdf')),
  size_bytes INTEGER NOT NULL,
  content BLOB NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX attachments_patient ON attachments (patient_id, uploaded_at DESC);

CREATE TABLE prescriptions (
  id TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL REFERENCES patients (id),
  encounter_id TEXT REFERENCES encounters (id),
  prescriber_id TEXT NOT NULL REFERENCES users (id),
  prescribed_at TEXT NOT NULL,
  -- JSON array of { drug, dose, route, frequency, duration, quantity, instructions }.
  items TEXT NOT NULL CHECK (json_valid(items)),
  notes TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX prescriptions_patient ON prescriptions (patient_id, prescribed_at DESC);
