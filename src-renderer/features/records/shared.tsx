import { Badge, Button, Group, Text } from '@mantine/core';
import type { KeyboardEvent, ReactNode } from 'react';
import { clinicLocalDate } from '../../../src-shared/time.js';
import { type ApiError, errorMessage } from '../../api/client.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { useClinic } from '../../ui/useClinic.js';
import { useMe } from '../auth/session.js';
import { FLAG_LABELS, type Flag, formatWhen } from './format.js';

export function useCan(permission: string): boolean {
  return useMe().permissions.includes(permission as never);
}

export type ChartAccess = 'loading' | 'full' | 'prescriptions' | 'none' | 'error';

/**
 * How much of this chart the user may read, as the main side will decide it: by role, as the
 * patient themself or through emergency access (everything), the pharmacy (prescriptions only),
 * or nothing. The renderer only uses this to show the right screen.
 */
export function useChartAccess(patientId: string): { access: ChartAccess; via: 'role' | 'own_record' | 'emergency' | null; until: string | null } {
  const me = useMe();
  const check = useProcedureQuery('emergency.accessTo', { patientId });
  if (check.isPending) return { access: 'loading', via: null, until: null };
  if (check.isError) return { access: 'error', via: null, until: null };
  if (check.data.allowed) return { access: 'full', via: check.data.via, until: check.data.until };
  return { access: me.permissions.includes('clinical.read_prescriptions') ? 'prescriptions' : 'none', via: null, until: null };
}

export function FlagBadge({ flag, size = 'sm' }: { flag: Flag | null | undefined; size?: 'xs' | 'sm' | 'md' }) {
  const shown = flag ? FLAG_LABELS[flag] : null;
  if (!shown) return null;
  return (
    <Badge color={shown.color} variant={flag === 'normal' ? 'light' : 'filled'} size={size} tt="none" data-flag={flag}>
      {shown.label}
    </Badge>
  );
}

/** Ctrl+Enter (or ⌘+Enter) in a long text field saves the form, as Enter does in the short ones. */
export function submitOnCtrlEnter(event: KeyboardEvent<HTMLTextAreaElement>): void {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    event.currentTarget.form?.requestSubmit();
  }
}

export function FormButtons({ onCancel, submitLabel, busy, extra }: { onCancel: () => void; submitLabel: string; busy: boolean; extra?: ReactNode }) {
  return (
    <Group justify="space-between" gap="sm" mt="xs">
      <Text fz="xs" c="dimmed">
        {extra}
      </Text>
      <Group gap="sm">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={busy}>
          {submitLabel}
        </Button>
      </Group>
    </Group>
  );
}

/** The refusal of a whole form (not one field), in words. */
export function RefusalAlert({ error, title = 'Not saved' }: { error: ApiError | null | undefined; title?: string }) {
  if (!error) return null;
  return <ErrorAlert title={title}>{errorMessage(error)}</ErrorAlert>;
}

/**
 * The patient's latest visits, to link an order or prescription to one. The newest is chosen
 * by default when it was today: that is the visit the doctor is writing.
 */
export function useVisitOptions(patientId: string, enabled = true) {
  const { timeZone } = useClinic();
  const visits = useProcedureQuery('records.timeline', { patientId, kinds: ['encounter'], limit: 10 }, { enabled });
  const entries = visits.data?.entries ?? [];
  const today = clinicLocalDate(new Date(), timeZone);
  const newest = entries[0];
  const defaultId = newest && clinicLocalDate(new Date(newest.at), timeZone) === today ? newest.id : null;
  const options = entries.map((entry) => ({ value: entry.id, label: `${formatWhen(entry.at, timeZone)} · ${entry.title.replace(/^Visit: /, '')}` }));
  return { options, defaultId, loaded: !visits.isPending };
}
