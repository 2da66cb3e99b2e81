import { Badge, type BadgeProps } from '@mantine/core';
import { type AppointmentStatus, STATUS_LABELS } from '../../../src-shared/schemas/appointments.js';

export const STATUS_COLORS: Record<AppointmentStatus, string> = {
  booked: 'blue',
  checked_in: 'grape',
  completed: 'teal',
  cancelled: 'gray',
  no_show: 'orange',
};

export function StatusBadge({ status, ...props }: { status: AppointmentStatus } & Omit<BadgeProps, 'children' | 'color'>) {
  return (
    <Badge color={STATUS_COLORS[status]} variant={status === 'cancelled' ? 'outline' : 'light'} tt="none" data-status={status} {...props}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}
