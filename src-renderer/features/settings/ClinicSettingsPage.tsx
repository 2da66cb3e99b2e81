import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Paper, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { OutputOf } from '../../../src-shared/contract/index.js';
import { type ClinicSettings, clinicSettings } from '../../../src-shared/schemas/settings.js';
import { errorMessage, queryKey } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { CurrencySelect, TimeZoneSelect } from '../../ui/clinicSelects.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';
import { RegistrySettingsSection } from './RegistrySettingsSection.js';
import { SecuritySettingsSection } from './SecuritySettingsSection.js';

type Loaded = OutputOf<'settings.get'>;

function formValues(settings: Loaded): ClinicSettings {
  return { clinicName: settings.clinicName, timeZone: settings.timeZone, currency: settings.currency };
}

export function ClinicSettingsPage() {
  useDocumentTitle('Clinic settings · Asclepia');
  const settings = useProcedureQuery('settings.get', {});
  return (
    <Stack gap="lg" maw={640}>
      <div>
        <Title order={1}>Clinic settings</Title>
        <Text c="dimmed" mt={4}>
          The clinic’s name appears on every screen and printout; its time zone and currency apply at every workstation.
        </Text>
      </div>
      {settings.isPending ? (
        <Stack gap="sm" aria-busy="true" aria-label="Loading clinic settings">
          <Skeleton h={60} />
          <Skeleton h={60} />
          <Skeleton h={60} />
        </Stack>
      ) : settings.isError ? (
        <ErrorAlert>{errorMessage(settings.error)}</ErrorAlert>
      ) : (
        <SettingsForm loaded={settings.data} reload={async () => (await settings.refetch()).data} />
      )}
      <RegistrySettingsSection />
      <SecuritySettingsSection />
    </Stack>
  );
}

function SettingsForm({ loaded, reload }: { loaded: Loaded; reload: () => Promise<Loaded | undefined> }) {
  const queryClient = useQueryClient();
  const update = useProcedureMutation('settings.update');
  /** The version this form was filled from: saving with it tells the server what we saw. */
  const [version, setVersion] = useState(loaded.version);
  const [reloading, setReloading] = useState(false);
  const form = useForm<ClinicSettings>({ resolver: zodResolver(clinicSettings), defaultValues: formValues(loaded) });
  const { errors, isDirty } = form.formState;

  // Another desk saved while this form is untouched: show theirs. With edits under way, keep them;
  // saving will then answer CONFLICT and offer a reload.
  useEffect(() => {
    if (loaded.version !== version && !isDirty) {
      form.reset(formValues(loaded));
      setVersion(loaded.version);
    }
  }, [loaded, version, isDirty, form]);

  const onSubmit = form.handleSubmit(
    async (values) => {
      try {
        const saved = await update.mutateAsync({ ...values, version });
        queryClient.setQueryData(queryKey('settings.get'), saved);
        form.reset(formValues(saved));
        setVersion(saved.version);
        notifySuccess('Clinic settings saved', `${saved.clinicName} now uses ${saved.timeZone} and ${saved.currency}.`);
      } catch (error) {
        applyServerFieldErrors(error, form.setError, ['clinicName', 'timeZone', 'currency']);
      }
    },
    () => update.reset(),
  );

  const onReload = async () => {
    setReloading(true);
    try {
      const fresh = await reload();
      if (fresh) {
        form.reset(formValues(fresh));
        setVersion(fresh.version);
        update.reset();
      }
    } finally {
      setReloading(false);
    }
  };

  const conflict = update.isError && update.error.code === 'CONFLICT';

  return (
    <Paper withBorder p="lg" radius="md">
      <form onSubmit={onSubmit} noValidate aria-label="Clinic settings">
        <Stack gap="md">
          <TextInput label="Clinic name" autoComplete="organization" {...form.register('clinicName')} error={errors.clinicName?.message} />
          <Controller
            control={form.control}
            name="timeZone"
            render={({ field, fieldState }) => (
              <TimeZoneSelect
                ref={field.ref}
                name={field.name}
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                error={fieldState.error?.message}
                description="Clinic hours, appointments and printed times use this zone"
              />
            )}
          />
          <Controller
            control={form.control}
            name="currency"
            render={({ field, fieldState }) => (
              <CurrencySelect
                ref={field.ref}
                name={field.name}
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                error={fieldState.error?.message}
                description="Prices, invoices and payments use this currency"
              />
            )}
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
              <Button type="button" variant="default" disabled={!isDirty || form.formState.isSubmitting} onClick={() => form.reset(formValues(loaded))}>
                Undo changes
              </Button>
              <Button type="submit" loading={form.formState.isSubmitting}>
                Save changes
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
