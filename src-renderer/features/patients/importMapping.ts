import { IMPORTABLE_FIELDS, type ImportableField } from '../../../src-shared/contract/patients.js';

export type Mapping = Partial<Record<ImportableField, string>>;

/** Header names people use for each field, compared without case, spaces or punctuation. */
const HEADER_NAMES: Record<ImportableField, readonly string[]> = {
  givenName: ['givenname', 'firstname', 'first', 'forename', 'given'],
  familyName: ['familyname', 'lastname', 'surname', 'last', 'family'],
  otherNames: ['othernames', 'othername', 'middlename', 'middlenames', 'middle'],
  sex: ['sex', 'gender'],
  birthDate: ['dateofbirth', 'birthdate', 'dob', 'born', 'birthday'],
  phone: ['phone', 'phonenumber', 'mobile', 'mobilenumber', 'telephone', 'tel', 'cellphone'],
  email: ['email', 'emailaddress', 'mail'],
  address: ['address', 'homeaddress', 'residence'],
  nationalId: ['nationalid', 'nationalidnumber', 'idnumber', 'nid', 'idno'],
  bloodGroup: ['bloodgroup', 'bloodtype'],
  notes: ['notes', 'note', 'comments', 'remarks'],
};

function fold(header: string): string {
  return header.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Each field gets the first column whose header names it, by any of its usual names. */
export function guessMapping(headers: readonly string[]): Mapping {
  const mapping: Mapping = {};
  const used = new Set<string>();
  for (const field of IMPORTABLE_FIELDS) {
    const header = headers.find((candidate) => !used.has(candidate) && HEADER_NAMES[field].includes(fold(candidate)));
    if (header) {
      mapping[field] = header;
      used.add(header);
    }
  }
  return mapping;
}
