import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { insertPatient } from '../src-main/modules/patients/queries.js';
import { classifySearch, ftsPhrase, nameKeys, numberAlternatives } from '../src-main/modules/patients/rules.js';
import type { PatientSummary } from '../src-shared/contract/patients.js';
import { type PatientFieldsInput, patientFields } from '../src-shared/schemas/patient.js';
import type { BenchArea, BenchContext, BenchOperation } from './lib.js';

/**
 * The patient registry: N generated patients written through the real insert path (the same
 * function registration uses: the MRN counter, the row, its phonetic keys, and the trigram index
 * through the triggers), then the one search box timed through the whole router.
 */

/** A list written as words separated by white space. */
const words = (text: string) => text.trim().split(/\s+/);

const DEFAULT_PATIENTS = 200_000;
const BATCH = 5_000;
const SEARCH_TARGET_P95_MS = 10;
const LIMIT = 20;
/** As in searchPatients: a name search orders at most this many matching records. */
const CANDIDATES = 200;
const PREFIX_CANDIDATES = 60;

const FEMALE = words(`
  Grace Faith Mercy Esther Joyce Mary Ann Jane Lucy Alice Agnes Beatrice Caroline Catherine Christine Dorcas Doris Edith Elizabeth Eunice
  Everlyne Florence Gladys Hannah Hellen Irene Janet Josephine Judith Lilian Lydia Margaret Martha Monica Nancy Naomi Pauline Purity Rachael
  Rose Ruth Sarah Susan Tabitha Teresia Veronica Winnie Wanjiku Wairimu Njeri Akinyi Atieno Achieng Awino Adhiambo Anyango Nafula Nekesa
  Wambui Nyokabi Chebet Chepkoech Jepkosgei Jelagat Kendi Makena Nkatha Kawira Mwende Mueni Ndinda Syokau Zawadi Amani Imani Neema Halima
  Fatuma Amina Zainab Aisha Mwanaisha Rehema Saida Khadija Hawa Nasra Sofia Olivia Emma Chloe Zoe Priya Anjali Fatima Maryam Ngozi Chiamaka
  Adaeze Abena Akosua Thandiwe
`);
const MALE = words(`
  Joseph Samuel Brian Peter John James David Daniel Paul Stephen Michael George Charles Francis Patrick Kennedy Dennis Kevin Collins Victor
  Vincent Erick Evans Felix Geoffrey Isaac Jackson Julius Lawrence Martin Moses Nicholas Philip Robert Simon Thomas Timothy Wilson Benson
  Duncan Edwin Elijah Gideon Hezron Ibrahim Mohamed Hassan Hussein Abdi Omar Yusuf Ali Salim Juma Baraka Amani Otieno Ochieng Odhiambo Omondi
  Onyango Owino Kamau Kariuki Mwangi Njoroge Kimani Githinji Kiprono Kipchoge Kiptoo Cheruiyot Kibet Mutua Musyoka Kioko Wafula Wekesa Barasa
  Simiyu Murithi Mugambi Kirimi Gitonga Luca Mateo Noah Liam Arjun Rahul Chinedu Emeka Kwame Kofi Sipho Tendai Tariq Karim Jomo Ngugi Tom
`);
const FAMILY = words(`
  Kamau Mwangi Njoroge Kariuki Kimani Githinji Wanjiru Wanjiku Njeri Waweru Macharia Gichuru Kinyua Maina Ndungu Nyambura Wambugu Muriuki
  Gathoni Karanja Kiarie Mbugua Njenga Gitau Ngugi Kahindi Muthoni Wairimu Otieno Ochieng Odhiambo Omondi Onyango Owino Okoth Oduor Ouma
  Okello Ogola Obiero Achieng Atieno Awuor Adongo Ojwang Oloo Opiyo Orwa Oyugi Wasonga Kiprono Kipchoge Kiptoo Cheruiyot Kibet Koech Langat
  Rotich Ruto Sang Tanui Chebet Chepkemoi Jeptoo Kiplagat Korir Kosgei Lagat Bett Mutai Mutua Musyoka Kioko Mwende Muthama Ndambuki Nzioka
  Wambua Kilonzo Mutiso Kyalo Munyao Mulwa Makau Wafula Wekesa Barasa Simiyu Wanyama Nafula Nekesa Masinde Wanjala Khaemba Juma Shikuku
  Makokha Murithi Mugambi Kirimi Gitonga Mwiti Kinoti Kaberia Mutembei Abdi Mohamed Hassan Hussein Ali Omar Ahmed Ibrahim Yusuf Adan Abdullahi
  Farah Noor Osman Salat Said Bakari Mwinyi Rashid Salim Athman Chengo Kazungu Katana Baya Kahindi Mwakio Mwadime Mghanga Wakesho Ngala
  Mwamburi Nyawira Wangari Wangui Wanjohi Mburu Gachanja Kamande Mungai Ndegwa Mbuthia Kuria Mwaura Chege Irungu Kagwe Kimathi Kinuthia
  Mathenge Muriithi Nderitu Njuguna Thuo Wachira Gathogo Mugo Muchiri Kibaki Kenyatta Odinga Moi Mboya Nyerere Okonkwo Adeyemi Okafor Nwosu
  Eze Mensah Owusu Boateng Asante Nkosi Dlamini Ndlovu Moyo Banda Phiri Tembo Mwale Haddad Khalil Nasser Petrova Ivanova Alves Silva Santos
  Costa Garcia Martinez Lopez Rossi Bianchi Muller Schmidt Schneider Fischer Weber Meyer Wagner Becker Smith Johnson Williams Brown Jones
  Miller Davis Wilson Taylor Anderson Thomas Moore Martin Jackson Thompson White Harris Clark Lewis Walker Patel Shah Mehta Sharma Singh Kumar
  Gupta Desai Joshi Nair Menon Iyer Reddy Rao Chopra
`);
const TOWNS = words(`
  Nairobi Mombasa Kisumu Nakuru Eldoret Thika Machakos Nyeri Meru Kakamega Kitale Garissa Malindi Naivasha
`);
const STREETS = [
  'Ngong Road',
  'Moi Avenue',
  'Kenyatta Avenue',
  'Jogoo Road',
  'Mombasa Road',
  'Thika Road',
  'Waiyaki Way',
  'Oginga Odinga Street',
  'Haile Selassie Avenue',
];
const SUBSTANCES = words(`
  Penicillin Sulfonamides Aspirin Ibuprofen Latex Peanuts Shellfish Codeine Eggs
`);
const SEVERITIES = ['mild', 'moderate', 'severe', 'unknown'] as const;
const BLOOD = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'] as const;

/** What the bench remembers of each generated patient, to build queries it can check. */
interface Generated {
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  /** The nine digits after the trunk 0 or country code, if the patient has a phone. */
  subscriber: string | null;
  nationalId: string | null;
}

/** The generated patients of each bench run, kept between generate() and operations(). */
const state = new WeakMap<BenchContext, Generated[]>();

const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

function generatePatient(ctx: BenchContext, taken: Set<string>): { input: PatientFieldsInput; subscriber: string | null; nationalId: string | null } {
  const { random } = ctx;
  const female = random.chance(0.52);
  const givenName = random.pick(female ? FEMALE : MALE);
  const familyName = random.pick(FAMILY);
  const otherNames = random.chance(0.3) ? random.pick(female ? FEMALE : MALE) : null;
  // Ages from newborn to 95, more of them young, as in a general clinic.
  const age = Math.min(95, Math.floor(-Math.log(1 - random.next()) * 28));
  const birth = new Date(Date.UTC(2026 - age - 1, 0, 1) + random.int(0, 364) * 86_400_000);
  const subscriber = random.chance(0.85) ? `7${random.digits(8)}` : null;
  let phone: string | null = null;
  if (subscriber) {
    const [a, b, c] = [subscriber.slice(0, 3), subscriber.slice(3, 6), subscriber.slice(6)];
    phone = random.pick([`0${a} ${b} ${c}`, `+254 ${a} ${b} ${c}`, `0${a}${b}${c}`, `+254${a}${b}${c}`, `0${a}-${b}-${c}`]);
  }
  let nationalId: string | null = null;
  if (age >= 18 && random.chance(0.8)) {
    do nationalId = String(random.int(10_000_000, 39_999_999));
    while (taken.has(nationalId));
    taken.add(nationalId);
  }
  const input: PatientFieldsInput = {
    givenName,
    familyName,
    otherNames,
    sex: random.chance(0.01) ? 'unknown' : female ? 'female' : 'male',
    birthDate: birth.toISOString().slice(0, 10),
    phone,
    email: random.chance(0.2) ? `${fold(givenName)}.${fold(familyName)}${random.int(1, 999)}@example.org` : null,
    address: random.chance(0.6) ? `${random.pick(STREETS)} ${random.int(1, 400)}, ${random.pick(TOWNS)}` : null,
    nationalId,
    bloodGroup: random.chance(0.5) ? random.pick(BLOOD) : null,
    allergies: random.chance(0.1)
      ? [{ substance: random.pick(SUBSTANCES), reaction: random.chance(0.5) ? 'Rash' : null, severity: random.pick(SEVERITIES) }]
      : [],
    emergencyContact: random.chance(0.4) ? { name: `${random.pick(FEMALE)} ${familyName}`, relationship: 'Relative', phone: `07${random.digits(8)}` } : null,
    notes: null,
  };
  return { input, subscriber, nationalId };
}

/**
 * A one-letter misspelling of a family name that sounds the same and is no part of any real
 * name, so the search must fall back to the phonetic keys: Wanjiru -> Wanjeru.
 */
function typoPairs(): Array<{ correct: string; typo: string }> {
  const everyName = [...FEMALE, ...MALE, ...FAMILY].map(fold);
  const pairs: Array<{ correct: string; typo: string }> = [];
  for (const correct of FAMILY) {
    if (correct.length < 5) continue;
    for (let at = correct.length - 2; at >= 1; at -= 1) {
      const letter = correct[at] ?? '';
      if (!'aeiou'.includes(letter)) continue;
      const replacement = letter === 'e' ? 'i' : 'e';
      const typo = correct.slice(0, at) + replacement + correct.slice(at + 1);
      const soundsSame = nameKeys(typo).some((key) => nameKeys(correct).includes(key));
      if (soundsSame && !everyName.some((name) => name.includes(fold(typo)))) {
        pairs.push({ correct, typo });
        break;
      }
    }
  }
  return pairs;
}

/**
 * searchPatients (src-main/modules/patients/queries.ts) as hand-written prepared statements on
 * the raw handle: the same SQL and the same control flow, without the router, the session,
 * zod, Kysely or the ranking of sound-alikes.
 */
class BaselineSearch {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly ctx: BenchContext) {}

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.ctx.sqlite.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  search(text: string): unknown[] {
    const live = 'patients.merged_into IS NULL AND patients.active = 1';
    const search = classifySearch(text);
    if (search.kind === 'birth_date') {
      return this.prepare(`SELECT * FROM patients WHERE ${live} AND birth_date = ? ORDER BY family_name, given_name LIMIT ?`).all(search.date, LIMIT);
    }
    if (search.kind === 'number') {
      const tombstone = this.prepare('SELECT mrn, merged_into FROM patients WHERE mrn = ? AND merged_into IS NOT NULL').get(search.text) as
        | { merged_into: string }
        | undefined;
      const kept = tombstone ? this.prepare(`SELECT * FROM patients WHERE ${live} AND id = ?`).get(tombstone.merged_into) : undefined;
      const match = `numbers:(${numberAlternatives(search.digits)
        .map((digits) => ftsPhrase([digits]))
        .join(' OR ')})`;
      const rows = this.prepare(
        `SELECT * FROM patients WHERE ${live} AND patients.rowid IN (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ?)
         ORDER BY CASE WHEN patients.mrn = ? THEN 0 ELSE 1 END, CASE WHEN patients.active = 1 THEN 0 ELSE 1 END, patients.family_name LIMIT ?`,
      ).all(match, search.text, LIMIT);
      return kept ? [kept, ...rows] : rows;
    }
    const words = search.words;
    if (words.length === 0) return [];
    const long = words.filter((word) => word.length >= 3);
    const short = words.filter((word) => word.length < 3);
    const conditions = [live];
    const params: unknown[] = [];
    if (long.length > 0) {
      conditions.push(`patients.rowid IN (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ? LIMIT ${CANDIDATES})`);
      params.push(`names:(${ftsPhrase(long)})`);
    }
    for (const word of short) {
      const upper = word.slice(0, -1) + String.fromCharCode(word.charCodeAt(word.length - 1) + 1);
      conditions.push(`patients.rowid IN (SELECT rowid FROM patients WHERE
        (family_name COLLATE NOCASE >= ? AND family_name COLLATE NOCASE < ?)
        OR (given_name COLLATE NOCASE >= ? AND given_name COLLATE NOCASE < ?)
        OR (other_names COLLATE NOCASE >= ? AND other_names COLLATE NOCASE < ?) LIMIT ${PREFIX_CANDIDATES})`);
      params.push(word, upper, word, upper, word, upper);
    }
    const found = this.prepare(
      `SELECT * FROM patients WHERE ${conditions.join(' AND ')}
       ORDER BY CASE WHEN patients.active = 1 THEN 0 ELSE 1 END, patients.family_name, patients.given_name LIMIT ?`,
    ).all(...params, LIMIT);
    if (found.length >= LIMIT) return found;
    const keysPerWord = words.map((word) => nameKeys(word)).filter((keys) => keys.length > 0);
    if (keysPerWord.length === 0) return found;
    const everyWord = keysPerWord
      .map((keys) => `SELECT patient_id FROM patient_name_keys WHERE name_key IN (${keys.map(() => '?').join(', ')})`)
      .join(' INTERSECT ');
    const similar = this.prepare(`SELECT * FROM patients WHERE ${live} AND patients.id IN (${everyWord} LIMIT ${CANDIDATES}) LIMIT 200`).all(
      ...keysPerWord.flat(),
    );
    return [...found, ...similar];
  }
}

function summaries(result: unknown): PatientSummary[] {
  const envelope = (result as { envelope: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }).envelope;
  if (!envelope.ok) throw new Error(`the core answered ${envelope.error?.code}: ${envelope.error?.message}`);
  return envelope.value as PatientSummary[];
}

function expectThat(condition: boolean, message: string): void {
  if (!condition) throw new Error(`bench check failed: ${message}`);
}

export const patientsBench: BenchArea = {
  name: 'patients',

  async generate(ctx) {
    const total = Number(ctx.options.args.get('patients') ?? DEFAULT_PATIENTS);
    if (!Number.isInteger(total) || total < 100) throw new Error('--patients needs a whole number of at least 100');
    const taken = new Set<string>();
    const generated: Generated[] = [];
    // Registrations spread over the last ten years, in order.
    const from = Date.parse('2016-03-01T06:00:00.000Z');
    const span = Date.parse('2026-03-01T06:00:00.000Z') - from;
    const existing = ctx.sqlite.prepare('SELECT count(*) FROM patients').pluck().get() as number;
    const started = performance.now();
    for (let offset = 0; offset < total; offset += BATCH) {
      const count = Math.min(BATCH, total - offset);
      await ctx.db.transaction().execute(async (trx) => {
        for (let index = offset; index < offset + count; index += 1) {
          const { input, subscriber, nationalId } = generatePatient(ctx, taken);
          const fields = patientFields.parse(input);
          const createdAt = new Date(from + Math.floor((span * index) / total)).toISOString();
          await insertPatient(trx, fields, createdAt, 'bench');
          generated.push({
            mrn: `P-${String(existing + index + 1).padStart(6, '0')}`,
            givenName: fields.givenName,
            familyName: fields.familyName,
            birthDate: fields.birthDate,
            subscriber,
            nationalId,
          });
        }
      });
      const done = offset + count;
      if (done % 50_000 === 0 || done === total) {
        const seconds = (performance.now() - started) / 1000;
        ctx.log(`  ${done.toLocaleString('en')} patients written (${Math.round(done / seconds).toLocaleString('en')}/s)`);
      }
    }
    const last = generated.at(-1);
    const check = ctx.sqlite.prepare('SELECT mrn FROM patients ORDER BY rowid DESC LIMIT 1').pluck().get();
    if (check !== last?.mrn) throw new Error(`generated MRNs are off: expected ${last?.mrn}, found ${String(check)}`);
    state.set(ctx, generated);
  },

  async operations(ctx) {
    const generated = state.get(ctx);
    if (!generated) throw new Error('patients: generate() first');
    const desk = await ctx.callerFor('front_desk');
    const baseline = new BaselineSearch(ctx);
    const pool = ctx.options.iterations + ctx.options.warmup;
    // Inputs are drawn once, so the core and the baseline answer the same questions.
    const picks = Array.from({ length: pool }, () => generated[ctx.random.int(0, generated.length - 1)] as Generated);
    const withPhone = generated.filter((patient) => patient.subscriber);
    const withId = generated.filter((patient) => patient.nationalId);
    const typos = typoPairs();
    const typoTargets = generated.filter((patient) => typos.some((pair) => pair.correct === patient.familyName));
    const draw = <T>(items: readonly T[]) => Array.from({ length: pool }, () => items[ctx.random.int(0, items.length - 1)] as T);

    const searchOperation = (name: string, description: string, queries: string[], check: (i: number, results: PatientSummary[]) => void): BenchOperation => ({
      name,
      description,
      targetP95Ms: SEARCH_TARGET_P95_MS,
      core: (i) => ctx.core.call('patients.search', { query: queries[i] }, desk),
      baseline: (i) => baseline.search(queries[i] ?? ''),
      check: (i, result) => check(i, summaries(result)),
    });

    // A four-letter piece of a family name, from anywhere in it: "anji", "chie".
    const fragments = picks.map((patient) => {
      const name = fold(patient.familyName);
      const at = ctx.random.int(0, Math.max(0, name.length - 4));
      return name.slice(at, at + 4);
    });
    const typoPicks = draw(typoTargets);
    const typoQueries = typoPicks.map((patient) => `${patient.givenName} ${typos.find((pair) => pair.correct === patient.familyName)?.typo}`);
    const mrnPicks = draw(generated);
    const phonePicks = draw(withPhone);
    // Typed as a local number with its trunk 0, whichever form it was stored in.
    const phoneQueries = phonePicks.map(({ subscriber: s }) => `0${s?.slice(0, 3)} ${s?.slice(3, 6)} ${s?.slice(6)}`);
    const idPicks = draw(withId);
    const datePicks = draw(generated);
    const dateQueries = datePicks.map(({ birthDate }) => {
      const [year, month, day] = birthDate.split('-');
      return `${day}/${month}/${year}`;
    });
    const prefixes = picks.map((patient) => fold(patient.familyName).slice(0, 2));

    return [
      searchOperation('patients.search.name_fragment', 'four letters from inside a family name', fragments, (i, results) => {
        // Names holding the fragment come first; sound-alikes may follow when there are few.
        const first = results[0];
        expectThat(first !== undefined && fold(first.name).includes(fragments[i] ?? ''), `“${first?.name}” does not contain “${fragments[i]}”`);
      }),
      searchOperation('patients.search.typo', 'given name + misspelt family name', typoQueries, (i, results) => {
        const target = typoPicks[i] as Generated;
        expectThat(
          results.some((result) => result.name.startsWith(target.givenName) && result.name.endsWith(target.familyName)),
          `“${typoQueries[i]}” did not find any ${target.givenName} ${target.familyName}`,
        );
      }),
      searchOperation(
        'patients.search.mrn',
        'a full MRN',
        mrnPicks.map((patient) => patient.mrn),
        (i, results) => {
          expectThat(results[0]?.mrn === mrnPicks[i]?.mrn, `MRN ${mrnPicks[i]?.mrn} is not the first result`);
        },
      ),
      searchOperation('patients.search.phone', 'a phone typed locally (0712 345 678)', phoneQueries, (i, results) => {
        expectThat(
          results.some((result) => result.mrn === phonePicks[i]?.mrn),
          `phone ${phoneQueries[i]} did not find ${phonePicks[i]?.mrn}`,
        );
      }),
      searchOperation(
        'patients.search.national_id',
        'a national id',
        idPicks.map((patient) => patient.nationalId ?? ''),
        (i, results) => {
          expectThat(
            results.some((result) => result.mrn === idPicks[i]?.mrn),
            `national id did not find ${idPicks[i]?.mrn}`,
          );
        },
      ),
      searchOperation('patients.search.birth_date', 'a date of birth as DD/MM/YYYY', dateQueries, (i, results) => {
        expectThat(results.length > 0 && results.every((result) => result.birthDate === datePicks[i]?.birthDate), `birth date ${dateQueries[i]} found others`);
      }),
      searchOperation('patients.search.two_letters', 'the first two letters of a name, as typed', prefixes, (i, results) => {
        expectThat(results.length > 0, `nothing found for “${prefixes[i]}”`);
      }),
    ];
  },
};
