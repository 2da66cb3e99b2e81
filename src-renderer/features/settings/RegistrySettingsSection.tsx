import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Paper, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import type { OutputOf } from '../../../src-shared/contract/index.js';
import { type RegistrySettings, registrySettings } from '../../../src-shared/schemas/settings.js';
import { errorMessage, queryKey } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';

type Loaded = OutputOf<'settings.getRegistry'>;

/** An example MRN with this prefix; the number itself comes from the registry's counter. */
export function exampleMrn(prefix: string): string {
  return `${prefix}000123`;
}

/** The patient registry's settings (the MRN prefix), saved on their own with their own version. */
export function RegistrySettingsSection() {
  const registry = useProcedureQuery('settings.getRegistry', {});
  return (
    <Stack gap="sm" component="section" aria-labelledby="registry-settings-title">
      <div>
        <Title order={2} fz="h3" id="registry-settings-title">
          Patient registry
        </Title>
        <Text c="dimmed" fz="sm" mt={4}>
          How new medical record numbers (MRNs) look. Existing MRNs never change.
        </Text>
      </div>
      {registry.isPending ? (
        <Skeleton h={120} aria-label="Loading the patient registry settings" />
      ) : registry.isError ? (
        <ErrorAlert>{errorMessage(registry.error)}</ErrorAlert>
      ) : (
        <RegistryForm loaded={registry.data} reload={async () => (await registry.refetch()).data} />
      )}
    </Stack>
  );
}

function RegistryForm({ loaded, reload }: { loaded: Loaded; reload: () => Promise<Loaded | undefined> }) {
  const queryClient = useQueryClient();
  const update = useProcedureMutation('settings.updateRegistry');
  const [version, setVersion] = useState(loaded.version);
  const [reloading, setReloading] = useState(false);
  const form = useForm<RegistrySettings>({ resolver: zodResolver(registrySettings), defaultValues: { mrnPrefix: loaded.mrnPrefix } });
  const { isDirty, errors } = form.formState;
  const prefix = form.watch('mrnPrefix');

  useEffect(() => {
    if (loaded.version !== version && !isDirty) {
      form.reset({ mrnPrefix: loaded.mrnPrefix });
      setVersion(loaded.version);
    }
  }, [loaded, version, isDirty, form]);

  const onSubmit = form.handleSubmit(
    async (values) => {
      try {
        const saved = await update.mutateAsync({ ...values, version });
        queryClient.setQueryData(queryKey('settings.getRegistry'), saved);
        form.reset({ mrnPrefix: saved.mrnPrefix });
        setVersion(saved.version);
        notifySuccess('Patient registry settings saved', `New patients get MRNs like ${exampleMrn(saved.mrnPrefix)}.`);
      } catch (error) {
        applyServerFieldErrors(error, form.setError, ['mrnPrefix']);
      }
    },
    () => update.reset(),
  );

  const onReload = async () => {
    setReloading(true);
    try {
      const fresh = await reload();
      if (fresh) {
        form.reset({ mrnPrefix: fresh.mrnPrefix });
        setVersion(fresh.version);
        update.reset();
      }
    } finally {
      setReloading(false);
    }
  };
  const conflict = update.isError && update.error.code === 'CONFLICT';
  const mrnField = form.register('mrnPrefix', { setValueAs: (value: string) => value.toUpperCase() });

  return (
    <Paper withBorder p="lg" radius="md">
      <form onSubmit={onSubmit} noValidate aria-label="Patient registry settings">
        <Stack gap="md">
          <TextInput
            label="MRN prefix"
            description={
              errors.mrnPrefix
                ? 'Capital letters, digits and dashes, up to 8 characters; may be empty.'
                : `Up to 8 capital letters, digits or dashes, put in front of every new MRN: new patients get MRNs like ${exampleMrn((prefix ?? '').toUpperCase())}.`
            }
            maw={320}
            maxLength={8}
            autoComplete="off"
            spellCheck={false}
            styles={{ input: { textTransform: 'uppercase', fontFamily: 'var(--mantine-font-family-monospace)' } }}
            {...mrnField}
            error={errors.mrnPrefix?.message}
          />
          {conflict ? (
            <ErrorAlert title="Not saved">
              <Stack gap="xs" align="flex-start">
                <Text fz="sm">{update.error.message}</Text>
                <Button size="xs" variant="white" color="red" onClick={() => void onReload()} loading={reloading}>
                  Reload
                </Button>
              </Stack>
            </ErrorAlert>
          ) : update.isError ? (
            <ErrorAlert>{errorMessage(update.error)}</ErrorAlert>
          ) : null}
          <Group justify="space-between">
            <Text fz="sm" c="dimmed" aria-live="polite">
              {isDirty ? 'You have unsaved changes.' : 'No unsaved changes.'}
            </Text>
            <Group gap="sm">
              <Button
                type="button"
                variant="default"
                disabled={!isDirty || form.formState.isSubmitting}
                onClick={() => form.reset({ mrnPrefix: loaded.mrnPrefix })}
              >
                Undo changes
              </Button>
              <Button type="submit" loading={form.formState.isSubmitting}>
                Save registry settings
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
