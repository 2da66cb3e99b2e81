import { Button, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ComponentType, ReactNode } from 'react';
import type { FieldValues } from 'react-hook-form';
import { type ApiError, errorMessage } from '../../api/client.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import type { LoadedSettings, Versioned, VersionedSettingsForm } from './useVersionedSettingsForm.js';

/** While the settings load, `loading`; if they fail to, why; once loaded, `form` filled from them. */
export function SettingsQuery<L extends Versioned>({
  query,
  loading,
  form: Form,
}: {
  query: UseQueryResult<L, ApiError>;
  loading: ReactNode;
  form: ComponentType<LoadedSettings<L>>;
}) {
  if (query.isPending) return loading;
  if (query.isError) return <ErrorAlert>{errorMessage(query.error)}</ErrorAlert>;
  return <Form loaded={query.data} reload={async () => (await query.refetch()).data} />;
}

/** A titled part of the clinic settings page, with its own query and form. */
export function SettingsSection<L extends Versioned>({
  id,
  title,
  description,
  query,
  skeletonHeight,
  loadingLabel,
  form,
}: {
  /** The title's id, which names the section. */
  id: string;
  title: string;
  description: string;
  query: UseQueryResult<L, ApiError>;
  skeletonHeight: number;
  loadingLabel: string;
  form: ComponentType<LoadedSettings<L>>;
}) {
  return (
    <Stack gap="sm" component="section" aria-labelledby={id}>
      <div>
        <Title order={2} fz="h3" id={id}>
          {title}
        </Title>
        <Text c="dimmed" fz="sm" mt={4}>
          {description}
        </Text>
      </div>
      <SettingsQuery query={query} loading={<Skeleton h={skeletonHeight} aria-label={loadingLabel} />} form={form} />
    </Stack>
  );
}

/**
 * The frame of a versioned settings form around its fields: the refusal of the last save (a
 * CONFLICT with a reload), whether there are unsaved changes, and the undo and save buttons.
 */
export function SettingsForm<V extends FieldValues>({
  settings,
  label,
  submitLabel,
  children,
}: {
  settings: VersionedSettingsForm<V>;
  /** The form's accessible name. */
  label: string;
  submitLabel: string;
  children: ReactNode;
}) {
  const { form, onSubmit, undo, failure, onReload, reloading } = settings;
  const { isDirty, isSubmitting } = form.formState;

  return (
    <Paper withBorder p="lg" radius="md">
      <form onSubmit={onSubmit} noValidate aria-label={label}>
        <Stack gap="md">
          {children}
          {failure?.code === 'CONFLICT' ? (
            <ErrorAlert title="Not saved">
              <Stack gap="xs" align="flex-start">
                <Text fz="sm">{failure.message}</Text>
                <Button size="xs" variant="white" color="red" onClick={() => void onReload()} loading={reloading}>
                  Reload
                </Button>
              </Stack>
            </ErrorAlert>
          ) : failure ? (
            <ErrorAlert>{errorMessage(failure)}</ErrorAlert>
          ) : null}
          <Group justify="space-between">
            <Text fz="sm" c="dimmed" aria-live="polite">
              {isDirty ? 'You have unsaved changes.' : 'No unsaved changes.'}
            </Text>
            <Group gap="sm">
              <Button type="button" variant="default" disabled={!isDirty || isSubmitting} onClick={undo}>
                Undo changes
              </Button>
              <Button type="submit" loading={isSubmitting}>
                {submitLabel}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
