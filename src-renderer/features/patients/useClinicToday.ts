import { clinicLocalDate } from '../../../src-shared/time.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { useNow } from '../../ui/useNow.js';

/** Today's date at the clinic (YYYY-MM-DD), for ages; this computer's zone until the settings arrive. */
export function useClinicToday(): string {
  const settings = useProcedureQuery('settings.get', {});
  const now = useNow();
  const zone = settings.data?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    return clinicLocalDate(now, zone);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}
