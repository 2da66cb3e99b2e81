import { TextInput } from '@mantine/core';
import type { OutputOf } from '../../../src-shared/contract/index.js';
import { type RegistrySettings, registrySettings } from '../../../src-shared/schemas/settings.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { notifySuccess } from '../../ui/notify.js';
import { SettingsForm, SettingsSection } from './SettingsSection.js';
import { type LoadedSettings, useVersionedSettingsForm } from './useVersionedSettingsForm.js';

type Loaded = OutputOf<'settings.getRegistry'>;

function formValues(registry: Loaded): RegistrySettings {
  return { mrnPrefix: registry.mrnPrefix };
}

/** An example MRN with this prefix; the number itself comes from the registry's counter. */
export function exampleMrn(prefix: string): string {
  return `${prefix}000123`;
}

/** The patient registry's settings (the MRN prefix), saved on their own with their own version. */
export function RegistrySettingsSection() {
  const registry = useProcedureQuery('settings.getRegistry', {});
  return (
    <SettingsSection
      id="registry-settings-title"
      title="Patient registry"
      description="How new medical record numbers (MRNs) look. Existing MRNs never change."
      query={registry}
      skeletonHeight={120}
      loadingLabel="Loading the patient registry settings"
      form={RegistryForm}
    />
  );
}

function RegistryForm({ loaded, reload }: LoadedSettings<Loaded>) {
  const update = useProcedureMutation('settings.updateRegistry');
  const settings = useVersionedSettingsForm({
    loaded,
    reload,
    query: 'settings.getRegistry',
    update,
    schema: registrySettings,
    formValues,
    fields: ['mrnPrefix'],
    onSaved: (saved) => notifySuccess('Patient registry settings saved', `New patients get MRNs like ${exampleMrn(saved.mrnPrefix)}.`),
  });
  const { form } = settings;
  const { errors } = form.formState;
  const prefix = form.watch('mrnPrefix');
  const mrnField = form.register('mrnPrefix', { setValueAs: (value: string) => value.toUpperCase() });

  return (
    <SettingsForm settings={settings} label="Patient registry settings" submitLabel="Save registry settings">
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
    </SettingsForm>
  );
}
