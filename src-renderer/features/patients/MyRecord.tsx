import { Paper, Skeleton, Stack, Text } from '@mantine/core';
import { errorMessage } from '../../api/client.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { PatientRecordView } from './PatientPage.js';

/** A patient's landing: their own record (demographics, allergies, clinical record), never a search. */
export function MyRecord({ patientId }: { patientId: string | null }) {
  if (!patientId) {
    return (
      <Paper withBorder radius="md" p="lg" data-testid="my-record-unlinked">
        <Text fz="lg">Your account is not linked to a patient record yet. Please ask the front desk to link it; then your record appears here.</Text>
      </Paper>
    );
  }
  return <LinkedRecord patientId={patientId} />;
}

function LinkedRecord({ patientId }: { patientId: string }) {
  const record = useProcedureQuery('patients.get', { id: patientId });
  if (record.isPending) {
    return (
      <Stack gap="md" aria-busy="true" aria-label="Loading your record">
        <Skeleton h={140} radius="lg" />
        <Skeleton h={200} />
      </Stack>
    );
  }
  if (record.isError) return <ErrorAlert>{errorMessage(record.error)}</ErrorAlert>;
  return <PatientRecordView patient={record.data} headingOrder={2} />;
}
