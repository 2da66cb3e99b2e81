import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';

/**
 * A warning the server lets the user confirm (a patient booked elsewhere at that time, booked
 * appointments left outside new hours): go ahead anyway, or go back and change what was asked.
 * The form's own submit button is disabled meanwhile, so the confirm button takes the focus.
 */
export function ConfirmWarning({
  title,
  message,
  confirmLabel,
  backLabel,
  onConfirm,
  onBack,
  busy,
}: {
  title: string;
  message: string;
  confirmLabel: string;
  backLabel: string;
  onConfirm: () => void;
  onBack: () => void;
  busy: boolean;
}) {
  return (
    <Alert color="yellow" variant="light" icon={<IconAlertTriangle aria-hidden />} title={title} role="alert">
      <Stack gap="sm">
        <Text fz="sm">{message}</Text>
        <Group gap="sm">
          <Button color="yellow" c="dark" onClick={onConfirm} loading={busy} autoFocus>
            {confirmLabel}
          </Button>
          <Button variant="default" onClick={onBack}>
            {backLabel}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
