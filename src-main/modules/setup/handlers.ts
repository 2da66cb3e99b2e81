import { AppError } from '../../../src-shared/errors.js';
import { writeAudit } from '../../core/audit/audit.js';
import { isoNow } from '../../core/clock.js';
import type { Handlers } from '../../core/procedure.js';
import { StoreOpenError, WrongSecretError } from '../../core/store.js';
import { insertClinicSettings, readClinicSettings } from '../settings/queries.js';
import { insertUser, seedDefaultRoles } from '../users/queries.js';

export const setupHandlers: Handlers<'setup.status' | 'setup.createClinic' | 'setup.unlock'> = {
  'setup.status': {
    withoutStore: true,
    run: async (_input, { store }) => {
      const state = store.state();
      return {
        state,
        clinicName: state === 'ready' ? (await readClinicSettings(store.db)).clinicName : null,
        passphraseRequired: store.protection === 'ask',
      };
    },
  },

  'setup.createClinic': {
    withoutStore: true,
    run: async ({ clinic, admin, passphrase }, { store, clock, workstation }) => {
      if (store.state() !== 'needs_setup') throw new AppError('CONFLICT', 'This workstation already has a clinic. Sign in instead.');
      if (store.protection === 'ask' && !passphrase) {
        throw new AppError('VALIDATION', 'Choose a passphrase to protect the clinic database.', {
          passphrase: 'Choose a passphrase of at least 10 characters.',
        });
      }
      const nowIso = isoNow(clock);
      const created = store.create(async (db) => {
        await insertClinicSettings(db, clinic, nowIso, null);
        const roles = await seedDefaultRoles(db, nowIso);
        const adminId = await insertUser(db, { ...admin, roleId: roles.admin }, nowIso, null);
        await writeAudit(db, { at: nowIso, userId: adminId, workstation, procedure: 'setup.createClinic', entity: 'user', entityId: adminId, outcome: 'ok' });
      }, passphrase);
      try {
        return await created;
      } catch (error) {
        // A second click while the first is still creating the clinic, or after it finished.
        if (error instanceof StoreOpenError) throw new AppError('CONFLICT', error.message);
        throw error;
      }
    },
  },

  'setup.unlock': {
    withoutStore: true,
    run: async ({ method, secret }, { store, clock, workstation }) => {
      if (store.state() !== 'locked') throw new AppError('CONFLICT', 'The clinic database is already open.');
      try {
        await store.unlock(method, secret);
      } catch (error) {
        if (error instanceof WrongSecretError) throw new AppError('VALIDATION', error.message, { secret: error.message });
        if (error instanceof StoreOpenError) throw new AppError('CONFLICT', error.message);
        throw error;
      }
      await store.db
        .transaction()
        .execute((trx) => writeAudit(trx, { at: isoNow(clock), userId: null, workstation, procedure: 'setup.unlock', outcome: 'ok', details: { method } }));
      return null;
    },
  },
};
