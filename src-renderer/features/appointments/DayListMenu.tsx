import { Button, Menu } from '@mantine/core';
import { IconChevronDown, IconPrinter } from '@tabler/icons-react';
import type { DoctorOut } from '../../../src-shared/contract/appointments.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation } from '../../api/hooks.js';
import { notifyError, notifySuccess } from '../../ui/notify.js';
import { openPdf } from '../records/files.js';
import { formatDay } from './format.js';

/** "Print day list": one doctor's appointments for the day as a PDF, opened in the browser's viewer to print. */
export function DayListMenu({ doctors, date }: { doctors: readonly DoctorOut[]; date: string }) {
  const pdf = useProcedureMutation('appointments.dayListPdf');
  const print = (doctor: DoctorOut) =>
    pdf.mutate(
      { doctorId: doctor.userId, date },
      {
        onSuccess: ({ fileName, pdfBase64 }) => {
          if (openPdf(fileName, pdfBase64) === 'downloaded') {
            notifySuccess('Day list saved as a PDF', `Open ${fileName} from your downloads to print it.`);
          }
        },
        onError: (error) => notifyError('Day list not printed', errorMessage(error)),
      },
    );
  return (
    <Menu position="bottom-end" shadow="md" width={280} withinPortal>
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconPrinter size={16} aria-hidden />}
          rightSection={<IconChevronDown size={14} aria-hidden />}
          loading={pdf.isPending}
          disabled={doctors.length === 0}
        >
          Print day list
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{formatDay(date)}</Menu.Label>
        {doctors.map((doctor) => (
          <Menu.Item key={doctor.userId} onClick={() => print(doctor)}>
            {doctor.name}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
