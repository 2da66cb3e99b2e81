import { Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { OutputOf } from '../../../src-shared/contract/index.js';
import { type ClinicSettings, clinicSettings } from '../../../src-shared/schemas/settings.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { notifySuccess } from '../../ui/notify.js';
import { CurrencyField, TimeZoneField } from './ClinicSelectFields.js';
import { RegistrySettingsSection } from './RegistrySettingsSection.js';
import { SecuritySettingsSection } from './SecuritySettingsSection.js';
import { SettingsForm, SettingsQuery } from './SettingsSection.js';
import { type LoadedSettings, useVersionedSettingsForm } from './useVersionedSettingsForm.js';

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
      <SettingsQuery
        query={settings}
        loading={
          <Stack gap="sm" aria-busy="true" aria-label="Loading clinic settings">
            <Skeleton h={60} />
            <Skeleton h={60} />
            <Skeleton h={60} />
          </Stack>
        }
        form={ClinicForm}
      />
      <RegistrySettingsSection />
      <SecuritySettingsSection />
    </Stack>
  );
}

function ClinicForm({ loaded, reload }: LoadedSettings<Loaded>) {
  const update = useProcedureMutation('settings.update');
  const settings = useVersionedSettingsForm({
    loaded,
    reload,
    query: 'settings.get',
    update,
    schema: clinicSettings,
    formValues,
    fields: ['clinicName', 'timeZone', 'currency'],
    onSaved: (saved) => notifySuccess('Clinic settings saved', `${saved.clinicName} now uses ${saved.timeZone} and ${saved.currency}.`),
  });
  const { form } = settings;
  const { errors } = form.formState;

  return (
    <SettingsForm settings={settings} label="Clinic settings" submitLabel="Save changes">
      <TextInput label="Clinic name" autoComplete="organization" {...form.register('clinicName')} error={errors.clinicName?.message} />
      <TimeZoneField control={form.control} name="timeZone" description="Clinic hours, appointments and printed times use this zone" />
      <CurrencyField control={form.control} name="currency" description="Prices, invoices and payments use this currency" />
    </SettingsForm>
  );
}
