import type { Handlers } from '../../core/procedure.js';
import { readClinicSettings, updateClinicSettings } from './queries.js';

export const settingsHandlers: Handlers<'settings.get' | 'settings.update'> = {
  'settings.get': async (_input, ctx) => readClinicSettings(ctx.db),
  'settings.update': async ({ version, ...settings }, ctx) => {
    await updateClinicSettings(ctx.db, settings, version, ctx.nowIso);
    ctx.audit.entity = 'settings';
    ctx.audit.entityId = 'clinic';
    return readClinicSettings(ctx.db);
  },
};
