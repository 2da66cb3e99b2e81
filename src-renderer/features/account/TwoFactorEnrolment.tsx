import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Checkbox, Group, Image, List, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useEffect, useId, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { OutputOf } from '../../../src-shared/contract/index.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation } from '../../api/hooks.js';
import { CopyValueButton } from '../../ui/CopyValueButton.js';
import { downloadTextFile } from '../../ui/download.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';

type Begun = OutputOf<'auth.twoFactorBegin'>;

/** "JBSW Y3DP EHPK 3PXP": the key read aloud or typed into an app in groups of four. */
export function groupKey(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

function svgDataUri(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/**
 * Starts enrolment on request; the secret is new each time and only becomes active once a code
 * proves the app has it. Cancel goes back to the start button (the unconfirmed secret is unused).
 */
export function TwoFactorEnrolment({ onConfirmed, framed = false }: { onConfirmed: (recoveryCodes: string[]) => void; framed?: boolean }) {
  const begin = useProcedureMutation('auth.twoFactorBegin');
  if (!begin.data) {
    return (
      <Stack gap="sm" align="flex-start">
        {begin.isError ? <ErrorAlert>{errorMessage(begin.error)}</ErrorAlert> : null}
        <Button onClick={() => begin.mutate({})} loading={begin.isPending}>
          Set up two-factor sign-in
        </Button>
      </Stack>
    );
  }
  const steps = <EnrolmentSteps begun={begin.data} onConfirmed={onConfirmed} onCancel={() => begin.reset()} />;
  return framed ? (
    <Paper withBorder p="lg" radius="md">
      {steps}
    </Paper>
  ) : (
    steps
  );
}

const confirmSchema = z.object({
  code: z
    .string()
    .trim()
    .transform((code) => code.replace(/\s/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, 'Enter the six digits your authenticator app shows')),
});
type ConfirmInput = z.input<typeof confirmSchema>;
type ConfirmOutput = z.output<typeof confirmSchema>;

function EnrolmentSteps({ begun, onConfirmed, onCancel }: { begun: Begun; onConfirmed: (codes: string[]) => void; onCancel: () => void }) {
  const confirm = useProcedureMutation('auth.twoFactorConfirm');
  const form = useForm<ConfirmInput, unknown, ConfirmOutput>({ resolver: zodResolver(confirmSchema), defaultValues: { code: '' } });
  const { errors } = form.formState;
  const onSubmit = form.handleSubmit(
    async ({ code }) => {
      try {
        const { recoveryCodes } = await confirm.mutateAsync({ code });
        onConfirmed(recoveryCodes);
      } catch (error) {
        if (!applyServerFieldErrors(error, form.setError, ['code'])) return;
        form.resetField('code', { keepError: true });
      }
    },
    () => confirm.reset(),
  );
  const grouped = groupKey(begun.secret);
  // The start button is gone: keyboard focus moves to the steps that replaced it.
  const stepsRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    stepsRef.current?.focus({ preventScroll: true });
  }, []);

  return (
    <Stack gap="lg" ref={stepsRef} tabIndex={-1} style={{ outline: 'none' }} role="group" aria-label="Set up two-factor sign-in">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        <Stack gap="xs">
          <Text fw={600}>1. Scan this QR code</Text>
          <Text fz="sm" c="dimmed">
            Open an authenticator app on your phone (for example FreeOTP, Aegis, Google or Microsoft Authenticator) and add an account by scanning.
          </Text>
          <Paper withBorder p="sm" radius="md" w={212} bg="white">
            <Image src={svgDataUri(begun.qrSvg)} alt="QR code for your authenticator app" w={190} h={190} fit="contain" />
          </Paper>
        </Stack>
        <Stack gap="xs">
          <Text fw={600}>Or type this key</Text>
          <Text fz="sm" c="dimmed">
            If you cannot scan, choose “enter a setup key” in the app, and type the key below (spaces do not matter; time-based).
          </Text>
          <Text
            ff="monospace"
            fz="lg"
            fw={600}
            data-testid="two-factor-key"
            aria-label={`Setup key: ${grouped}`}
            style={{ wordBreak: 'break-word', letterSpacing: '0.04em' }}
            p="xs"
            bg="var(--mantine-color-gray-0)"
          >
            {grouped}
          </Text>
          <Group>
            <CopyValueButton value={begun.secret} what="setup key" size="xs" />
          </Group>
        </Stack>
      </SimpleGrid>
      <form onSubmit={onSubmit} noValidate aria-label="Confirm two-factor sign-in">
        <Stack gap="sm" maw={360}>
          <Text fw={600}>2. Enter the code the app shows</Text>
          <TextInput
            label="Code from the app"
            description="Six digits; it changes every 30 seconds"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={12}
            {...form.register('code')}
            error={errors.code?.message}
          />
          {confirm.isError && !confirm.error.fields.code ? <ErrorAlert>{errorMessage(confirm.error)}</ErrorAlert> : null}
          <Group gap="sm">
            <Button type="submit" loading={form.formState.isSubmitting}>
              Confirm
            </Button>
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

/**
 * The ten recovery codes, shown once: each opens the account once if the phone is lost. Done
 * stays disabled until the user says they have kept them.
 */
export function RecoveryCodesPanel({
  codes,
  username,
  onDone,
  headingOrder = 2,
}: {
  codes: string[];
  username: string;
  onDone: () => void;
  /** 1 where the panel is the whole screen (forced enrolment), 2 inside My account. */
  headingOrder?: 1 | 2;
}) {
  const [saved, setSaved] = useState(false);
  const text = codes.join('\n');
  const titleId = useId();
  useEffect(() => {
    document.getElementById(titleId)?.focus();
  }, [titleId]);
  const download = () =>
    downloadTextFile(
      `asclepia-recovery-codes-${username}.txt`,
      `Asclepia recovery codes for ${username}\r\nEach code signs you in once, instead of the code from your authenticator app.\r\nKeep them somewhere safe, away from your phone.\r\n\r\n${codes.join('\r\n')}\r\n`,
    );
  return (
    <Stack gap="md">
      <div>
        <Title order={headingOrder} fz={headingOrder === 1 ? 'h2' : 'h3'} id={titleId} tabIndex={-1} style={{ outline: 'none' }}>
          Two-factor sign-in is on: save your recovery codes
        </Title>
        <Text mt={4}>
          If you lose your phone, each of these codes lets you sign in once instead of the code from the app. They are shown only now: copy them, download them
          or write them down, and keep them away from your phone.
        </Text>
      </div>
      <Paper withBorder p="md" radius="md" bg="var(--mantine-color-gray-0)">
        <List
          type="ordered"
          withPadding
          data-testid="recovery-codes"
          aria-label="Recovery codes"
          ff="monospace"
          fz="lg"
          spacing={4}
          styles={{ root: { columns: 2, columnGap: 'var(--mantine-spacing-xl)' } }}
        >
          {codes.map((code) => (
            <List.Item key={code}>{code}</List.Item>
          ))}
        </List>
      </Paper>
      <Group gap="sm">
        <CopyValueButton value={text} what="recovery codes" />
        <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} onClick={download}>
          Download as text file
        </Button>
      </Group>
      <Checkbox label="I have saved these recovery codes" checked={saved} onChange={(event) => setSaved(event.currentTarget.checked)} />
      <Group>
        <Button onClick={onDone} disabled={!saved}>
          Done
        </Button>
      </Group>
    </Stack>
  );
}
