import { Button, Drawer, Group, Modal, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconDownload, IconFlask, IconHeartbeat, IconNotes, IconPill, IconShieldLock } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import type { PatientRecord } from '../../../src-shared/contract/patients.js';
import type { TimelineEntry } from '../../../src-shared/contract/records.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { downloadTextFile } from '../../ui/download.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifyError, notifySuccess } from '../../ui/notify.js';
import { useClinic } from '../../ui/useClinic.js';
import { useMe } from '../auth/session.js';
import { AttachmentDetail, EncounterDetail, type OpenEntry, OrderDetail, PrescriptionDetail, VitalsDetail } from './EntryDetail.js';
import { formatWhen, KIND_LABELS } from './format.js';
import { EncounterForm } from './forms/EncounterForm.js';
import { OrderTestsForm } from './forms/OrderTestsForm.js';
import { PrescriptionForm } from './forms/PrescriptionForm.js';
import { VitalsForm } from './forms/VitalsForm.js';
import { useCan, useChartAccess } from './shared.js';
import { Timeline } from './Timeline.js';
import { VitalsCharts } from './VitalsCharts.js';

type Dialog = { kind: 'encounter'; appointmentId?: string } | { kind: 'vitals' | 'order' | 'prescribe' } | { kind: 'prescribed'; id: string };

/** `?visit=<appointment id>` (from the doctor's queue) opens a new encounter for that appointment. */
export const VISIT_PARAM = 'visit';

function allergyLine(allergy: PatientRecord['allergies'][number]): string {
  return `${allergy.substance}${allergy.reaction ? ` (${allergy.reaction})` : ''}, ${allergy.severity}`;
}

/**
 * Allergies at the head of the chart, in red when there are any: they are what a prescriber must
 * not miss, and the chart is where prescribing starts.
 */
function AllergyStrip({ patient, prescriber }: { patient: PatientRecord | undefined; prescriber: boolean }) {
  if (!patient) return <Skeleton h={40} />;
  const none = patient.allergies.length === 0;
  return (
    <Paper
      radius="md"
      px="md"
      py="xs"
      withBorder={none}
      bg={none ? undefined : 'red.0'}
      style={none ? undefined : { border: '2px solid var(--mantine-color-red-7)' }}
      data-testid="chart-allergies"
    >
      <Group gap="xs" wrap="nowrap" align="flex-start">
        {none ? null : <IconAlertTriangle size={20} color="var(--mantine-color-red-8)" aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />}
        <Text fz="sm" c={none ? undefined : 'red.9'}>
          <Text span fw={700}>
            Allergies:
          </Text>{' '}
          {none ? (
            `none recorded.${prescriber ? ' Ask before prescribing.' : ''}`
          ) : (
            <Text span fw={600}>
              {patient.allergies.map(allergyLine).join(' · ')}
            </Text>
          )}
        </Text>
      </Group>
    </Paper>
  );
}

/** Normally the patient page shows its own panel (with emergency access) instead of the chart; this is the fallback. */
function NoAccess() {
  return (
    <Paper withBorder radius="md" p="lg">
      <Stack gap="sm" align="flex-start">
        <Group gap="xs">
          <IconShieldLock size={20} aria-hidden />
          <Text fw={600}>The clinical record is closed to your role</Text>
        </Group>
        <Text fz="sm">Visits, vitals, results and prescriptions are for the clinical staff treating this patient.</Text>
      </Stack>
    </Paper>
  );
}

function entryTitle(entry: OpenEntry & { at?: string }, timeZone: string): string {
  const when = entry.at ? ` · ${formatWhen(entry.at, timeZone)}` : '';
  switch (entry.kind) {
    case 'encounter':
      return `Visit${when}`;
    case 'order':
    case 'result':
      return `Test order${when}`;
    default:
      return `${KIND_LABELS[entry.kind].one}${when}`;
  }
}

/**
 * One patient's clinical record under their demographics: allergies, what the user may do, the
 * vitals trend charts and the timeline of everything, newest first. Each entry opens in a panel.
 */
export function PatientChart({ patientId }: { patientId: string }) {
  const { access } = useChartAccess(patientId);
  const patient = useProcedureQuery('patients.get', { id: patientId });
  const { timeZone } = useClinic();
  const canWrite = useCan('clinical.write');
  const canVitals = useCan('vitals.write');
  const me = useMe();
  const canExport = ['reports.all', 'reports.lists', 'reports.own'].some((permission) => me.permissions.includes(permission as never));
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [entry, setEntry] = useState<(OpenEntry & { at: string }) | null>(null);
  const [drawerLocked, setDrawerLocked] = useState(false);
  const queryClient = useQueryClient();
  const exportCsv = useProcedureMutation('records.exportCsv');
  const visitFor = new URLSearchParams(useSearch()).get(VISIT_PARAM);
  const [location, navigate] = useLocation();
  useEffect(() => {
    if (!visitFor || access !== 'full' || !canWrite) return;
    setDialog({ kind: 'encounter', appointmentId: visitFor });
    // The hash router would carry the parameter to the next screen and open the form again there.
    navigate(location, { replace: true });
  }, [visitFor, access, canWrite, location, navigate]);
  const close = () => setDialog(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['records.timeline'] });
    void queryClient.invalidateQueries({ queryKey: ['vitals.series'] });
  };
  const allergies = (patient.data?.allergies ?? []).map(allergyLine);

  const onExport = () =>
    exportCsv.mutate(
      { patientId },
      {
        onSuccess: ({ fileName, csv, rows }) => {
          downloadTextFile(fileName, csv, 'text/csv;charset=utf-8');
          notifySuccess('Record exported', `${rows} ${rows === 1 ? 'entry' : 'entries'} saved as ${fileName}.`);
        },
        onError: (error) => notifyError('Not exported', errorMessage(error)),
      },
    );

  const full = access === 'full';
  const onOpen = (opened: TimelineEntry) => {
    setDrawerLocked(false);
    setEntry({ kind: opened.kind, id: opened.id, at: opened.at });
  };

  return (
    <Stack gap="lg" data-testid="records-chart">
      <AllergyStrip patient={patient.data} prescriber={canWrite} />
      {patient.isError ? <ErrorAlert>{errorMessage(patient.error)}</ErrorAlert> : null}

      {full ? (
        <Group gap="xs" role="toolbar" aria-label="Clinical actions">
          {canWrite ? (
            <Button leftSection={<IconNotes size={16} aria-hidden />} onClick={() => setDialog({ kind: 'encounter' })}>
              New encounter
            </Button>
          ) : null}
          {canVitals ? (
            <Button variant="light" leftSection={<IconHeartbeat size={16} aria-hidden />} onClick={() => setDialog({ kind: 'vitals' })}>
              Record vitals
            </Button>
          ) : null}
          {canWrite ? (
            <Button variant="light" leftSection={<IconFlask size={16} aria-hidden />} onClick={() => setDialog({ kind: 'order' })}>
              Order tests
            </Button>
          ) : null}
          {canWrite ? (
            <Button variant="light" leftSection={<IconPill size={16} aria-hidden />} onClick={() => setDialog({ kind: 'prescribe' })} disabled={!patient.data}>
              Prescribe
            </Button>
          ) : null}
          {canExport ? (
            <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} onClick={onExport} loading={exportCsv.isPending}>
              Export record (CSV)
            </Button>
          ) : null}
        </Group>
      ) : null}

      {access === 'loading' ? <Skeleton h={240} /> : null}
      {access === 'error' ? <ErrorAlert>The clinical record could not be opened. Please try again.</ErrorAlert> : null}
      {access === 'none' ? <NoAccess /> : null}
      {access === 'prescriptions' ? (
        <Stack gap="sm" component="section" aria-labelledby="timeline-title">
          <Title order={3} id="timeline-title">
            Prescriptions
          </Title>
          <Text fz="sm" c="dimmed">
            Your role sees this patient’s prescriptions, to dispense them.
          </Text>
          <Timeline patientId={patientId} allowedKinds={['prescription']} onOpen={onOpen} />
        </Stack>
      ) : null}
      {full ? (
        <>
          <Stack gap="sm" component="section" aria-labelledby="vitals-title">
            <Title order={3} id="vitals-title">
              Vitals
            </Title>
            <VitalsCharts patientId={patientId} onRecord={canVitals ? () => setDialog({ kind: 'vitals' }) : undefined} />
          </Stack>
          <Stack gap="sm" component="section" aria-labelledby="timeline-title">
            <Title order={3} id="timeline-title">
              Timeline
            </Title>
            <Timeline patientId={patientId} onOpen={onOpen} />
          </Stack>
        </>
      ) : null}

      <Modal
        opened={dialog?.kind === 'encounter'}
        onClose={close}
        title={dialog?.kind === 'encounter' && dialog.appointmentId ? 'Visit for this appointment' : 'New encounter'}
        size="xl"
        closeOnClickOutside={false}
      >
        {dialog?.kind === 'encounter' ? (
          <EncounterForm
            patientId={patientId}
            appointmentId={dialog.appointmentId}
            onCancel={close}
            onSaved={() => {
              refresh();
              close();
            }}
          />
        ) : null}
      </Modal>
      <Modal opened={dialog?.kind === 'vitals'} onClose={close} title="Record vitals" size="xl" closeOnClickOutside={false}>
        {dialog?.kind === 'vitals' ? (
          <VitalsForm
            patientId={patientId}
            onCancel={close}
            onSaved={() => {
              refresh();
              close();
            }}
          />
        ) : null}
      </Modal>
      <Modal opened={dialog?.kind === 'order'} onClose={close} title="Order tests" size="lg" closeOnClickOutside={false}>
        {dialog?.kind === 'order' ? (
          <OrderTestsForm
            patientId={patientId}
            onCancel={close}
            onSaved={() => {
              refresh();
              close();
            }}
          />
        ) : null}
      </Modal>
      <Modal
        opened={dialog?.kind === 'prescribe' || dialog?.kind === 'prescribed'}
        onClose={close}
        title={dialog?.kind === 'prescribed' ? 'Prescription saved' : 'Prescribe'}
        size="xl"
        closeOnClickOutside={false}
      >
        {dialog?.kind === 'prescribe' ? (
          <PrescriptionForm
            patientId={patientId}
            allergies={allergies}
            onCancel={close}
            onSaved={(saved) => {
              refresh();
              setDialog({ kind: 'prescribed', id: saved.id });
            }}
          />
        ) : null}
        {dialog?.kind === 'prescribed' ? (
          <Stack gap="md">
            <PrescriptionDetail id={dialog.id} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Done
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>

      <Drawer
        opened={entry !== null}
        onClose={() => setEntry(null)}
        position="right"
        size="xl"
        title={entry ? entryTitle(entry, timeZone) : ''}
        closeButtonProps={{ 'aria-label': 'Close' }}
        closeOnClickOutside={!drawerLocked}
        closeOnEscape={!drawerLocked}
      >
        {entry?.kind === 'encounter' ? <EncounterDetail id={entry.id} onEditing={setDrawerLocked} /> : null}
        {entry?.kind === 'order' || entry?.kind === 'result' ? <OrderDetail id={entry.id} /> : null}
        {entry?.kind === 'prescription' ? <PrescriptionDetail id={entry.id} /> : null}
        {entry?.kind === 'vitals' ? <VitalsDetail patientId={patientId} id={entry.id} /> : null}
        {entry?.kind === 'attachment' ? <AttachmentDetail id={entry.id} /> : null}
      </Drawer>
    </Stack>
  );
}
