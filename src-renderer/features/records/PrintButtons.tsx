import { Button, Group } from '@mantine/core';
import { IconDownload, IconPrinter } from '@tabler/icons-react';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation } from '../../api/hooks.js';
import { notifyError, notifySuccess } from '../../ui/notify.js';
import { downloadBase64, openPdf } from './files.js';

/** "Print" opens the prescription as a PDF in the browser's viewer; "Download PDF" saves it. */
export function PrescriptionPrintButtons({ prescriptionId }: { prescriptionId: string }) {
  const pdf = useProcedureMutation('prescriptions.pdf');
  const run = (how: 'print' | 'download') =>
    pdf.mutate(
      { id: prescriptionId },
      {
        onSuccess: ({ fileName, pdfBase64 }) => {
          if (how === 'download') {
            downloadBase64(fileName, pdfBase64, 'application/pdf');
            return;
          }
          if (openPdf(fileName, pdfBase64) === 'downloaded') {
            notifySuccess('Prescription saved as a PDF', `Open ${fileName} from your downloads to print it.`);
          }
        },
        onError: (error) => notifyError('Prescription not printed', errorMessage(error)),
      },
    );
  const busy = pdf.isPending ? pdf.variables?.id : null;
  return (
    <Group gap="sm">
      <Button leftSection={<IconPrinter size={16} aria-hidden />} onClick={() => run('print')} loading={Boolean(busy)}>
        Print
      </Button>
      <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} onClick={() => run('download')} disabled={Boolean(busy)}>
        Download PDF
      </Button>
    </Group>
  );
}
