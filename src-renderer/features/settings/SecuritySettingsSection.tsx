import { NumberInput, Switch } from '@mantine/core';
import { Controller } from 'react-hook-form';
import type { OutputOf } from '../../../src-shared/contract/index.js';
import { type SecurityPolicy, securityPolicy } from '../../../src-shared/schemas/settings.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { notifySuccess } from '../../ui/notify.js';
import { SettingsForm, SettingsSection } from './SettingsSection.js';
import { type LoadedSettings, useVersionedSettingsForm } from './useVersionedSettingsForm.js';

type Loaded = OutputOf<'settings.getSecurity'>;

function formValues(policy: Loaded): SecurityPolicy {
  return { idleLockMinutes: policy.idleLockMinutes, requireTwoFactorForAdmins: policy.requireTwoFactorForAdmins };
}

/** The sign-in and lock policy, beside the clinic's details; saved on its own with its own version. */
export function SecuritySettingsSection() {
  const policy = useProcedureQuery('settings.getSecurity', {});
  return (
    <SettingsSection
      id="security-settings-title"
      title="Sign-in and lock"
      description="Applies at every workstation, from each user’s next action."
      query={policy}
      skeletonHeight={160}
      loadingLabel="Loading the sign-in and lock settings"
      form={SecurityForm}
    />
  );
}

function SecurityForm({ loaded, reload }: LoadedSettings<Loaded>) {
  const update = useProcedureMutation('settings.updateSecurity');
  const settings = useVersionedSettingsForm({
    loaded,
    reload,
    query: 'settings.getSecurity',
    update,
    schema: securityPolicy,
    formValues,
    fields: ['idleLockMinutes', 'requireTwoFactorForAdmins'],
    onSaved: (saved) =>
      notifySuccess(
        'Sign-in and lock settings saved',
        `Workstations lock after ${saved.idleLockMinutes} minute${saved.idleLockMinutes === 1 ? '' : 's'} without use; two-factor sign-in is ${
          saved.requireTwoFactorForAdmins ? 'required' : 'optional'
        } for administrators.`,
      ),
  });
  const { form } = settings;

  return (
    <SettingsForm settings={settings} label="Sign-in and lock settings" submitLabel="Save sign-in and lock settings">
      <Controller
        control={form.control}
        name="idleLockMinutes"
        render={({ field, fieldState }) => (
          <NumberInput
            ref={field.ref}
            name={field.name}
            label="Lock the workstation after (minutes)"
            description="Without keyboard or mouse use; the user’s password opens it again, with their work as they left it. 1 to 240."
            min={1}
            max={240}
            step={1}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            maw={320}
            value={field.value}
            onChange={(value) => field.onChange(typeof value === 'number' ? value : value === '' ? Number.NaN : Number(value))}
            onBlur={field.onBlur}
            error={fieldState.error ? (Number.isNaN(field.value) ? 'Enter a number of minutes' : fieldState.error.message) : undefined}
          />
        )}
      />
      <Controller
        control={form.control}
        name="requireTwoFactorForAdmins"
        render={({ field }) => (
          <Switch
            ref={field.ref}
            name={field.name}
            label="Require two-factor sign-in for administrators"
            description="Users who can manage users must set up an authenticator app before they can do anything else."
            checked={field.value}
            onChange={(event) => field.onChange(event.currentTarget.checked)}
            onBlur={field.onBlur}
          />
        )}
      />
    </SettingsForm>
  );
}
