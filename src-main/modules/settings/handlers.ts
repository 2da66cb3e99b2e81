import type { Handlers } from '../../core/procedure.js';
import { readClinicSettings, readSecurityPolicy, updateClinicSettings, writeSecurityPolicy } from './queries.js';

export const settingsHandlers: Handlers<'settings.get' | 'settings.update' | 'settings.getSecurity' | 'settings.updateSecurity'> = {
  'settings.get': async (_input, ctx) => readClinicSettings(ctx.db),
  'settings.update': async ({ version, ...settings }, ctx) => {
    await updateClinicSettings(ctx.db, settings, version, ctx.nowIso);
    ctx.audit.entity = 'settings';
    ctx.audit.entityId = 'clinic';
    return readClinicSettings(ctx.db);
  },
  'settings.getSecurity': async (_input, ctx) => readSecurityPolicy(ctx.db),
  'settings.updateSecurity': async ({ version, ...policy }, ctx) => {
    await writeSecurityPolicy(ctx.db, policy, version, ctx.nowIso, ctx.user().userId);
    ctx.audit.entity = 'settings';
    ctx.audit.entityId = 'security';
    ctx.audit.details = policy;
    return readSecurityPolicy(ctx.db);
  },
};
