import type { Handlers } from '../../core/procedure.js';
import { readClinicSettings, readRegistrySettings, readSecurityPolicy, updateClinicSettings, writeRegistrySettings, writeSecurityPolicy } from './queries.js';

export const settingsHandlers: Handlers<
  'settings.get' | 'settings.update' | 'settings.getSecurity' | 'settings.updateSecurity' | 'settings.getRegistry' | 'settings.updateRegistry'
> = {
  'settings.get': async (_input, ctx) => readClinicSettings(ctx.db),
  'settings.update': async ({ version, ...settings }, ctx) => {
    await updateClinicSettings(ctx.db, settings, version, ctx.nowIso, ctx.user().userId);
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
  'settings.getRegistry': async (_input, ctx) => readRegistrySettings(ctx.db),
  'settings.updateRegistry': async ({ version, ...settings }, ctx) => {
    await writeRegistrySettings(ctx.db, settings, version, ctx.nowIso, ctx.user().userId);
    ctx.audit.entity = 'settings';
    ctx.audit.entityId = 'registry';
    ctx.audit.details = settings;
    return readRegistrySettings(ctx.db);
  },
};
