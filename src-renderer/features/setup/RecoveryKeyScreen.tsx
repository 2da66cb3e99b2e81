import { Button, Checkbox, CopyButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { OutputOf } from '../../../src-shared/contract/index.js';
import { errorMessage, queryKey } from '../../api/client.js';
import { AuthLayout } from '../../ui/AuthLayout.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { useSignIn } from '../auth/session.js';
import type { CreatedClinic } from './SetupScreen.js';

/**
 * Shown once, right after setup: the recovery key opens the database when the passphrase or this
 * computer's key store is lost. Continue signs the new administrator in.
 */
export function RecoveryKeyScreen({ created, onDone }: { created: CreatedClinic; onDone: () => void }) {
  useDocumentTitle('Save your recovery key · Asclepia');
  const [stored, setStored] = useState(false);
  const groups = keyGroups(created.recoveryKey);
  const signIn = useSignIn();
  const queryClient = useQueryClient();

  /** The store is ready now; say so at once (no flash of the setup form), then ask the server. */
  const finish = () => {
    const statusKey = queryKey('setup.status');
    queryClient.setQueryData<OutputOf<'setup.status'>>(statusKey, (old) => ({
      state: 'ready',
      clinicName: created.clinicName,
      passphraseRequired: old?.passphraseRequired ?? false,
    }));
    void queryClient.invalidateQueries({ queryKey: statusKey });
    onDone();
  };

  const onContinue = () => {
    signIn.mutate({ username: created.username, password: created.password }, { onSuccess: finish });
  };

  return (
    <AuthLayout width={600}>
      <Stack gap="lg">
        <div>
          <Title order={1} fz="h2">
            Save your recovery key
          </Title>
          <Text mt="xs">The clinic is set up. This recovery key opens the clinic database if the passphrase or this computer’s key store is ever lost.</Text>
          <Text mt="xs">
            Write it down now and keep it somewhere safe, away from this computer. Asclepia shows it only this once and cannot show it again. Anyone who has it
            and a copy of the database can open the clinic’s records.
          </Text>
        </div>

        <Paper withBorder radius="md" p="lg" bg="var(--mantine-color-yellow-0)" style={{ borderColor: 'var(--mantine-color-yellow-5)' }}>
          <Stack align="center" gap="sm">
            <Text fz="xs" fw={700} tt="uppercase" c="yellow.9" id="recovery-key-label">
              Recovery key
            </Text>
            <Text
              data-testid="recovery-key"
              ff="monospace"
              fw={700}
              fz={{ base: 18, sm: 24 }}
              ta="center"
              style={{ letterSpacing: '0.05em', userSelect: 'all' }}
            >
              {groups.map((group) => (
                // Wrap only between groups, never inside one.
                <span key={group.start} style={{ display: 'inline-block', whiteSpace: 'nowrap' }}>
                  {group.text}
                </span>
              ))}
            </Text>
            <CopyButton value={created.recoveryKey} timeout={2500}>
              {({ copied, copy }) => (
                <Button
                  variant="light"
                  color={copied ? 'teal' : 'gray'}
                  onClick={copy}
                  leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                >
                  {copied ? 'Copied' : 'Copy recovery key'}
                </Button>
              )}
            </CopyButton>
          </Stack>
        </Paper>

        <Checkbox
          checked={stored}
          onChange={(event) => setStored(event.currentTarget.checked)}
          label="I have written down the recovery key and stored it safely"
        />

        {signIn.isError ? (
          <ErrorAlert title="The administrator could not be signed in">
            <Stack gap="xs" align="flex-start">
              <Text fz="sm">{errorMessage(signIn.error)}</Text>
              <Button size="xs" variant="white" color="red" onClick={finish}>
                Go to sign-in
              </Button>
            </Stack>
          </ErrorAlert>
        ) : null}

        <Group justify="flex-end">
          <Button size="md" disabled={!stored} loading={signIn.isPending} onClick={onContinue}>
            Continue
          </Button>
        </Group>
      </Stack>
    </AuthLayout>
  );
}

/** "ABCDE-FGHIJ" as ["ABCDE-", "FGHIJ"], keyed by where each starts; the text copies unchanged. */
function keyGroups(key: string): { text: string; start: number }[] {
  const groups: { text: string; start: number }[] = [];
  for (const match of key.matchAll(/[^-]+-?/g)) groups.push({ text: match[0], start: match.index });
  return groups;
}
