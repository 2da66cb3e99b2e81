import { Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AppointmentOut } from '../../../src-shared/contract/appointments.js';
import { ActionsHeader, DoctorCell, TablePanel } from '../../ui/lists.js';
import { clinicDateOf, StatusBadge, timeRange } from './shared.js';

/** A list of appointments: when, with whom, why, status, and an optional action per row. */
export function AppointmentTable({
  label,
  rows,
  timeZone,
  action,
  showPatient = false,
}: {
  label: string;
  rows: readonly AppointmentOut[];
  timeZone: string;
  action?: (appointment: AppointmentOut) => ReactNode;
  showPatient?: boolean;
}) {
  return (
    <TablePanel aria-label={label} miw={720}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Date</Table.Th>
          <Table.Th>Time</Table.Th>
          {showPatient ? <Table.Th>Patient</Table.Th> : null}
          <Table.Th>Doctor</Table.Th>
          <Table.Th>Reason</Table.Th>
          <Table.Th>Status</Table.Th>
          {action ? <ActionsHeader w={110} /> : null}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((appointment) => (
          <Table.Tr key={appointment.id} data-status={appointment.status}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{clinicDateOf(appointment.startAt, timeZone)}</Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{timeRange(appointment, timeZone)}</Table.Td>
            {showPatient ? <Table.Td>{appointment.patient.name}</Table.Td> : null}
            <DoctorCell name={appointment.doctor.name} department={appointment.departmentName} />
            <Table.Td>
              <Text fz="sm">{appointment.reason}</Text>
              {appointment.status === 'cancelled' && appointment.cancelReason ? (
                <Text fz="xs" c="dimmed">
                  Cancelled: {appointment.cancelReason}
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td>
              <StatusBadge status={appointment.status} />
            </Table.Td>
            {action ? <Table.Td>{action(appointment)}</Table.Td> : null}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </TablePanel>
  );
}
