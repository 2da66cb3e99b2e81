-- A doctor's day is read as the start, end and status of their appointments in a time range (free
-- slots, the board, the overlap check). With those columns in the index the read never visits the
-- table: on a large store that is one page per day instead of one per appointment.
DROP INDEX appointments_doctor;
CREATE INDEX appointments_doctor ON appointments (doctor_id, start_at, end_at, status);
