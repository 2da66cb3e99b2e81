import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifySearch,
  DEFAULT_MRN_PREFIX,
  duplicateReasons,
  formatMrn,
  ftsPhrase,
  mayReadPatient,
  mergeAllergies,
  nameDistance,
  nameKeys,
  namesLookAlike,
  normalizeImportedSex,
  numberAlternatives,
  phoneDigits,
  typingDistance,
} from './rules.js';

const person = (givenName: string, familyName: string) => ({ givenName, familyName });

/** Real calendar dates from 1880 to 2099, as YYYY-MM-DD. */
const calendarDate = fc
  .date({ min: new Date('1880-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

/** A name of five to twelve lower-case letters, as a desk would type it. */
const longName = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 5, maxLength: 12 });
const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz');

/** One slip of the keyboard: a letter replaced, dropped or added. */
const withOneTypo = (name: string) =>
  fc.tuple(fc.integer({ min: 0, max: name.length - 1 }), letter, fc.constantFrom('replace', 'drop', 'add')).map(([at, typed, slip]) => {
    if (slip === 'replace') return name.slice(0, at) + typed + name.slice(at + 1);
    if (slip === 'drop') return name.slice(0, at) + name.slice(at + 1);
    return name.slice(0, at) + typed + name.slice(at);
  });

describe('classifySearch', () => {
  it('reads a date of birth typed as YYYY-MM-DD', () => {
    expect(classifySearch('2001-04-17')).toEqual({ kind: 'birth_date', date: '2001-04-17' });
    expect(classifySearch('  1988-04-12 ')).toEqual({ kind: 'birth_date', date: '1988-04-12' });
  });

  it('reads a date of birth typed day first, with slashes or dots and with or without leading zeros', () => {
    expect(classifySearch('17/04/2001')).toEqual({ kind: 'birth_date', date: '2001-04-17' });
    expect(classifySearch('17.04.2001')).toEqual({ kind: 'birth_date', date: '2001-04-17' });
    expect(classifySearch('7/4/2001')).toEqual({ kind: 'birth_date', date: '2001-04-07' });
    expect(classifySearch('07/4/2001')).toEqual({ kind: 'birth_date', date: '2001-04-07' });
  });

  it('gives the same date for both forms of every calendar date', () => {
    fc.assert(
      fc.property(calendarDate, (iso) => {
        const [year, month, day] = iso.split('-');
        const expected = { kind: 'birth_date', date: iso };
        expect(classifySearch(iso)).toEqual(expected);
        expect(classifySearch(`${day}/${month}/${year}`)).toEqual(expected);
        expect(classifySearch(`${Number(day)}.${Number(month)}.${year}`)).toEqual(expected);
      }),
    );
  });

  it('treats anything with three or more digits as a number: MRN, phone or national id', () => {
    expect(classifySearch('P-000042')).toEqual({ kind: 'number', digits: '000042', text: 'P-000042' });
    expect(classifySearch('p-000042')).toEqual({ kind: 'number', digits: '000042', text: 'P-000042' });
    expect(classifySearch('0712 345 678')).toEqual({ kind: 'number', digits: '0712345678', text: '0712345678' });
    expect(classifySearch('+254 (712) 345-678')).toEqual({ kind: 'number', digits: '254712345678', text: '+254(712)345-678' });
    expect(classifySearch('28817345')).toEqual({ kind: 'number', digits: '28817345', text: '28817345' });
    expect(classifySearch('a1234567')).toEqual({ kind: 'number', digits: '1234567', text: 'A1234567' });
    expect(classifySearch('123')).toMatchObject({ kind: 'number', digits: '123' });
    // A date in a form the box does not read as a date is still a number.
    expect(classifySearch('2001-4-17')).toMatchObject({ kind: 'number', digits: '2001417' });
  });

  it('splits names into lower-case words without accents or punctuation', () => {
    expect(classifySearch('Grace Njeri')).toEqual({ kind: 'name', words: ['grace', 'njeri'] });
    expect(classifySearch('  NJERI,   grace ')).toEqual({ kind: 'name', words: ['njeri', 'grace'] });
    expect(classifySearch('José Müller')).toEqual({ kind: 'name', words: ['jose', 'muller'] });
    expect(classifySearch("O'Brien-Smith")).toEqual({ kind: 'name', words: ['o', 'brien', 'smith'] });
    expect(classifySearch('g')).toEqual({ kind: 'name', words: ['g'] });
  });

  it('leaves no words for input that holds neither letters nor three digits', () => {
    expect(classifySearch('12')).toEqual({ kind: 'name', words: [] });
    expect(classifySearch('"*()')).toEqual({ kind: 'name', words: [] });
    expect(classifySearch('   ')).toEqual({ kind: 'name', words: [] });
  });

  it('never yields a name word that could carry FTS5 syntax', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const search = classifySearch(text);
        if (search.kind === 'name') for (const word of search.words) expect(word).toMatch(/^\p{L}+$/u);
        if (search.kind === 'number') expect(search.digits).toMatch(/^\d{3,}$/);
      }),
    );
  });
});

describe('nameKeys and namesLookAlike', () => {
  it('gives a typo and the right spelling a shared sound key', () => {
    const shared = (a: string, b: string) => nameKeys(a).some((key) => nameKeys(b).includes(key));
    expect(shared('Wanjeru', 'Wanjiru')).toBe(true);
    expect(shared('Kamao', 'Kamau')).toBe(true);
    expect(shared('Njery', 'Njeri')).toBe(true);
    expect(shared('Otyeno', 'Otieno')).toBe(true);
    expect(shared('Smyth', 'Smith')).toBe(true);
    expect(shared('Jon', 'John')).toBe(true);
    expect(shared('Kamau', 'Otieno')).toBe(false);
  });

  it('keys every part of every name, ignoring case and accents, without repeats', () => {
    expect(nameKeys('José')).toEqual(nameKeys('jose'));
    expect(nameKeys('Müller')).toEqual(nameKeys('MULLER'));
    const keys = nameKeys('Amani', 'Faith', 'Wanjiru');
    for (const key of [...nameKeys('amani'), ...nameKeys('faith'), ...nameKeys('wanjiru')]) expect(keys).toContain(key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(nameKeys(null, undefined, '')).toEqual([]);
    expect(nameKeys('Mary-Anne')).toEqual(nameKeys('Mary Anne'));
  });

  it('sees a typo in either name, and given and family names swapped, as the same person', () => {
    expect(namesLookAlike(person('Grace', 'Njeri'), person('Grace', 'Njery'))).toBe(true);
    expect(namesLookAlike(person('Joseph', 'Kamau'), person('Josef', 'Kamao'))).toBe(true);
    expect(namesLookAlike(person('Grace', 'Njeri'), person('Njeri', 'Grace'))).toBe(true);
    expect(namesLookAlike(person('Grace', 'Njeri'), person('njery', 'GRACE'))).toBe(true);
    expect(namesLookAlike(person('Amani', 'Wanjiru'), person('Amani', 'Wanjeru'))).toBe(true);
  });

  it('tells different people apart', () => {
    expect(namesLookAlike(person('Grace', 'Njeri'), person('Samuel', 'Otieno'))).toBe(false);
    expect(namesLookAlike(person('Grace', 'Njeri'), person('Grace', 'Otieno'))).toBe(false);
    expect(namesLookAlike(person('Grace', 'Njeri'), person('Halima', 'Njeri'))).toBe(false);
    expect(namesLookAlike(person('', 'Njeri'), person('Grace', 'Njeri'))).toBe(false);
  });

  it('compares the first word of each name: a second given name does not make another person', () => {
    expect(namesLookAlike(person('Mary Anne', 'Atieno'), person('Mary', 'Atieno'))).toBe(true);
  });

  it('property: a one-letter typo in a name of five or more letters still looks alike', () => {
    fc.assert(
      fc.property(
        longName.chain((name) => fc.tuple(fc.constant(name), withOneTypo(name))),
        longName,
        ([name, typo], other) => {
          expect(namesLookAlike(person(name, other), person(typo, other))).toBe(true);
          expect(namesLookAlike(person(other, name), person(other, typo))).toBe(true);
          // ... and with given and family names swapped at the desk as well.
          expect(namesLookAlike(person(name, other), person(other, typo))).toBe(true);
        },
      ),
    );
  });

  it('property: looking alike does not depend on which record is the probe', () => {
    fc.assert(
      fc.property(longName, longName, longName, longName, (a, b, c, d) => {
        expect(namesLookAlike(person(a, b), person(c, d))).toBe(namesLookAlike(person(c, d), person(a, b)));
      }),
    );
  });
});

describe('duplicateReasons', () => {
  const existing = { givenName: 'Grace', familyName: 'Njeri', birthDate: '1988-04-12', phoneDigits: '254712345678', nationalId: '28817345' };

  it('names a look-alike name on the same birth date', () => {
    expect(duplicateReasons({ givenName: 'Grace', familyName: 'Njery', birthDate: '1988-04-12' }, existing)).toEqual(['name_and_birth_date']);
    expect(duplicateReasons({ givenName: 'Njeri', familyName: 'Grace', birthDate: '1988-04-12' }, existing)).toEqual(['name_and_birth_date']);
  });

  it('does not call the same name a duplicate on another birth date, or without one', () => {
    expect(duplicateReasons({ givenName: 'Grace', familyName: 'Njeri', birthDate: '1988-04-13' }, existing)).toEqual([]);
    expect(duplicateReasons({ givenName: 'Grace', familyName: 'Njeri' }, existing)).toEqual([]);
    expect(duplicateReasons({ givenName: 'Grace', familyName: 'Njeri', birthDate: null }, existing)).toEqual([]);
  });

  it('names the same phone digits whatever the name', () => {
    expect(duplicateReasons({ givenName: 'Peter', familyName: 'Njeri', phoneDigits: '254712345678' }, existing)).toEqual(['phone']);
  });

  it('compares phone digits exactly: a local number is not the same digits as its international form', () => {
    expect(duplicateReasons({ givenName: 'Peter', familyName: 'Njeri', phoneDigits: '0712345678' }, existing)).toEqual([]);
  });

  it('ignores phone numbers too short to mean anything', () => {
    const short = { ...existing, phoneDigits: '12345' };
    expect(duplicateReasons({ givenName: 'Peter', familyName: 'Mwangi', phoneDigits: '12345' }, short)).toEqual([]);
    expect(duplicateReasons({ givenName: 'Peter', familyName: 'Mwangi', phoneDigits: null }, { ...existing, phoneDigits: null })).toEqual([]);
  });

  it('names the same national id, and lists every reason that applies', () => {
    expect(duplicateReasons({ givenName: 'Someone', familyName: 'Else', nationalId: '28817345' }, existing)).toEqual(['national_id']);
    expect(
      duplicateReasons({ givenName: 'Grace', familyName: 'Njeri', birthDate: '1988-04-12', phoneDigits: '254712345678', nationalId: '28817345' }, existing),
    ).toEqual(['name_and_birth_date', 'phone', 'national_id']);
    expect(duplicateReasons({ givenName: 'Someone', familyName: 'Else', nationalId: null }, { ...existing, nationalId: null })).toEqual([]);
  });
});

describe('formatMrn', () => {
  it('puts the prefix before six digits, and more once the clinic outgrows them', () => {
    expect(DEFAULT_MRN_PREFIX).toBe('P-');
    expect(formatMrn('P-', 1)).toBe('P-000001');
    expect(formatMrn('P-', 42)).toBe('P-000042');
    expect(formatMrn('KNH-', 999_999)).toBe('KNH-999999');
    expect(formatMrn('', 7)).toBe('000007');
    expect(formatMrn('P-', 1_000_000)).toBe('P-1000000');
  });

  const prefix = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-'), maxLength: 8 });
  const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

  it('property: within six digits, MRNs with the same prefix sort as text as their numbers sort', () => {
    fc.assert(
      fc.property(prefix, fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 1, max: 999_999 }), (p, a, b) => {
        expect(compareText(formatMrn(p, a), formatMrn(p, b))).toBe(Math.sign(a - b));
      }),
    );
  });

  it('property: beyond six digits, length then text still sorts as the numbers sort, and no two numbers share an MRN', () => {
    fc.assert(
      fc.property(prefix, fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 1, max: 99_999_999 }), (p, a, b) => {
        const x = formatMrn(p, a);
        const y = formatMrn(p, b);
        expect(Math.sign(x.length - y.length) || compareText(x, y)).toBe(Math.sign(a - b));
        if (a !== b) expect(x).not.toBe(y);
      }),
    );
  });
});

describe('phoneDigits and numberAlternatives', () => {
  it('keeps only the digits, and nothing for a number without any', () => {
    expect(phoneDigits('+254 (712) 345-678')).toBe('254712345678');
    expect(phoneDigits('0712 345 678')).toBe('0712345678');
    expect(phoneDigits('0712-345-678')).toBe('0712345678');
    expect(phoneDigits('')).toBeNull();
    expect(phoneDigits(null)).toBeNull();
    expect(phoneDigits(undefined)).toBeNull();
    expect(phoneDigits('ext.')).toBeNull();
  });

  it('property: formatting never changes the digits', () => {
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 15 });
    const separator = fc.constantFrom('', ' ', '-', '.', '(', ')', ' - ');
    fc.assert(
      fc.property(digits, fc.array(separator, { minLength: 16, maxLength: 16 }), fc.boolean(), (raw, separators, plus) => {
        const formatted = (plus ? '+' : '') + [...raw].map((digit, index) => digit + separators[index]).join('');
        expect(phoneDigits(formatted)).toBe(raw);
      }),
    );
  });

  it('adds the number without its trunk 0, so a local number finds the international form', () => {
    expect(numberAlternatives('0712345678')).toEqual(['0712345678', '712345678']);
    expect(numberAlternatives('0123')).toEqual(['0123', '123']);
    expect(numberAlternatives('012')).toEqual(['012']);
    expect(numberAlternatives('712345678')).toEqual(['712345678']);
    expect(numberAlternatives('254712345678')).toEqual(['254712345678']);
  });
});

describe('ftsPhrase and nameDistance', () => {
  it('quotes each word as a phrase and requires all of them', () => {
    expect(ftsPhrase(['grace'])).toBe('"grace"');
    expect(ftsPhrase(['grace', 'njeri'])).toBe('"grace" AND "njeri"');
    expect(ftsPhrase(['a"b'])).toBe('"a""b"');
  });

  it('scores a substring as exact and a typo by its edit distance', () => {
    expect(nameDistance(['anji'], 'Amani', 'Faith', 'Wanjiru')).toBe(0);
    expect(nameDistance(['wanjeru'], 'Amani', null, 'Wanjiru')).toBe(1);
    expect(nameDistance(['wanjeru', 'amany'], 'Amani', null, 'Wanjiru')).toBe(2);
    expect(nameDistance(['x'], null, '')).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('mayReadPatient', () => {
  const staff = new Set(['patients.read']);
  const own = new Set(['patients.read_own']);

  it('lets staff with patients.read open any record', () => {
    expect(mayReadPatient(staff, null, 'p1')).toBe(true);
    expect(mayReadPatient(staff, 'p2', 'p1')).toBe(true);
  });

  it('lets a patient open only the record linked to their account', () => {
    expect(mayReadPatient(own, 'p1', 'p1')).toBe(true);
    expect(mayReadPatient(own, 'p1', 'p2')).toBe(false);
    expect(mayReadPatient(own, null, 'p1')).toBe(false);
  });

  it('refuses a user with neither permission, even for a record linked to them', () => {
    expect(mayReadPatient(new Set(['users.manage']), 'p1', 'p1')).toBe(false);
    expect(mayReadPatient(new Set(), null, 'p1')).toBe(false);
  });
});

describe('normalizeImportedSex', () => {
  it('maps what spreadsheets write onto the registry values', () => {
    expect(normalizeImportedSex('F')).toBe('female');
    expect(normalizeImportedSex(' m ')).toBe('male');
    expect(normalizeImportedSex('O')).toBe('other');
    expect(normalizeImportedSex('u')).toBe('unknown');
    expect(normalizeImportedSex('')).toBe('unknown');
    expect(normalizeImportedSex('Female')).toBe('female');
    expect(normalizeImportedSex('MALE')).toBe('male');
    // Anything else is passed on for the schema to refuse.
    expect(normalizeImportedSex('x')).toBe('x');
  });
});

describe('typingDistance', () => {
  it('counts a swap of neighbouring letters as one slip, like any other single edit', () => {
    expect(typingDistance('grace', 'graec')).toBe(1);
    expect(typingDistance('grace', 'grace')).toBe(0);
    expect(typingDistance('grace', 'grade')).toBe(1);
    expect(typingDistance('grace', 'grac')).toBe(1);
    expect(typingDistance('grace', 'rgaec')).toBe(2);
    expect(typingDistance('', 'abc')).toBe(3);
  });

  it('makes a swapped-letter name look alike', () => {
    expect(namesLookAlike(person('Graec', 'Njeri'), person('Grace', 'Njeri'))).toBe(true);
  });
});

describe('numberAlternatives for an MRN', () => {
  it('drops the trunk 0 only from what was typed as a phone number', () => {
    expect(numberAlternatives('000010', 'P-000010')).toEqual(['000010']);
    expect(numberAlternatives('0712345678', '0712 345 678')).toEqual(['0712345678', '712345678']);
  });
});

describe('mergeAllergies', () => {
  it('keeps every allergy of both records once, the kept record’s wording first', () => {
    const kept = [{ substance: 'Penicillin', severity: 'severe' }];
    const duplicate = [
      { substance: ' penicillin', severity: 'mild' },
      { substance: 'Latex', severity: 'moderate' },
    ];
    expect(mergeAllergies(kept, duplicate)).toEqual([kept[0], duplicate[1]]);
    expect(mergeAllergies([], duplicate)).toEqual(duplicate);
  });
});
