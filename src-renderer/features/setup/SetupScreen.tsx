import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Fieldset, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation } from '../../api/hooks.js';
import { AuthLayout } from '../../ui/AuthLayout.js';
import { browserTimeZone } from '../../ui/clinicSelects.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';
import { CurrencyField, TimeZoneField } from '../settings/ClinicSelectFields.js';
import { SETUP_FIELDS, SETUP_SERVER_FIELDS, type SetupFormInput, type SetupFormValues, setupFormSchema } from './schema.js';

/** What the recovery-key screen needs: the key to show, and the credentials to sign in with after. */
export interface CreatedClinic {
  recoveryKey: string;
  clinicName: string;
  username: string;
  password: string;
}

export function SetupScreen({ passphraseRequired, onCreated }: { passphraseRequired: boolean; onCreated: (created: CreatedClinic) => void }) {
  useDocumentTitle('Set up your clinic · Asclepia');
  const schema = useMemo(() => setupFormSchema(passphraseRequired), [passphraseRequired]);
  const [defaultTimeZone] = useState(browserTimeZone);
  const form = useForm<SetupFormInput, unknown, SetupFormValues>({
    resolver: zodResolver(schema),
    defaultValues: {
      clinicName: '',
      timeZone: defaultTimeZone,
      currency: '',
      username: '',
      displayName: '',
      password: '',
      confirmPassword: '',
      passphrase: '',
      confirmPassphrase: '',
    },
  });
  const createClinic = useProcedureMutation('setup.createClinic');
  const { errors } = form.formState;
  const { setFocus } = form;
  useEffect(() => setFocus('clinicName'), [setFocus]);

  const onSubmit = form.handleSubmit(
    async (values) => {
      try {
        const result = await createClinic.mutateAsync({
          clinic: { clinicName: values.clinicName, timeZone: values.timeZone, currency: values.currency },
          admin: { username: values.username, displayName: values.displayName, password: values.password },
          ...(passphraseRequired ? { passphrase: values.passphrase } : {}),
        });
        onCreated({ recoveryKey: result.recoveryKey, clinicName: values.clinicName, username: values.username, password: values.password });
      } catch (error) {
        applyServerFieldErrors(error, form.setError, SETUP_FIELDS, SETUP_SERVER_FIELDS);
      }
    },
    () => createClinic.reset(),
  );

  return (
    <AuthLayout width={640}>
      <form onSubmit={onSubmit} noValidate aria-labelledby="setup-title">
        <Stack gap="lg">
          <div>
            <Title order={1} id="setup-title" fz="h2">
              Set up your clinic
            </Title>
            <Text c="dimmed" mt={4}>
              This workstation has no clinic yet. Name the clinic and create the first administrator account; you can change the clinic details later.
            </Text>
          </div>

          <Fieldset legend="Clinic" variant="filled">
            <Stack gap="sm">
              <TextInput label="Clinic name" autoComplete="organization" {...form.register('clinicName')} error={errors.clinicName?.message} />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TimeZoneField control={form.control} name="timeZone" description="Times on every screen use this zone" />
                <CurrencyField control={form.control} name="currency" description="Prices and bills use this currency" placeholder="Search, e.g. KES or euro" />
              </SimpleGrid>
            </Stack>
          </Fieldset>

          <Fieldset legend="First administrator" variant="filled">
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label="Username"
                  description="Used to sign in, e.g. admin"
                  autoComplete="username"
                  autoCapitalize="none"
                  spellCheck={false}
                  {...form.register('username')}
                  error={errors.username?.message}
                />
                <TextInput
                  label="Display name"
                  description="Shown on screen, e.g. Grace Wanjiru"
                  autoComplete="name"
                  {...form.register('displayName')}
                  error={errors.displayName?.message}
                />
                <PasswordInput
                  label="Password"
                  description="At least 10 characters"
                  autoComplete="new-password"
                  {...form.register('password')}
                  error={errors.password?.message}
                />
                <PasswordInput
                  label="Confirm password"
                  description="Type the password again"
                  autoComplete="new-password"
                  {...form.register('confirmPassword')}
                  error={errors.confirmPassword?.message}
                />
              </SimpleGrid>
            </Stack>
          </Fieldset>

          {passphraseRequired ? (
            <Fieldset legend="Database passphrase" variant="filled">
              <Stack gap="sm">
                <Text fz="sm" c="dimmed">
                  This computer cannot keep the database key safe by itself, so the clinic database is locked with a passphrase. It is asked for each time
                  Asclepia starts. It is not a user’s password.
                </Text>
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                  <PasswordInput
                    label="Passphrase"
                    description="At least 10 characters"
                    autoComplete="new-password"
                    {...form.register('passphrase')}
                    error={errors.passphrase?.message}
                  />
                  <PasswordInput
                    label="Confirm passphrase"
                    description="Type the passphrase again"
                    autoComplete="new-password"
                    {...form.register('confirmPassphrase')}
                    error={errors.confirmPassphrase?.message}
                  />
                </SimpleGrid>
              </Stack>
            </Fieldset>
          ) : null}

          {createClinic.isError ? <ErrorAlert>{errorMessage(createClinic.error)}</ErrorAlert> : null}

          <Button type="submit" size="md" loading={form.formState.isSubmitting}>
            Create clinic
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
