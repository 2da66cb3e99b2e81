import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import type { UserSummary } from '../../../src-shared/contract/users.js';
import { CopyValueButton } from '../../ui/CopyValueButton.js';

/**
 * A temporary password, shown once: the administrator passes it on and never learns the one the
 * person chooses at their first sign-in.
 */
export function TemporaryPasswordPanel({ user, password, intro, onDone }: { user: UserSummary; password: string; intro: string; onDone: () => void }) {
  // Focus lands on Copy, beside the password, rather than on Done (an Enter there would lose it).
  const panelRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    panelRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, []);
  return (
    <Stack gap="md" ref={panelRef}>
      <Text>{intro}</Text>
      <Paper withBorder radius="md" p="md" bg="var(--mantine-color-teal-0)" style={{ borderColor: 'var(--mantine-color-teal-3)' }}>
        <Stack gap={6}>
          <Text fz="sm" fw={600} id="temporary-password-label">
            Temporary password for {user.username}
          </Text>
          <Group justify="space-between" wrap="nowrap" gap="sm">
            <Text
              ff="monospace"
              fz={26}
              fw={700}
              lts="0.06em"
              data-testid="temporary-password"
              aria-labelledby="temporary-password-label"
              style={{ userSelect: 'all', wordBreak: 'break-all' }}
            >
              {password}
            </Text>
            <CopyValueButton value={password} what="temporary password" />
          </Group>
        </Stack>
      </Paper>
      <Alert color="blue" variant="light" icon={<IconKey aria-hidden />}>
        Give this password to {user.displayName} in person. At their first sign-in they must choose their own password, which nobody else will know. It is shown
        only now: once you close this, it cannot be displayed again (you can reset the password instead).
      </Alert>
      <Group justify="flex-end">
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}
