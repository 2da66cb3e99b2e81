import { Alert, Box, Button, Group, Modal, Paper, Skeleton, Stack, Text, Textarea, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconLock, IconUrgent } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { formatClinicShort } from '../../ui/clinicTime.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { useMe } from '../auth/session.js';
import { PatientChart } from '../records/index.js';

/**
 * The clinical part of a patient's page. The chart shows only when the main side says this user
 * may read it now (their role, their own record, or an open emergency access); otherwise a plain
 * panel says so and offers emergency access, which asks for a reason.
 */
export function ClinicalRecordSection({ patientId, patientName, timeZone }: { patientId: string; patientName: string; timeZone: string }) {
  const access = useProcedureQuery('emergency.accessTo', { patientId });
  // The pharmacy reads prescriptions to dispense them; the chart then shows only those.
  const prescriptionsOnly = useMe().permissions.includes('clinical.read_prescriptions');
  const [asking, setAsking] = useState(false);

  let body: React.ReactNode;
  if (access.isPending) {
    body = <Skeleton h={120} aria-label="Checking access to the clinical record" />;
  } else if (access.isError) {
    body = <ErrorAlert>{errorMessage(access.error)}</ErrorAlert>;
  } else if (access.data.allowed || prescriptionsOnly) {
    body = (
      <Stack gap="md">
        {access.data.via === 'emergency' ? (
          <Alert color="orange" variant="light" icon={<IconUrgent aria-hidden />} title="Emergency access">
            You opened this record in an emergency
            {access.data.until ? `; the access ends at ${formatClinicShort(access.data.until, timeZone)}` : ''}. What you read is recorded and reviewed by an
            administrator.
          </Alert>
        ) : null}
        <Box data-testid="patient-chart">
          <PatientChart patientId={patientId} />
        </Box>
      </Stack>
    );
  } else {
    body = <NotAvailablePanel onAsk={() => setAsking(true)} />;
  }

  return (
    <Stack gap="sm" component="section" aria-labelledby="clinical-record-title" data-testid="clinical-record">
      <Title order={2} fz="h3" id="clinical-record-title">
        Clinical record
      </Title>
      {body}
      <Modal
        opened={asking}
        onClose={() => setAsking(false)}
        title={`Emergency access to ${patientName}’s clinical record`}
        size="lg"
        closeOnClickOutside={false}
      >
        {asking ? <EmergencyAccessForm patientId={patientId} onClose={() => setAsking(false)} /> : null}
      </Modal>
    </Stack>
  );
}

function NotAvailablePanel({ onAsk }: { onAsk: () => void }) {
  const me = useMe();
  return (
    <Paper withBorder radius="md" p="lg" bg="gray.0" data-testid="clinical-record-unavailable">
      <Group align="flex-start" wrap="nowrap" gap="md">
        <ThemeIcon size={40} radius="xl" color="gray" variant="light" aria-hidden>
          <IconLock size={22} />
        </ThemeIcon>
        <Stack gap="xs" align="flex-start">
          <Text fw={700} fz="lg">
            Clinical record: not available to your role
          </Text>
          <Text>
            As {me.role.label}, you see this patient’s demographics only. In an emergency you can open the clinical record for one hour: you give a reason, and
            an administrator reviews every emergency access.
          </Text>
          <Button color="red" variant="outline" leftSection={<IconUrgent size={16} aria-hidden />} onClick={onAsk}>
            Emergency access
          </Button>
        </Stack>
      </Group>
    </Paper>
  );
}

function EmergencyAccessForm({ patientId, onClose }: { patientId: string; onClose: () => void }) {
  const open = useProcedureMutation('emergency.open');
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const short = reason.trim().length < 10;
  const fieldError = open.error?.fields.reason ?? (touched && short ? 'Describe the emergency in at least 10 characters' : undefined);

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (short) return;
    open.mutate(
      { patientId, reason: reason.trim() },
      {
        onSuccess: async () => {
          await queryClient.invalidateQueries({ queryKey: ['emergency.accessTo'] });
          notifySuccess('Emergency access opened', 'The clinical record is open to you for one hour. An administrator will review this access.');
          onClose();
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Emergency access">
      <Stack gap="md">
        <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />}>
          Use this only when the patient’s care cannot wait. The access is recorded with your name and reason, lasts one hour, and is reviewed by an
          administrator.
        </Alert>
        <Textarea
          label="Reason"
          description="What is happening, and why you need the clinical record now (at least 10 characters)"
          autosize
          minRows={3}
          maxLength={500}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          onBlur={() => setTouched(true)}
          error={fieldError}
          data-autofocus
          required
        />
        {open.isError && !open.error.fields.reason ? <ErrorAlert title="Not opened">{errorMessage(open.error)}</ErrorAlert> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color="red" loading={open.isPending}>
            Open the clinical record
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
