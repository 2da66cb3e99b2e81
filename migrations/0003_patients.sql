-- The patient registry: demographics, MRNs from a counter, search, merge tombstones.

-- Human-readable numbers (MRN, later invoice numbers) come from here, in the same transaction
-- as the row that uses them; a number is never given out twice.
CREATE TABLE counters (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  value INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE patients (
  id TEXT PRIMARY KEY,
  mrn TEXT NOT NULL UNIQUE,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  other_names TEXT,
  sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
  birth_date TEXT NOT NULL,
  phone TEXT,
  -- Digits only, so 0712 345 678 and 0712-345-678 are one number to search and compare.
  phone_digits TEXT,
  email TEXT,
  address TEXT,
  national_id TEXT,
  blood_group TEXT,
  allergies TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(allergies)),
  emergency_contact TEXT CHECK (emergency_contact IS NULL OR json_valid(emergency_contact)),
  notes TEXT,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  deactivation_reason TEXT,
  -- A merged duplicate stays as a tombstone pointing at the record that was kept.
  merged_into TEXT REFERENCES patients (id),
  merged_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX patients_birth_date ON patients (birth_date);
CREATE INDEX patients_phone_digits ON patients (phone_digits) WHERE phone_digits IS NOT NULL;
CREATE INDEX patients_national_id ON patients (national_id) WHERE national_id IS NOT NULL;
CREATE INDEX patients_family_given ON patients (family_name COLLATE NOCASE, given_name COLLATE NOCASE);
CREATE INDEX patients_given ON patients (given_name COLLATE NOCASE);
CREATE INDEX patients_other_names ON patients (other_names COLLATE NOCASE) WHERE other_names IS NOT NULL;
CREATE INDEX patients_merged_into ON patients (merged_into) WHERE merged_into IS NOT NULL;

-- Phonetic keys (double metaphone) of each name part, for typo-tolerant search and duplicates.
CREATE TABLE patient_name_keys (
  id TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL REFERENCES patients (id),
  name_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (patient_id, name_key)
) STRICT;
CREATE INDEX patient_name_keys_key ON patient_name_keys (name_key, patient_id);

-- Substring search over names and numbers. External content: the index is rebuilt from
-- patients by triggers inside the same transaction as every write.
CREATE VIRTUAL TABLE patients_fts USING fts5 (
  names,
  numbers,
  content = '',
  contentless_delete = 1,
  tokenize = 'trigram remove_diacritics 1'
);

CREATE TRIGGER patients_fts_insert AFTER INSERT ON patients
BEGIN
  INSERT INTO patients_fts (rowid, names, numbers)
  VALUES (new.rowid, concat_ws(' ', new.given_name, new.other_names, new.family_name),
          concat_ws(' ', new.mrn, new.phone_digits, new.national_id));
END;

CREATE TRIGGER patients_fts_update AFTER UPDATE ON patients
BEGIN
  DELETE FROM patients_fts WHERE rowid = old.rowid;
  INSERT INTO patients_fts (rowid, names, numbers)
  VALUES (new.rowid, concat_ws(' ', new.given_name, new.other_names, new.family_name),
          concat_ws(' ', new.mrn, new.phone_digits, new.national_id));
END;

-- A patient-role user sees exactly the record they are linked to.
ALTER TABLE users ADD COLUMN patient_id TEXT REFERENCES patients (id);
CREATE UNIQUE INDEX users_patient ON users (patient_id) WHERE patient_id IS NOT NULL;
