import { Alert, Anchor, Button, Modal, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconEdit, IconGitMerge, IconUserCheck, IconUserX } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import type { PatientRecord } from '../../../src-shared/contract/patients.js';
import { patientDisplayName } from '../../../src-shared/schemas/patient.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { useClinic, useClinicToday } from '../../ui/useClinic.js';
import { useMe } from '../auth/session.js';
import { PatientAppointments } from '../visits/index.js';
import { ClinicalRecordSection } from './ClinicalRecordSection.js';
import { MergeForm } from './MergeDialog.js';
import { DemographicsCard, PatientBanner } from './PatientBanner.js';
import { DeactivateForm, ReactivateConfirm } from './StatusDialogs.js';

type Dialog = 'deactivate' | 'reactivate' | 'merge' | null;

/** One patient: who they are (allergies first), their details, what the user may do, then the clinical record. */
export function PatientPage({ id }: { id: string }) {
  const record = useProcedureQuery('patients.get', { id });
  const name = record.data ? patientDisplayName(record.data) : 'Patient';
  useDocumentTitle(`${name} · Asclepia`);

  if (record.isPending) {
    return (
      <Stack gap="lg" maw={1100} aria-busy="true" aria-label="Loading the patient record">
        <Skeleton h={140} radius="lg" />
        <Skeleton h={200} />
      </Stack>
    );
  }
  if (record.isError) {
    const refused = record.error.code === 'FORBIDDEN';
    const missing = record.error.code === 'NOT_FOUND';
    return (
      <Stack gap="md" maw={640}>
        <Title order={1}>{refused ? 'Not your record' : missing ? 'Patient not found' : 'Patient record'}</Title>
        <ErrorAlert>{errorMessage(record.error)}</ErrorAlert>
        <Text>
          <Anchor component={Link} href="/">
            Go to your home page
          </Anchor>
        </Text>
      </Stack>
    );
  }
  return <PatientRecordView patient={record.data} />;
}

export function PatientRecordView({ patient, headingOrder = 1 }: { patient: PatientRecord; headingOrder?: 1 | 2 }) {
  const me = useMe();
  const [, navigate] = useLocation();
  const today = useClinicToday();
  const { timeZone } = useClinic();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const name = patientDisplayName(patient);
  const tombstone = patient.mergedInto;
  const canWrite = me.permissions.includes('patients.write') && !tombstone;
  const canMerge = me.permissions.includes('patients.merge') && !tombstone;

  const actions =
    canWrite || canMerge ? (
      <>
        {canWrite ? (
          <Button component={Link} href={`/patients/${patient.id}/edit`} leftSection={<IconEdit size={16} aria-hidden />}>
            Edit
          </Button>
        ) : null}
        {canMerge ? (
          <Button variant="default" leftSection={<IconGitMerge size={16} aria-hidden />} onClick={() => setDialog('merge')}>
            Merge a duplicate
          </Button>
        ) : null}
        {canWrite && patient.active ? (
          <Button variant="default" color="red" c="red.8" leftSection={<IconUserX size={16} aria-hidden />} onClick={() => setDialog('deactivate')}>
            Deactivate
          </Button>
        ) : null}
        {canWrite && !patient.active ? (
          <Button variant="default" leftSection={<IconUserCheck size={16} aria-hidden />} onClick={() => setDialog('reactivate')}>
            Reactivate
          </Button>
        ) : null}
      </>
    ) : null;

  return (
    <Stack gap="lg" maw={1100}>
      {tombstone ? (
        <Alert color="orange" variant="filled" title="This record was merged" role="status">
          This record was merged into{' '}
          <Anchor component={Link} href={`/patients/${tombstone.id}`} c="white" fw={700} underline="always">
            {tombstone.mrn}
          </Anchor>
          . Open that record: everything recorded here has moved there.
        </Alert>
      ) : null}
      <PatientBanner patient={patient} today={today} order={headingOrder} actions={actions} />
      <DemographicsCard patient={patient} timeZone={timeZone} />
      {!tombstone && me.permissions.includes('appointments.read') ? <PatientAppointments patientId={patient.id} /> : null}
      {tombstone ? null : <ClinicalRecordSection patientId={patient.id} patientName={name} timeZone={timeZone} />}

      <Modal opened={dialog === 'deactivate'} onClose={close} title={`Deactivate ${name}?`}>
        {dialog === 'deactivate' ? <DeactivateForm patient={patient} onClose={close} /> : null}
      </Modal>
      <Modal opened={dialog === 'reactivate'} onClose={close} title={`Reactivate ${name}?`}>
        {dialog === 'reactivate' ? <ReactivateConfirm patient={patient} onClose={close} /> : null}
      </Modal>
      <Modal opened={dialog === 'merge'} onClose={close} title={`Merge a duplicate into ${name} (${patient.mrn})`} size="xl" closeOnClickOutside={false}>
        {dialog === 'merge' ? (
          <MergeForm
            current={patient}
            onClose={close}
            onMerged={(kept) => {
              close();
              if (kept.id !== patient.id) navigate(`/patients/${kept.id}`);
            }}
          />
        ) : null}
      </Modal>
    </Stack>
  );
}
