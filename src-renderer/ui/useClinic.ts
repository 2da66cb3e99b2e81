import { clinicLocalDate } from '../../src-shared/time.js';
import { useProcedureQuery } from '../api/hooks.js';
import { browserTimeZone } from './clinicSelects.js';
import { useNow } from './useNow.js';

/**
 * The clinic's time zone and currency. Until the settings arrive, this computer's zone (it is
 * usually at the clinic; UTC when the zone list does not know it, so formatters never throw) and
 * USD; `loaded` says when the values are the clinic's own.
 */
export function useClinic(): { timeZone: string; currency: string; loaded: boolean } {
  const settings = useProcedureQuery('settings.get', {});
  return {
    timeZone: settings.data?.timeZone ?? browserTimeZone(),
    currency: settings.data?.currency ?? 'USD',
    loaded: Boolean(settings.data),
  };
}

/** Today's date at the clinic (YYYY-MM-DD), moving on at midnight there. */
export function useClinicToday(): string {
  const { timeZone } = useClinic();
  const now = useNow();
  try {
    return clinicLocalDate(now, timeZone);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}
